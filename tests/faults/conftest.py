"""Fixtures of the fault-injection suite: SDK clients wired to the scripted loopback server."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

SPECS = Path(__file__).resolve().parent / "specs"


@pytest.fixture(scope="session")
def resilience_sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The SDK of specs/resilience.yaml (every pagination kind, idempotency headers)."""
    out = tmp_path_factory.mktemp("resilience")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SPECS / "resilience.yaml"),
            "-o",
            str(out),
            "--package-name",
            "resilience_sdk",
            "--client-name",
            "Resilience",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(out / "src"))
    return importlib.import_module("resilience_sdk")
