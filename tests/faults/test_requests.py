"""Idempotency keys, replayed bodies, hooks, debug logs and resource safety on the wire."""

from __future__ import annotations

import asyncio
import io
import logging
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import GENERATED
from tests.faults.helpers import CHAT, FILE, MESSAGES, attempt_counter, closed_port_url, fast
from tests.support.server import Reply, ScriptedServer, json_reply

ORDER = {"id": "o1", "amount": 5}
BUSY = Reply(503, b"busy", {"retry-after-ms": "1"})


def client(sdk: ModuleType, server: ScriptedServer, **options: Any) -> Any:
    return sdk.Resilience(api_key="secret-key", server_url=server.url, **options)


# --- idempotency keys ----------------------------------------------------------------


def test_post_with_idempotency_header_gets_one_key_for_every_attempt(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(BUSY, Reply(drop=True), json_reply(ORDER))
    with client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api:
        order = api.orders.create(amount=5)
    assert order.id == "o1"
    keys = [r.headers.get("idempotency-key") for r in server.requests]
    assert len(keys) == 3
    assert keys[0] and len(set(keys)) == 1
    assert [r.json() for r in server.requests] == [{"amount": 5}] * 3


def test_each_call_gets_a_new_key(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(json_reply(ORDER), json_reply(ORDER))
    with client(resilience_sdk, server) as api:
        api.orders.create(amount=1)
        api.orders.create(amount=2)
    first, second = (r.headers["idempotency-key"] for r in server.requests)
    assert first != second


def test_a_key_given_by_the_caller_is_kept(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(BUSY, json_reply(ORDER))
    with client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api:
        api.orders.create(amount=5, idempotency_key="mine-1")
    assert [r.headers["idempotency-key"] for r in server.requests] == ["mine-1", "mine-1"]


def test_no_key_without_retries_and_no_retry_without_key(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(json_reply(ORDER), BUSY, json_reply(ORDER))
    with client(resilience_sdk, server, retry_config=None) as api:
        api.orders.create(amount=5)
    with (
        client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api,
        pytest.raises(resilience_sdk.APIError),
    ):
        api.orders.create_plain(amount=5)  # no idempotency header in the spec
    assert "idempotency-key" not in server.requests[0].headers
    assert "idempotency-key" not in server.requests[1].headers
    assert len(server.requests) == 2


def test_async_post_with_key_is_retried(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(drop=True), json_reply(ORDER))

    async def main() -> Any:
        async with client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api:
            return await api.orders.create_async(amount=5)

    assert asyncio.run(main()).amount == 5
    keys = {r.headers["idempotency-key"] for r in server.requests}
    assert len(server.requests) == 2 and len(keys) == 1


# --- request bodies on retry ---------------------------------------------------------


def test_file_body_is_rewound_for_every_attempt(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    data = b"0123456789" * 10_000
    upload = io.BytesIO(data)
    server.queue(BUSY, BUSY, json_reply({"id": "u1"}))
    with client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api:
        assert api.uploads.create(request=upload).id == "u1"
    assert [r.body for r in server.requests] == [data] * 3


def test_bytes_body_is_resent(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(Reply(drop=True), json_reply({"id": "u1"}))
    with client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api:
        api.uploads.create(request=b"payload")
    assert [r.body for r in server.requests] == [b"payload", b"payload"]


def test_one_shot_iterator_body_is_never_retried(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"part-1,"
        yield b"part-2"

    server.queue(BUSY, json_reply({"id": "u1"}))
    with (
        client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api,
        pytest.raises(resilience_sdk.APIError) as caught,
    ):
        api.uploads.create(request=chunks())
    assert caught.value.status_code == 503
    assert [r.body for r in server.requests] == [b"part-1,part-2"]


class Unseekable(io.RawIOBase):
    """A pipe-like file: readable once, cannot seek."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_unseekable_file_body_is_never_retried(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(BUSY, json_reply({"id": "u1"}))
    with (
        client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api,
        pytest.raises(resilience_sdk.APIError),
    ):
        api.uploads.create(request=Unseekable(b"pixels"))
    assert [r.body for r in server.requests] == [b"pixels"]


# --- hooks ---------------------------------------------------------------------------


def test_before_request_runs_per_attempt_and_can_sign(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    hooks = orq_sdk.Hooks()
    counter = iter(range(1, 10))

    def sign(request: httpx.Request) -> None:
        request.headers["x-signature"] = f"sig-{next(counter)}"

    hooks.register_before_request(sign)
    server.queue(BUSY, json_reply({"file": FILE}))
    with orq_sdk.Orq(api_key="k", server_url=server.url, hooks=hooks) as orq:
        orq.files.retrieve(file_id="f", retries=fast(orq_sdk))
    assert [r.headers["x-signature"] for r in server.requests] == ["sig-1", "sig-2"]


def test_after_success_and_after_error_hooks(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    class Rewritten(Exception):
        pass

    hooks = orq_sdk.Hooks()
    statuses: list[int] = []
    hooks.register_after_success(lambda response: statuses.append(response.status_code))
    hooks.register_after_error(lambda response, error: Rewritten(str(response.status_code)))
    server.queue(json_reply({"file": FILE}), json_reply({"error": "no"}, 404))
    with orq_sdk.Orq(api_key="k", server_url=server.url, hooks=hooks) as orq:
        orq.files.retrieve(file_id="f")
        with pytest.raises(Rewritten, match="404"):
            orq.files.retrieve(file_id="g")
    assert statuses == [200]


def test_after_error_hook_sees_connection_failures(orq_sdk: ModuleType) -> None:
    hooks, seen = attempt_counter(orq_sdk)
    failures: list[tuple[Any, Any]] = []

    def record(response: Any, error: Any) -> None:
        failures.append((response, error))

    hooks.register_after_error(record)
    with (
        orq_sdk.Orq(api_key="k", server_url=closed_port_url(), hooks=hooks) as orq,
        pytest.raises(orq_sdk.APIConnectionError),
    ):
        orq.files.retrieve(file_id="f", retries=fast(orq_sdk, attempts=2))
    assert len(seen) == 2
    assert len(failures) == 1
    assert failures[0][0] is None and isinstance(failures[0][1], httpx.ConnectError)


def test_hooks_run_for_async_calls(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    hooks, seen = attempt_counter(orq_sdk)
    server.queue(BUSY, json_reply({"file": FILE}))

    async def main() -> None:
        async with orq_sdk.Orq(api_key="k", server_url=server.url, hooks=hooks) as orq:
            await orq.files.retrieve_async(file_id="f", retries=fast(orq_sdk))

    asyncio.run(main())
    assert len(seen) == 2


# --- debug logging -------------------------------------------------------------------


def test_debug_log_lines_are_complete_and_redacted(
    resilience_sdk: ModuleType, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("tests.faults.debug")
    server.queue(BUSY, json_reply(ORDER))
    with (
        caplog.at_level(logging.DEBUG, logger=logger.name),
        client(
            resilience_sdk, server, retry_config=fast(resilience_sdk), debug_logger=logger
        ) as api,
    ):
        api.orders.create(amount=5, http_headers={"Authorization": "Bearer tok-123"})
    text = caplog.text
    assert "secret-key" not in text and "tok-123" not in text
    assert "api_key=%5Bredacted%5D" in text or "api_key=[redacted]" in text
    assert "POST" in text and "/orders" in text
    assert "attempt=1" in text and "attempt=2" in text
    assert "status=503" in text and "status=200" in text
    assert "elapsed=" in text and "retrying in" in text


def test_debug_env_var_turns_logging_on(tmp_path: Any) -> None:
    script = (
        "import logging, sys\n"
        "import orq_sdk\n"
        "client = orq_sdk.Orq(api_key='k', server_url='http://127.0.0.1:9')\n"
        "logger = client._state.logger\n"
        "print(logger is not None and logger.isEnabledFor(logging.DEBUG))\n"
    )
    source = str(GENERATED / "orq" / "src")
    outputs = []
    for value in ("1", ""):
        env = {"PYTHONPATH": source, "ORQ_DEBUG": value, "PATH": "/usr/bin:/bin"}
        run = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(run.stdout.strip())
    assert outputs == ["True", "False"]


# --- resource safety -----------------------------------------------------------------


def test_client_closes_what_it_opened_and_keeps_what_it_was_given(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(json_reply({"file": FILE}), json_reply({"file": FILE}))
    with orq_sdk.Orq(api_key="k", server_url=server.url) as orq:
        orq.files.retrieve(file_id="f")
        own = orq._state.client
    assert own.is_closed
    mine = httpx.Client()
    with orq_sdk.Orq(api_key="k", server_url=server.url, client=mine) as orq:
        orq.files.retrieve(file_id="f")
    assert not mine.is_closed
    mine.close()


def test_a_failing_parse_releases_the_connection(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=1))
    server.queue(
        Reply(200, b"{broken", {"Content-Type": "application/json"}),
        json_reply(CHAT),
    )
    with (
        httpx.Client(transport=transport, timeout=2.0) as http,
        orq_sdk.Orq(api_key="k", server_url=server.url, client=http) as orq,
    ):
        with pytest.raises(orq_sdk.ResponseValidationError):
            orq.router.chat.completions.create(model="m", messages=MESSAGES)
        # One pooled connection: this call would wait for the pool if it leaked.
        orq.router.chat.completions.create(model="m", messages=MESSAGES)
    assert len(server.requests) == 2


def test_a_given_client_keeps_its_headers_cookies_and_params(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(json_reply({"file": FILE}), json_reply({"file": FILE}))
    headers = {"x-team": "blue", "accept": "text/plain"}
    for http in (
        httpx.Client(headers=headers),
        httpx.Client(cookies={"session": "s1"}, params={"tenant": "t1"}),
    ):
        with http, orq_sdk.Orq(api_key="k", server_url=server.url, client=http) as orq:
            orq.files.retrieve(file_id="f")
    first, second = server.requests
    assert first.headers["x-team"] == "blue"
    assert first.headers["accept"] == "application/json"  # the operation's own Accept wins
    assert first.headers["authorization"] == "Bearer k"
    assert second.headers["cookie"] == "session=s1"
    assert dict(second.query)["tenant"] == "t1"


class ReadOnce:
    """A socket-like source: read() and nothing else."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


def test_multipart_file_objects_replay_only_when_seekable(
    orq_sdk: ModuleType, server: ScriptedServer
) -> None:
    reply = json_reply({"created": 1, "data": []})
    server.queue(BUSY, reply, BUSY, reply)
    policy = fast(orq_sdk, retry_non_idempotent=True)
    pixels = b"\x89PNG" * 1000
    with orq_sdk.Orq(api_key="k", server_url=server.url) as orq:
        orq.router.images.edits.create(
            model="m", prompt="p", image=io.BytesIO(pixels), retries=policy
        )
        with pytest.raises(orq_sdk.APIError):
            orq.router.images.edits.create(
                model="m", prompt="p", image=ReadOnce(pixels), retries=policy
            )
    images = [
        next(p["data"] for p in r.multipart() if p["name"] == "image") for r in server.requests
    ]
    assert images == [pixels, pixels, pixels]  # two attempts, then one that is not repeated
