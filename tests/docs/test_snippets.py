"""Docs that cannot lie: every ```python block of each generated README and docs/ page runs,
unchanged, against a mock of its spec, and every request it makes is one the spec allows."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.config import read_config
from tests.conftest import ROOT
from tests.docs.mockapi import MockApi

TARGETS = {t.name: t for t in read_config(ROOT / "sdkforge.yaml").targets}
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)
_USAGE = re.compile(r'<!-- UsageSnippet [^>]*method="(\w+)" path="([^"]+)" -->\n```python')
_ENV = re.compile(r'os\.getenv\("([A-Z0-9_]+)"')


def extract(path: Path) -> Iterator[tuple[int, str, tuple[str, str] | None]]:
    """(line, code, documented (METHOD, path) or None) for each python block of a page."""
    text = path.read_text(encoding="utf-8")
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 2
        before = text[: match.start() + len("```python")]
        usage = _USAGE.search(before[-400:]) if "UsageSnippet" in before[-400:] else None
        operation = (usage[1].upper(), usage[2]) if usage else None
        yield line, match[1], operation


def _snippets() -> Iterator[Any]:
    for name, target in sorted(TARGETS.items()):
        out = Path(target.output)
        pages = [out / "README.md", *sorted((out / "docs").rglob("*.md"))]
        for page in pages:
            if not page.is_file():
                continue
            for line, code, operation in extract(page):
                shown = f"{page.relative_to(out).as_posix()}:{line}"
                yield pytest.param(name, code, operation, id=f"{name}/{shown}")


SNIPPETS = list(_snippets())


@pytest.fixture(scope="module")
def mocks() -> Iterator[dict[str, tuple[MockApi, str]]]:
    """One running mock per target, started on first use."""
    started: dict[str, tuple[MockApi, str]] = {}

    class Lazy(dict):  # type: ignore[type-arg]
        def __missing__(self, key: str) -> tuple[MockApi, str]:
            mock = MockApi(TARGETS[key].spec)
            started[key] = (mock, mock.start())
            self[key] = started[key]
            return started[key]

    yield Lazy()
    for mock, _ in started.values():
        mock.stop()


def _redirect(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    """Send every request httpx makes to the mock, keeping its path and query."""
    target = httpx.URL(base)
    sync_send = httpx.HTTPTransport.handle_request
    async_send = httpx.AsyncHTTPTransport.handle_async_request

    def moved(request: httpx.Request) -> None:
        request.url = request.url.copy_with(scheme="http", host=target.host, port=target.port)

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        moved(request)
        return sync_send(self, request)

    async def handle_async(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> Any:
        moved(request)
        return await async_send(self, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)


def test_snippets_were_found() -> None:
    assert len(SNIPPETS) >= 10, "the generated docs should hold runnable snippets"


@pytest.mark.parametrize(("target", "code", "operation"), SNIPPETS)
def test_snippet_runs_against_a_mock_of_the_spec(
    target: str,
    code: str,
    operation: tuple[str, str] | None,
    mocks: dict[str, tuple[MockApi, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mock, base = mocks[target]
    source = str(Path(TARGETS[target].output) / "src")
    monkeypatch.syspath_prepend(source)
    monkeypatch.chdir(tmp_path)
    for variable in _ENV.findall(code):
        monkeypatch.setenv(variable, "docs-test-credential")
    _redirect(monkeypatch, base)
    first = len(mock.seen)
    exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__"})
    seen = mock.seen[first:]
    assert [s.violations for s in seen if s.violations] == []
    if operation is not None:
        method, path = operation
        assert [(s.method, s.operation) for s in seen] == [(method, path)]
    assert "Traceback" not in capsys.readouterr().err
    assert os.getcwd() == str(tmp_path) and sys.path[0] == source
