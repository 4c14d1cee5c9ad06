"""Responses: status codes and ranges to types, typed errors, empty, binary, text, SSE."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.wire.conftest import Recorder


def test_status_codes_pick_the_documented_type(wire: Any, client: Any, recorder: Recorder) -> None:
    recorder.queue(
        httpx.Response(200, json={"name": "Rex"}),
        httpx.Response(202, text="queued", headers={"content-type": "text/plain"}),
        httpx.Response(204),
        httpx.Response(302),
    )
    pet = client.responses.status_codes()
    assert isinstance(pet, wire.models.Pet) and pet.name == "Rex"
    assert client.responses.status_codes() == "queued"
    assert client.responses.status_codes() is None
    assert client.responses.status_codes() is None  # documented 302 without Location
    assert recorder.last.headers["accept"] == "application/json, text/plain"


def test_exact_status_wins_over_its_range(wire: Any, client: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(404, json={"missing": "pet 7"}, headers={"x-trace": "t1"}))
    with pytest.raises(wire.errors.NotFoundError) as caught:
        client.responses.status_codes()
    error = caught.value
    assert isinstance(error, wire.errors.APIStatusError) and isinstance(error, wire.APIError)
    assert isinstance(error.data, wire.models.NotFound) and error.data.missing == "pet 7"
    assert (error.status_code, error.headers["x-trace"]) == (404, "t1")
    assert error.body == '{"missing":"pet 7"}'


def test_a_range_gives_its_typed_error(wire: Any, client: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(409, json={"code": 9, "message": "conflict"}))
    with pytest.raises(wire.errors.ProblemError) as caught:
        client.responses.status_codes()
    assert caught.value.data.code == 9 and caught.value.status_code == 409


def test_default_error_carries_its_text(wire: Any, client: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(503, text="down", headers={"content-type": "text/plain"}))
    with pytest.raises(wire.errors.APIStatusError) as caught:
        client.responses.status_codes()
    assert type(caught.value) is wire.errors.APIStatusError
    assert (caught.value.status_code, caught.value.data) == (503, "down")


def test_an_error_body_that_does_not_parse_is_a_plain_api_error(
    wire: Any, client: Any, recorder: Recorder
) -> None:
    recorder.queue(httpx.Response(400, json={"code": "not a number"}))
    with pytest.raises(wire.APIError) as caught:
        client.responses.status_codes()
    assert type(caught.value) is wire.errors.APIError
    assert "documented 4XX schema" in str(caught.value) and "code" in str(caught.value)


def test_a_success_body_that_does_not_match_names_the_field(
    wire: Any, client: Any, recorder: Recorder
) -> None:
    recorder.queue(httpx.Response(200, json={"tag": "no name"}))
    with pytest.raises(wire.ResponseValidationError) as caught:
        client.responses.status_codes()
    assert "name" in str(caught.value) and caught.value.status_code == 200


def test_binary_download_streams_and_saves(client: Any, recorder: Recorder, tmp_path: Path) -> None:
    payload = bytes(range(256)) * 64
    recorder.queue(
        httpx.Response(200, content=payload, headers={"content-type": "application/octet-stream"}),
        httpx.Response(200, content=payload, headers={"content-type": "application/octet-stream"}),
    )
    with client.responses.download() as download:
        chunks = list(download.iter_bytes(1024))
    assert b"".join(chunks) == payload and len(chunks) == 16
    with client.responses.download() as download:
        assert download.save(tmp_path / "f.bin") == len(payload)
    assert (tmp_path / "f.bin").read_bytes() == payload


def test_json_or_binary_by_response_content_type(
    wire: Any, client: Any, recorder: Recorder
) -> None:
    recorder.queue(httpx.Response(200, json={"name": "meta"}))
    result = client.responses.download()
    assert isinstance(result, wire.models.Pet) and result.name == "meta"


def test_event_stream_is_typed_and_closes_when_left_early(
    wire: Any, client: Any, recorder: Recorder
) -> None:
    closed: list[bool] = []

    class Events(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield b'data: {"name": "a"}\n\n'
            yield b'data: {"name": "b"}\n\n'
            yield b'data: {"name": "c"}\n\n'

        def close(self) -> None:
            closed.append(True)

    recorder.queue(
        httpx.Response(200, stream=Events(), headers={"content-type": "text/event-stream"})
    )
    stream = client.responses.events()
    with stream:
        first = next(iter(stream))
    assert isinstance(first, wire.models.Pet) and first.name == "a"
    assert closed == [True]
    assert recorder.last.headers["accept"] == "text/event-stream"


def test_async_typed_error_and_events(wire: Any, recorder: Recorder) -> None:
    recorder.queue(
        httpx.Response(404, json={"missing": "x"}),
        httpx.Response(
            200,
            content=b'data: {"name": "a"}\n\ndata: {"name": "b"}\n\n',
            headers={"content-type": "text/event-stream"},
        ),
    )

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with wire.Wire(server_url="https://api.test", async_client=http) as sdk:
            with pytest.raises(wire.errors.NotFoundError):
                await sdk.responses.status_codes_async()
            names = [pet.name async for pet in await sdk.responses.events_async()]
        await http.aclose()
        return names

    assert asyncio.run(main()) == ["a", "b"]


def test_async_event_stream_closes_when_left_early(wire: Any, recorder: Recorder) -> None:
    closed: list[bool] = []

    class Events(httpx.AsyncByteStream):
        async def __aiter__(self) -> Any:
            for name in ("a", "b", "c"):
                yield b'data: {"name": "' + name.encode() + b'"}\n\n'

        async def aclose(self) -> None:
            closed.append(True)

    recorder.queue(
        httpx.Response(200, stream=Events(), headers={"content-type": "text/event-stream"})
    )

    async def main() -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        sdk = wire.Wire(server_url="https://api.test", async_client=http)
        async with sdk, await sdk.responses.events_async() as stream:
            async for pet in stream:
                first: str = pet.name
                break
        await http.aclose()
        return first

    assert asyncio.run(main()) == "a"
    assert closed == [True]


def test_wildcard_media_type_accepts_text_and_json(client: Any, recorder: Recorder) -> None:
    recorder.queue(
        httpx.Response(200, text="plain", headers={"content-type": "text/plain"}),
        httpx.Response(200, json="quoted"),
    )
    assert client.responses.any_media() == "plain"
    assert client.responses.any_media() == "quoted"


def test_an_error_model_named_error_keeps_its_name_free(
    wire: Any, client: Any, recorder: Recorder
) -> None:
    recorder.queue(httpx.Response(500, json={"reason": "boom"}))
    with pytest.raises(wire.errors.BasicErrorException) as caught:
        client.responses.status_codes()
    assert isinstance(caught.value.data, wire.models.BasicError)
    assert caught.value.data.reason == "boom"
