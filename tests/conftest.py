"""Shared fixtures: repository paths, the generated SDK on sys.path, the scripted server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.server import ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GENERATED = ROOT / "generated"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test cleanly when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path


@pytest.fixture(scope="session")
def orq_sdk() -> ModuleType:
    """The committed, generated SDK for specs/router.yaml, imported from generated/."""
    source = GENERATED / "orq" / "src"
    if str(source) not in sys.path:
        sys.path.insert(0, str(source))
    import orq_sdk

    return orq_sdk


@pytest.fixture(scope="session")
def constructs_sdk() -> ModuleType:
    """The committed, generated SDK for tests/specs/constructs.yaml (every schema construct)."""
    source = GENERATED / "constructs" / "src"
    if str(source) not in sys.path:
        sys.path.insert(0, str(source))
    import constructs_sdk

    return constructs_sdk


@pytest.fixture()
def server() -> Iterator[ScriptedServer]:
    """A scripted HTTP server on loopback, stopped after the test."""
    with ScriptedServer() as running:
        yield running
