"""The generated SDK is valid, black-stable and passes `mypy --strict`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import read_config
from tests.conftest import ROOT

TARGETS = read_config(ROOT / "sdkforge.yaml").targets


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_mypy_strict_on_generated_package(target, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    package = Path(target.output) / "src" / target.package
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(tmp_path / "mypy"),
            "--no-error-summary",
            str(package),
        ],
        cwd=Path(target.output) / "src",
        capture_output=True,
        check=False,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_generated_code_is_black_stable(target) -> None:  # type: ignore[no-untyped-def]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "black",
            "--check",
            "--quiet",
            "--config",
            "/dev/null",
            "--target-version",
            "py310",
            str(Path(target.output) / "src"),
        ],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
