"""Shared fixtures: repository paths, the generated SDK on sys.path, the scripted server."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every run in the session (in-process or a subprocess) caches in a fresh tmp folder.

    The default cache folder is read from SDKFORGE_CACHE_DIR on each run, so no test reads
    or fills the user's ~/.cache/sdkforge and no test passes by replaying an earlier run.
    """
    folder = tmp_path_factory.mktemp("sdkforge-cache")
    previous = os.environ.get("SDKFORGE_CACHE_DIR")
    os.environ["SDKFORGE_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("SDKFORGE_CACHE_DIR", None)
    else:
        os.environ["SDKFORGE_CACHE_DIR"] = previous


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
