"""Fault injection against real loopback sockets: the generated orq SDK under a misbehaving server.

For every fault: the exact number of attempts that reached the server (or left the
client), the typed error or the parsed result, and bounds on the elapsed time.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from types import ModuleType
from typing import Any

import pytest

from tests.faults.helpers import (
    CHAT,
    FILE,
    MESSAGES,
    attempt_counter,
    closed_port_url,
    fast,
    timed,
)
from tests.support.server import Reply, ScriptedServer, json_reply

HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


def orq(sdk: ModuleType, server: ScriptedServer, **options: Any) -> Any:
    return sdk.Orq(api_key="sk-test", server_url=server.url, **options)


# --- connection failures -------------------------------------------------------------


def test_refused_connection_is_retried_then_raises(orq_sdk: ModuleType) -> None:
    hooks, seen = attempt_counter(orq_sdk)
    client = orq_sdk.Orq(api_key="k", server_url=closed_port_url(), hooks=hooks)
    with client, timed() as clock, pytest.raises(orq_sdk.APIConnectionError) as caught:
        client.files.retrieve(file_id="f", retries=fast(orq_sdk, attempts=4))
    assert len(seen) == 4
    assert not isinstance(caught.value, orq_sdk.APITimeoutError)
    assert clock.elapsed < 2.0


def test_dropped_before_answer_get_is_retried(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(drop=True), Reply(drop=True), json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, timed() as clock:
        result = client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 3
    assert result.file.file_id == "file_1"
    assert clock.elapsed < 2.0


def test_dropped_before_answer_post_is_not_retried(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(drop=True), json_reply(CHAT))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.APIConnectionError):
        client.router.chat.completions.create(model="m", messages=MESSAGES, retries=fast(orq_sdk))
    assert len(server.requests) == 1


def test_dropped_mid_request_upload_is_not_retried_without_key(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    image = (
        bytes(range(256)) * 32_768
    )  # 8 MiB: the client is still sending when the server hangs up
    server.queue(Reply(drop_request=True), json_reply({"created": 1, "data": []}))
    with (
        orq(orq_sdk, server) as client,
        timed() as clock,
        pytest.raises(orq_sdk.APIConnectionError),
    ):
        client.router.images.edits.create(model="m", prompt="p", image=image, retries=fast(orq_sdk))
    assert len(server.requests) == 1
    assert server.requests[0].body == b""  # the server never read the body
    assert clock.elapsed < 5.0


def test_dropped_mid_request_upload_is_resent_intact(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    image = bytes(range(256)) * 32_768
    server.queue(Reply(drop_request=True), json_reply({"created": 7, "data": []}))
    with orq(orq_sdk, server) as client:
        result = client.router.images.edits.create(
            model="m",
            prompt="p",
            image={"file_name": "big.png", "content": image, "content_type": "image/png"},
            retries=fast(orq_sdk, retry_non_idempotent=True),
        )
    assert result.created == 7
    assert len(server.requests) == 2
    parts = {part["name"]: part for part in server.requests[1].multipart()}
    assert parts["image"]["data"] == image
    assert parts["image"]["filename"] == "big.png"


def test_dropped_mid_response_get_is_retried(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    body = json.dumps({"file": FILE}).encode()
    server.queue(
        Reply(200, body, {"Content-Type": "application/json"}, truncate=len(body) // 2),
        json_reply({"file": FILE}),
    )
    with orq(orq_sdk, server) as client:
        result = client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 2
    assert result.file.file_name == "a.txt"


def test_dropped_mid_response_post_raises_and_parses_nothing(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    body = json.dumps(CHAT).encode()
    server.queue(Reply(200, body, {"Content-Type": "application/json"}, truncate=40))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.APIConnectionError):
        client.router.chat.completions.create(model="m", messages=MESSAGES, retries=fast(orq_sdk))
    assert len(server.requests) == 1


# --- status codes and Retry-After ----------------------------------------------------


def test_429_retry_after_seconds_is_honoured(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(json_reply({"error": "slow down"}, 429, **{"Retry-After": "1"}))
    server.queue(json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, timed() as clock:
        client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 2
    assert 1.0 <= clock.elapsed < 2.5


def test_503_retry_after_http_date_is_honoured(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    server.queue(Reply(503, b"busy", {"Retry-After": when}), json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, timed() as clock:
        client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 2
    # One-second resolution of HTTP dates: the wait is between 1 and 2 seconds.
    assert 0.9 <= clock.elapsed < 3.0


def test_retry_after_ms_wins(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    headers = {"Retry-After": "30", "retry-after-ms": "250"}
    server.queue(Reply(503, b"busy", headers), json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, timed() as clock:
        client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 2
    assert 0.25 <= clock.elapsed < 1.5


def test_retry_after_beyond_the_budget_gives_up_at_once(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(503, b"busy", {"Retry-After": "5"}), json_reply({"file": FILE}))
    with (
        orq(orq_sdk, server) as client,
        timed() as clock,
        pytest.raises(orq_sdk.APIError) as caught,
    ):
        client.files.retrieve(file_id="f", retries=fast(orq_sdk, budget_ms=1000))
    assert caught.value.status_code == 503
    assert len(server.requests) == 1
    assert clock.elapsed < 1.0


def test_status_class_pattern_and_attempt_limit(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(520), Reply(599), Reply(521), json_reply({"file": FILE}))
    policy = orq_sdk.RetryConfig(
        "backoff", orq_sdk.BackoffStrategy(5, 10, 2.0, 5000), False, ("5XX",), max_attempts=3
    )
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.APIError) as caught:
        client.files.retrieve(file_id="f", retries=policy)
    assert caught.value.status_code == 521
    assert len(server.requests) == 3


def test_503_on_post_without_key_is_not_retried(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(503, b"busy", {"Retry-After": "0"}), json_reply(CHAT))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.APIError) as caught:
        client.router.chat.completions.create(model="m", messages=MESSAGES, retries=fast(orq_sdk))
    assert caught.value.status_code == 503
    assert len(server.requests) == 1


def test_html_error_page_is_retried_then_raised_with_its_body(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    page = Reply(502, HTML, {"Content-Type": "text/html"})
    server.queue(page, page, page)
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.APIError) as caught:
        client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 3
    assert caught.value.status_code == 502
    assert "Bad Gateway" in caught.value.body
    assert caught.value.headers["content-type"] == "text/html"


def test_default_policy_makes_three_attempts(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    busy = Reply(503, b"busy", {"retry-after-ms": "1"})
    server.queue(busy, busy, busy, json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.APIError):
        client.files.retrieve(file_id="f")
    assert len(server.requests) == 3


def test_retries_off(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(503), json_reply({"file": FILE}))
    with orq(orq_sdk, server, retry_config=None) as client, pytest.raises(orq_sdk.APIError):
        client.files.retrieve(file_id="f")
    assert len(server.requests) == 1


# --- timeouts ------------------------------------------------------------------------


def test_stall_past_timeout_get_is_retried_then_times_out(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(delay=3.0), Reply(delay=3.0))
    with orq(orq_sdk, server) as client, timed() as clock, pytest.raises(orq_sdk.APITimeoutError):
        client.files.retrieve(file_id="f", timeout_ms=300, retries=fast(orq_sdk, attempts=2))
    assert len(server.requests) == 2
    assert 0.6 <= clock.elapsed < 2.0


def test_stall_past_timeout_post_is_not_retried(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(delay=3.0), json_reply(CHAT))
    with (
        orq(orq_sdk, server, timeout_ms=300) as client,
        timed() as clock,
        pytest.raises(orq_sdk.APITimeoutError),
    ):
        client.router.chat.completions.create(model="m", messages=MESSAGES)
    assert len(server.requests) == 1
    assert 0.3 <= clock.elapsed < 1.5


def test_connect_and_read_timeouts_per_call(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(delay=2.0), json_reply({"file": FILE}))
    timeout = orq_sdk.Timeout(read_ms=200, connect_ms=1000)
    with orq(orq_sdk, server) as client:
        with timed() as clock, pytest.raises(orq_sdk.APITimeoutError):
            client.files.retrieve(file_id="f", timeout_ms=timeout, retries=None)
        assert clock.elapsed < 1.5  # the 200 ms read limit, not the server's 2 s pause
        result = client.files.retrieve(file_id="f", timeout_ms=orq_sdk.Timeout(read_ms=2000))
    assert result.file.file_id == "file_1"
    assert len(server.requests) == 2


# --- bodies that arrive but are wrong ------------------------------------------------


def test_truncated_json_is_a_validation_error_not_a_retry(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    text = json.dumps({"file": FILE})[:-20]
    server.queue(Reply(200, text, {"Content-Type": "application/json"}), json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.ResponseValidationError) as caught:
        client.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert len(server.requests) == 1
    assert caught.value.status_code == 200
    assert caught.value.body == text


def test_wrong_content_type_is_a_validation_error(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    body = json.dumps({"file": FILE})
    server.queue(Reply(200, body, {"Content-Type": "text/plain"}))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.ResponseValidationError) as caught:
        client.files.retrieve(file_id="f")
    assert "text/plain" in str(caught.value)
    assert len(server.requests) == 1


def test_html_page_with_200_is_a_validation_error(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(200, HTML, {"Content-Type": "text/html; charset=utf-8"}))
    with orq(orq_sdk, server) as client, pytest.raises(orq_sdk.ResponseValidationError):
        client.router.chat.completions.create(model="m", messages=MESSAGES)
    assert len(server.requests) == 1


# --- streams -------------------------------------------------------------------------


def _chunk(text: str) -> bytes:
    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


SSE = {"Content-Type": "text/event-stream"}


def test_stream_read_timeout_applies_per_chunk(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    pieces = [(0.25, _chunk(str(n))) for n in range(4)] + [(0.0, b"data: [DONE]\n\n")]
    server.queue(Reply(200, headers=SSE, chunks=pieces))
    with orq(orq_sdk, server) as client, timed() as clock:
        stream = client.router.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, timeout_ms=orq_sdk.Timeout(read_ms=600)
        )
        with stream:
            texts = [event.choices[0].delta.content for event in stream]
    assert texts == ["0", "1", "2", "3"]
    assert clock.elapsed >= 1.0  # longer than the read timeout in total, never per chunk


def test_stalled_stream_times_out_and_closes(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(200, headers=SSE, chunks=[(0.0, _chunk("a")), (3.0, _chunk("b"))]))
    with orq(orq_sdk, server) as client, timed() as clock:
        stream = client.router.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, timeout_ms=400
        )
        received = []
        with pytest.raises(orq_sdk.APITimeoutError):
            for event in stream:
                received.append(event.choices[0].delta.content)
    assert received == ["a"]
    assert stream.response.is_closed
    assert 0.4 <= clock.elapsed < 2.0


def test_stream_cut_mid_way_raises_connection_error(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(Reply(200, headers=SSE, chunks=[(0.0, _chunk("a"))], cut_stream=True))
    with orq(orq_sdk, server) as client:
        stream = client.router.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        received = []
        with pytest.raises(orq_sdk.APIConnectionError):
            for event in stream:
                received.append(event.choices[0].delta.content)
    assert received == ["a"]
    assert stream.response.is_closed
    assert len(server.requests) == 1


def test_leaving_a_stream_early_closes_it(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    pieces = [(0.0, _chunk(str(n))) for n in range(3)] + [(5.0, b"data: [DONE]\n\n")]
    server.queue(Reply(200, headers=SSE, chunks=pieces), json_reply({"file": FILE}))
    with orq(orq_sdk, server) as client, timed() as clock:
        with client.router.chat.completions.create(
            model="m", messages=MESSAGES, stream=True
        ) as stream:
            for _event in stream:
                break
        assert stream.response.is_closed
        client.files.retrieve(file_id="f")  # the pool still serves calls
    assert clock.elapsed < 3.0


# --- async ---------------------------------------------------------------------------


def test_async_retries_drops_and_statuses(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(
        Reply(drop=True),
        Reply(503, b"busy", {"retry-after-ms": "100"}),
        json_reply({"file": FILE}),
    )

    async def main() -> Any:
        async with orq(orq_sdk, server) as client:
            return await client.files.retrieve_async(file_id="f", retries=fast(orq_sdk))

    with timed() as clock:
        result = asyncio.run(main())
    assert result.file.file_id == "file_1"
    assert len(server.requests) == 3
    assert 0.1 <= clock.elapsed < 2.0


def test_async_timeout_and_post_rule(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(delay=2.0), Reply(503), json_reply(CHAT))

    async def main() -> None:
        async with orq(orq_sdk, server) as client:
            with pytest.raises(orq_sdk.APITimeoutError):
                await client.files.retrieve_async(
                    file_id="f", timeout_ms=300, retries=fast(orq_sdk, attempts=1)
                )
            with pytest.raises(orq_sdk.APIError):
                await client.router.chat.completions.create_async(
                    model="m", messages=MESSAGES, retries=fast(orq_sdk)
                )

    with timed() as clock:
        asyncio.run(main())
    assert len(server.requests) == 2
    assert clock.elapsed < 2.0


def test_async_stream_stall_times_out(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(200, headers=SSE, chunks=[(0.0, _chunk("a")), (3.0, _chunk("b"))]))

    async def main() -> list[str]:
        received: list[str] = []
        async with orq(orq_sdk, server) as client:
            stream = await client.router.chat.completions.create_async(
                model="m", messages=MESSAGES, stream=True, timeout_ms=300
            )
            with pytest.raises(orq_sdk.APITimeoutError):
                async for event in stream:
                    received.append(event.choices[0].delta.content)
            assert stream.response.is_closed
        return received

    with timed() as clock:
        assert asyncio.run(main()) == ["a"]
    assert clock.elapsed < 2.0


def test_a_caller_raising_inside_the_stream_block_closes_it(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    pieces = [(0.0, _chunk("a")), (5.0, b"data: [DONE]\n\n")]
    server.queue(Reply(200, headers=SSE, chunks=pieces))

    class Stop(Exception):
        pass

    with orq(orq_sdk, server) as client, timed() as clock:
        stream = client.router.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        with pytest.raises(Stop), stream:
            for _event in stream:
                raise Stop
        assert stream.response.is_closed
    assert clock.elapsed < 3.0
