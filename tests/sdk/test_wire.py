"""The generated SDK (generated/orq) against a real HTTP server on loopback.

What a user relies on: the exact request on the wire (multipart parts, file names,
content types, the nested `orq` object, path/query/header encoding, unset vs null),
the parsed response models, retries, errors, streaming and async.
"""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any

import pytest

from tests.support.server import Reply, ScriptedServer, json_reply

ORQ_OPTIONS: dict[str, Any] = {
    "retry": {"count": 3, "on_codes": [429, 500, 502, 503, 504]},
    "fallbacks": [{"model": "openai/gpt-4o-mini"}],
    "prompt": {"id": "prompt_01ARZ3NDEKTSV4RRFFQ69G5FAV", "version": "latest"},
    "identity": {
        "id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "display_name": "Jane Doe",
        "email": "jane.doe@example.com",
        "metadata": [{"department": "Engineering"}],
        "tags": ["hr"],
    },
    "cache": {"ttl": 3600, "type": "exact_match"},
    "load_balancer": {
        "type": "weight_based",
        "models": [
            {"model": "openai/gpt-4o", "weight": 0.7},
            {"model": "anthropic/claude-3-5-sonnet", "weight": 0.3},
        ],
    },
    "timeout": {"call_timeout": 30000},
}
IMAGES_REPLY = {"created": 1714000000, "data": [{"b64_json": "aGVsbG8=", "revised_prompt": "r"}]}
FAST = {"initial_interval": 1, "max_interval": 5, "exponent": 1.5, "max_elapsed_time": 5000}


def client(sdk: ModuleType, server: ScriptedServer, **options: Any) -> Any:
    return sdk.Orq(api_key="sk-test", server_url=server.url, **options)


def fast_retries(sdk: ModuleType, **options: Any) -> Any:
    return sdk.RetryConfig("backoff", sdk.BackoffStrategy(**FAST), True, **options)


def test_image_edit_multipart_on_the_wire(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(json_reply(IMAGES_REPLY))
    with client(orq_sdk, server) as orq:
        result = orq.router.images.edits.create(
            model="openai/gpt-image-1",
            prompt="a red scarf",
            n=2,
            image=[
                {"file_name": "cat.png", "content": b"\x89PNG-cat", "content_type": "image/png"},
                orq_sdk.File(file_name="dog.webp", content=b"RIFF-dog", content_type="image/webp"),
            ],
            orq=ORQ_OPTIONS,
        )
    request = server.requests[0]
    assert (request.method, request.path) == ("POST", "/v2/router/images/edits")
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = request.multipart()
    assert [p["name"] for p in parts] == ["model", "prompt", "image", "image", "n", "orq"]
    by_name = {p["name"]: p for p in parts if p["name"] != "image"}
    assert by_name["model"]["data"] == b"openai/gpt-image-1"
    assert by_name["prompt"]["data"] == b"a red scarf"
    assert by_name["n"]["data"] == b"2"
    images = [p for p in parts if p["name"] == "image"]
    assert [(p["filename"], p["content_type"], p["data"]) for p in images] == [
        ("cat.png", "image/png", b"\x89PNG-cat"),
        ("dog.webp", "image/webp", b"RIFF-dog"),
    ]
    assert by_name["orq"]["content_type"] == "application/json"
    assert json.loads(by_name["orq"]["data"]) == ORQ_OPTIONS
    assert type(result).__name__ == "CreateImageEditResponseBody"
    assert result.created == 1714000000
    assert result.data[0].b64_json == "aGVsbG8="


def test_a_single_file_and_unset_options_are_not_sent(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(json_reply(IMAGES_REPLY))
    with client(orq_sdk, server) as orq:
        orq.router.images.edits.create(model="m", prompt="p", image=b"raw-bytes")
    parts = server.requests[0].multipart()
    assert [p["name"] for p in parts] == ["model", "prompt", "image"]
    assert parts[2]["filename"] == "upload"
    assert parts[2]["content_type"] == "application/octet-stream"


def test_json_body_unset_is_omitted_and_none_is_null(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    reply = {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}
        ],
    }
    server.queue(json_reply(reply), json_reply(reply))
    with client(orq_sdk, server) as orq:
        messages = [{"role": "user", "content": "hello"}]
        orq.router.chat.completions.create(model="m", messages=messages)
        result = orq.router.chat.completions.create(model="m", messages=messages, temperature=None)
    first, second = (r.json() for r in server.requests)
    assert first == {"model": "m", "messages": messages}
    assert second == {"model": "m", "messages": messages, "temperature": None}
    assert server.requests[0].headers["content-type"] == "application/json"
    assert result.choices[0].message.content == "hi"


def test_path_query_and_header_parameters(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    file = {
        "file_id": "file/1 ü",
        "purpose": "retrieval",
        "file_name": "a.txt",
        "bytes": "12",
        "created_at": "2024-01-01T00:00:00Z",
        "project_id": "p1",
    }
    server.queue(json_reply({"file": file}))
    with client(orq_sdk, server) as orq:
        result = orq.files.retrieve(
            file_id="file/1 ü", include=["download_url"], x_request_id="req-42"
        )
    request = server.requests[0]
    assert request.path == "/v2/files/file%2F1%20%C3%BC"
    assert request.raw_query == "include=download_url"
    assert request.headers["x-request-id"] == "req-42"
    assert result.file.file_id == "file/1 ü"
    assert result.file.created_at.year == 2024


def test_retries_a_503_then_succeeds(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(503, b"busy", {"Retry-After": "0"}), json_reply(IMAGES_REPLY))
    with client(orq_sdk, server) as orq:
        result = orq.router.images.edits.create(
            model="m",
            prompt="p",
            image=b"img",
            retries=fast_retries(orq_sdk, retry_non_idempotent=True),
        )
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body.replace(
        _boundary(server.requests[1]), _boundary(server.requests[0])
    )
    assert result.data[0].revised_prompt == "r"


def _boundary(request: Any) -> bytes:
    return request.headers["content-type"].split("boundary=")[1].encode()


def test_post_is_not_retried_by_default(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(503, b"busy"), json_reply(IMAGES_REPLY))
    with client(orq_sdk, server) as orq, pytest.raises(orq_sdk.APIError) as caught:
        orq.router.images.edits.create(model="m", prompt="p")
    assert caught.value.status_code == 503
    assert len(server.requests) == 1


def test_get_is_retried_by_the_client_config(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(
        Reply(502), Reply(503), json_reply({"object": "list", "data": [], "has_more": False})
    )
    with client(orq_sdk, server, retry_config=fast_retries(orq_sdk)) as orq:
        result = orq.files.list(limit=10)
    assert [r.path for r in server.requests] == ["/v2/files"] * 3
    assert result.result.has_more is False  # files.list is paginated: a Page


def test_400_raises_api_error_with_the_body(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    body = {"error": {"message": "prompt is required", "type": "invalid_request_error"}}
    server.queue(json_reply(body, status=400))
    with client(orq_sdk, server) as orq, pytest.raises(orq_sdk.APIError) as caught:
        orq.router.images.edits.create(model="m", prompt="")
    error = caught.value
    assert error.status_code == 400
    assert json.loads(error.body) == body
    assert error.headers["content-type"] == "application/json"
    assert "prompt is required" in str(error)


def test_async_call(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(json_reply(IMAGES_REPLY))

    async def main() -> Any:
        async with client(orq_sdk, server) as orq:
            return await orq.router.images.edits.create_async(
                model="m", prompt="p", orq={"cache": {"ttl": 5, "type": "exact_match"}}
            )

    result = asyncio.run(main())
    assert result.created == 1714000000
    parts = server.requests[0].multipart()
    assert json.loads(parts[-1]["data"]) == {"cache": {"ttl": 5, "type": "exact_match"}}


def test_streamed_chat_completion(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": "he"}, "finish_reason": None}],
    }
    events = [
        b"data: " + json.dumps(chunk).encode() + b"\n\n",
        b"data: " + json.dumps(chunk).encode().replace(b'"he"', b'"llo"') + b"\n\n",
        b"data: [DONE]\n\n",
    ]
    server.queue(
        Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=[(0.0, e) for e in events])
    )
    with client(orq_sdk, server) as orq:
        stream = orq.router.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        with stream:
            texts = [event.choices[0].delta.content for event in stream]
    assert texts == ["he", "llo"]
    assert server.requests[0].headers["accept"] == "text/event-stream"
    assert server.requests[0].json()["stream"] is True


def test_binary_download_and_delete(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(
        Reply(200, b"\x00\x01binary", {"Content-Type": "application/octet-stream"}),
        json_reply({"id": "f1", "object": "file", "deleted": True}),
    )
    with client(orq_sdk, server) as orq:
        with orq.files.content(file_id="f1") as download:
            data = download.read()
        deleted = orq.files.delete(file_id="f1")
    assert data == b"\x00\x01binary"
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/v2/files/f1/content"),
        ("DELETE", "/v2/files/f1"),
    ]
    assert deleted.deleted is True


def test_documented_error_is_typed_with_the_parsed_model(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    detail = {"message": "bad n", "type": "invalid_request_error", "param": "n", "code": "bad"}
    server.queue(
        json_reply({"error": detail}, status=422),
        json_reply({"oops": 1}, status=500),
        Reply(502, b"<html>bad gateway</html>", {"Content-Type": "text/html"}),
    )
    with client(orq_sdk, server, retry_config=None) as orq:
        with pytest.raises(orq_sdk.errors.ErrorResponseError) as caught:
            orq.router.images.edits.create(model="m", prompt="p")
        # Bodies that are not the documented ErrorResponse are plain APIErrors, not crashes.
        with pytest.raises(orq_sdk.APIError) as mismatch:
            orq.files.list()
        with pytest.raises(orq_sdk.APIError) as html:
            orq.files.list()
    error = caught.value
    assert isinstance(error, orq_sdk.errors.APIStatusError)
    assert (error.status_code, error.data.error.param) == (422, "n")
    assert type(mismatch.value) is type(html.value) is orq_sdk.errors.APIError
    assert "documented 5XX schema" in str(mismatch.value)
    assert "'text/html'" in str(html.value) and html.value.body == "<html>bad gateway</html>"
