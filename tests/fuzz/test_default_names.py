"""Specs whose title makes a hostile default package name still give an SDK that imports.

The reproducers of finding F2 (tools/findings/title-*.json): a title naming a standard
library module (`Email`), a keyword (`import`) and a 300-letter title.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

FINDINGS = Path(__file__).resolve().parents[2] / "tools" / "findings"


@pytest.mark.parametrize("name", ["title-email", "title-keyword", "title-long"])
def test_spec_title_gives_a_package_that_imports(name: str, tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    args = ["generate", str(FINDINGS / f"{name}.json"), "-o", str(out), "--formatter", "none"]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    (package,) = [p.name for p in (out / "src").iterdir() if p.is_dir()]
    assert package not in sys.stdlib_module_names and len(package) <= 48, package
    code = f"import {package}, httpx; assert {package}.__file__.startswith({str(out)!r})"
    probe = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=out / "src", capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr
    toml = (out / "pyproject.toml").read_text(encoding="utf-8")
    assert f'name = "{package.replace("_", "-")}"' in toml, toml
