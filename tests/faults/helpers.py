"""Small helpers shared by the fault-injection tests."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx

FILE = {
    "file_id": "file_1",
    "purpose": "retrieval",
    "file_name": "a.txt",
    "bytes": "12",
    "created_at": "2024-01-01T00:00:00Z",
    "project_id": "p1",
}
CHAT = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}
    ],
}
MESSAGES = [{"role": "user", "content": "hello"}]


@dataclass
class Clock:
    """Elapsed wall time of a `with timed() as clock:` block."""

    started: float
    elapsed: float = 0.0


@contextmanager
def timed() -> Iterator[Clock]:
    """Measure the wall time of a block (also when it raises)."""
    clock = Clock(time.monotonic())
    try:
        yield clock
    finally:
        clock.elapsed = time.monotonic() - clock.started


def fast(sdk: ModuleType, attempts: int = 3, budget_ms: int = 10_000, **options: Any) -> Any:
    """A retry policy with millisecond backoff, so tests measure the server, not the jitter."""
    backoff = sdk.BackoffStrategy(10, 40, 2.0, budget_ms)
    return sdk.RetryConfig("backoff", backoff, True, max_attempts=attempts, **options)


def attempt_counter(sdk: ModuleType) -> tuple[Any, list[httpx.Request]]:
    """Hooks whose before-request hook records every attempt the client makes."""
    hooks = sdk.Hooks()
    seen: list[httpx.Request] = []
    hooks.register_before_request(seen.append)
    return hooks, seen


def closed_port_url() -> str:
    """A loopback URL on which nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
