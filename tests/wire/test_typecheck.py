"""The wire SDK (every HTTP feature at once) is mypy --strict clean for Python 3.10."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType


def test_wire_sdk_passes_mypy_strict(wire: ModuleType, tmp_path: Path) -> None:
    package = Path(str(wire.__file__)).parent
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
            package.name,
        ],
        cwd=package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
