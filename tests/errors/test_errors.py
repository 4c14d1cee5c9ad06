"""Broken specs: `python -m generator validate NAME` prints exactly `NAME.expected`.

Each case is a spec file here (or, for a missing file, only its `.expected` file).
`NAME.strict.expected` runs the same spec with `--strict`. The CLI runs with this
folder as working directory and a relative file name, so the text is machine
independent. `SDKFORGE_UPDATE_EXPECTED=1` rewrites the expected files; review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
UPDATE = os.environ.get("SDKFORGE_UPDATE_EXPECTED") == "1"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
STRICT = ".strict"
# Specs with warnings only: `validate` accepts them (and `--strict` does not).
WARNINGS_ONLY = {"invalid-example"}


def _case_names() -> list[str]:
    names = {path.name.removesuffix(".expected") for path in HERE.glob("*.expected")}
    names |= {path.stem for path in HERE.iterdir() if path.suffix in SPEC_SUFFIXES}
    return sorted(names)


def _spec_name(stem: str) -> str:
    for suffix in SPEC_SUFFIXES:
        if (HERE / f"{stem}{suffix}").is_file():
            return f"{stem}{suffix}"
    return f"{stem}.yaml"  # no fixture: the missing-file case


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "generator", "validate", *args],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("case", _case_names())
def test_validate_prints_expected_text(case: str) -> None:
    strict = case.endswith(STRICT)
    stem = case.removesuffix(STRICT)
    spec = _spec_name(stem)
    result = _run(["--strict", spec] if strict else [spec])

    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    expected_code = 0 if stem in WARNINGS_ONLY and not strict else 1
    assert result.returncode == expected_code, result.stderr

    expected_file = HERE / f"{case}.expected"
    if UPDATE:
        expected_file.write_text(result.stderr, encoding="utf-8")
    assert expected_file.is_file(), f"no {expected_file.name}; run with SDKFORGE_UPDATE_EXPECTED=1"
    assert result.stderr == expected_file.read_text(encoding="utf-8")


def test_missing_file_case_has_no_fixture() -> None:
    assert not (HERE / "missing-file.yaml").exists()
    assert (HERE / "missing-file.expected").is_file()
