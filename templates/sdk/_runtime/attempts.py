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
    time budget are used up, or the failure is not one the policy retries.
    """

    __slots__ = ("_allowed", "_replay", "_state", "config")

    def __init__(
        self,
        config: RetryConfig,
        request: httpx.Request,
        replay: Replay,
        idempotency: str | None,
    ) -> None:
        self.config = config
        has_key = idempotency is not None and idempotency in request.headers
        self._allowed = config.allows_method(request.method, has_key)
        self._replay = replay
        self._state = RetryState(config, time.monotonic())

    def _delay(self, retry_after: float | None) -> float | None:
        if not self._allowed:
            return None
        delay = self._state.next_delay(time.monotonic(), retry_after)
        if delay is None or not self._replay():
            return None
        return delay

    def after_error(self, error: httpx.TransportError) -> float | None:
        """After a connection error or timeout."""
        if not self.config.retry_connection_errors:
            return None
        return self._delay(None)

    def after_status(self, response: httpx.Response) -> float | None:
        """After a response whose status the policy retries (Retry-After honoured)."""
        return self._delay(parse_retry_after(response.headers, time.time()))

    @property
    def attempts(self) -> int:
        """Attempts made so far, counting the one in flight."""
        return self._state.attempts
