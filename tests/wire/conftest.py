"""The SDK generated from tests/wire/wire.yaml, and an httpx transport that records requests."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT

SPEC = Path(__file__).with_name("wire.yaml")
PACKAGE = "wire_sdk"


@pytest.fixture(scope="session")
def wire(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The generated `wire_sdk` package (generated once per test process)."""
    out = tmp_path_factory.mktemp("wire")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SPEC),
            "-o",
            str(out),
            "--package-name",
            PACKAGE,
            "--client-name",
            "Wire",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(out / "src"))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out / "src"))


class Recorder:
    """An httpx mock transport: records every request, answers queued responses (204)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.replies: deque[httpx.Response | Callable[[httpx.Request], httpx.Response]] = deque()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if not self.replies:
            return httpx.Response(204)
        reply = self.replies.popleft()
        return reply(request) if callable(reply) else reply

    def queue(self, *replies: httpx.Response | Callable[[httpx.Request], httpx.Response]) -> None:
        """Answer the next requests with these."""
        self.replies.extend(replies)

    @property
    def last(self) -> httpx.Request:
        """The last request sent."""
        return self.requests[-1]

    def target(self) -> str:
        """Raw path and query of the last request, as sent on the wire."""
        return self.last.url.raw_path.decode("ascii")


@pytest.fixture()
def recorder() -> Recorder:
    """A fresh recorder."""
    return Recorder()


@pytest.fixture()
def client(wire: ModuleType, recorder: Recorder) -> Iterator[Any]:
    """A Wire client on the recorder (no retries), base URL https://api.test."""
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    with wire.Wire(server_url="https://api.test", client=http, retry_config=None) as sdk:
        yield sdk
    http.close()
