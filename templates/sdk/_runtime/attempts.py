"""One logical request's retries: may it be sent again, how long to wait, is the body replayable.

Request bodies are re-sent intact: bytes as they are, file objects rewound to where
they stood when the call began (multipart file parts are rewound by httpx). A body that
can be read only once (a generator, an iterator, an async iterator, an unseekable file)
is never buffered behind the caller's back: such a request is simply not retried, and
the first failure is raised. Pass bytes or a seekable file to make uploads retryable.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from .errors import APIConnectionError, APITimeoutError
from .operation import Body
from .retries import RetryConfig, RetryState, parse_retry_after

__all__ = ["Attempts", "connection_error", "replay_check"]

Replay = Callable[[], bool]


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def _seekable(value: Any) -> bool:
    try:
        return bool(value.seekable())
    except (AttributeError, ValueError, OSError):
        return hasattr(value, "seek") and hasattr(value, "tell")


def _rewinder(value: Any) -> Replay:
    """A replay check for a binary body: bytes replay, seekable files are rewound."""
    if value is None or isinstance(value, bytes | bytearray | memoryview | str):
        return _always
    if hasattr(value, "read") and _seekable(value):
        try:
            position = value.tell()
        except (OSError, ValueError, io.UnsupportedOperation):
            return _never

        def rewind() -> bool:
            try:
                value.seek(position)
            except (OSError, ValueError, io.UnsupportedOperation):
                return False
            return True

        return rewind
    return _never


def _file_content(value: Any) -> Any:
    content = getattr(value, "content", None)
    if content is None and isinstance(value, Mapping):
        content = value.get("content")
    if content is None and isinstance(value, tuple) and len(value) >= 2:
        content = value[1]
    return value if content is None else content


def _parts_replayable(body: Body, value: Any) -> bool:
    """Multipart: every file part must be bytes or a seekable file (httpx rewinds it)."""
    if not isinstance(value, Mapping):
        return True
    for name in body.files:
        part = value.get(name)
        for item in part if isinstance(part, list) else [part]:
            content = _file_content(item)
            if content is None or isinstance(
                content, bytes | bytearray | memoryview | str
            ):
                continue
            if not (hasattr(content, "read") and _seekable(content)):
                return False
    return True


def replay_check(body: Body | None, value: Any) -> Replay:
    """Call before re-sending: prepares the body again and says whether that worked."""
    if body is None or body.kind in ("json", "form"):
        return _always  # encoded to bytes up front
    if body.kind == "multipart":
        return _always if _parts_replayable(body, value) else _never
    return _rewinder(value)


def connection_error(
    error: httpx.TransportError, request: httpx.Request | None
) -> APIConnectionError:
    """The SDK error for a transport failure: a timeout, or any other connection problem."""
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"request timed out: {error!r}", request)
    return APIConnectionError(f"connection failed: {error!r}", request)


class Attempts:
    """Retry decisions for one request under one policy.

    Each ``after_*`` method returns the seconds to wait before the next attempt, or
    None when the failure must be raised: the method may not be retried (not
    idempotent and no idempotency key), the body cannot be sent again, attempts or the
    time budget are used up, or the failure is not one the policy retries. Creating one
    is cheap: everything but a file body's position is worked out at the first failure.
    """

    __slots__ = (
        "_body",
        "_replay",
        "_request",
        "_state",
        "_value",
        "config",
        "idempotency",
    )

    def __init__(
        self,
        config: RetryConfig,
        request: httpx.Request,
        body: Body | None,
        value: Any,
        idempotency: str | None,
    ) -> None:
        self.config = config
        self.idempotency = idempotency
        self._request = request
        self._body = body
        self._value = value
        self._state: RetryState | None = RetryState(config, time.monotonic())
        # A file body's position must be taken before the first attempt reads it.
        streamed = body is not None and body.kind not in ("json", "form", "multipart")
        self._replay: Replay | None = replay_check(body, value) if streamed else None

    def _delay(self, retry_after: float | None) -> float | None:
        state = self._state
        if state is None:
            return None
        if state.attempts == 1 and not self._may_repeat():
            self._state = None
            return None
        delay = state.next_delay(time.monotonic(), retry_after)
        replay = self._replay
        if delay is None or (replay is not None and not replay()):
            return None
        return delay

    def _may_repeat(self) -> bool:
        """At the first failure: is the method retryable and the body replayable at all."""
        request = self._request
        key = self.idempotency
        has_key = key is not None and key in request.headers
        if not self.config.allows_method(request.method, has_key):
            return False
        if self._replay is None:
            self._replay = replay_check(self._body, self._value)
        return self._replay is not _never

    def after_error(self, error: httpx.TransportError) -> float | None:
        """After a connection error or timeout."""
        if not self.config.retry_connection_errors:
            return None
        return self._delay(None)

    def after_status(self, response: httpx.Response) -> float | None:
        """After a response whose status the policy retries (Retry-After honoured)."""
        return self._delay(parse_retry_after(response.headers, time.time()))
