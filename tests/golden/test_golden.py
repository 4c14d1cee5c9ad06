"""generated/ is the golden output: regenerating every target must reproduce it byte for byte."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import read_config
from generator.pipeline import Result, build_files
from generator.write import _previous
from tests.conftest import ROOT

CONFIG = read_config(ROOT / "sdkforge.yaml")


def _first_difference(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(),
        new.splitlines(),
        f"{path} (committed)",
        f"{path} (regenerated)",
        lineterm="",
        n=2,
    )
    return "\n".join(list(lines)[:30])


@pytest.mark.parametrize("target", CONFIG.targets, ids=lambda t: t.name)
def test_generated_output_is_up_to_date(target) -> None:  # type: ignore[no-untyped-def]
    result = Result(target)
    files = build_files(target, result)
    assert files is not None, "\n".join(d.render() for d in result.diagnostics)
    out = Path(target.output)
    problems = []
    for file in files:
        on_disk = out / file.path
        if not on_disk.is_file():
            problems.append(f"missing: {file.path}")
            continue
        committed = on_disk.read_text(encoding="utf-8")
        if committed != file.content:
            problems.append(_first_difference(file.path, committed, file.content))
    extra = sorted(_previous(out) - {f.path for f in files})
    problems.extend(f"stale (no longer generated): {path}" for path in extra)
    hint = "\nregenerate with `make golden`, review the diff, and commit it"
    assert not problems, "\n".join(problems[:5]) + hint


def _generate(out: Path, seed: str, spec: Path) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--package-name",
            "orq_sdk",
            "--client-name",
            "Orq",
            "--no-cache",  # each run generates from scratch: nothing is replayed
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_output_is_deterministic_across_hash_seeds_and_key_order(tmp_path: Path) -> None:
    import json
    import random

    from generator.load import load

    spec = ROOT / "specs" / "router.yaml"
    data = load(spec).data

    def shuffled(value: object, rng: random.Random) -> object:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {k: shuffled(v, rng) for k, v in items}
        if isinstance(value, list):
            return [shuffled(v, rng) for v in value]
        return value

    plain = tmp_path / "plain" / "router.json"
    reordered = tmp_path / "reordered" / "router.json"
    for path, value in ((plain, data), (reordered, shuffled(data, random.Random(7)))):
        path.parent.mkdir()
        path.write_text(json.dumps(value))
    first = _generate(tmp_path / "a", "1", spec)
    second = _generate(tmp_path / "b", "2", spec)
    assert first == second
    in_order = _generate(tmp_path / "c", "3", plain)
    shuffled_keys = _generate(tmp_path / "d", "4", reordered)
    assert in_order.keys() == shuffled_keys.keys() == first.keys()
    assert [p for p in in_order if in_order[p] != shuffled_keys[p]] == []
