"""Render-cache keys do not depend on the hash seed (set order does), or warm runs would miss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

from .specs import many_operations, write_spec

SCRIPT = """
import json, sys
from pathlib import Path
from generator.ir.build import BuildOptions, build_api
from generator.load import load
from generator.render.incremental import fingerprint
from generator.render.plan import plan
spec = load(Path(sys.argv[1]))
options = BuildOptions(
    package="p", client_class="C", distribution="p", sdk_version="1", spec_display="s"
)
api, _ = build_api(spec, options)
print(json.dumps({job.path: fingerprint(job.context) for job in plan(api)}))
"""


def test_job_fingerprints_are_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    data = many_operations(3)
    for index in range(6):  # enum aliases: their modules hold sets of what they need
        values = ["a", "b", "c"][: 2 + index % 2]
        data["components"]["schemas"][f"Kind{index}"] = {"type": "string", "enum": values}
        data["components"]["schemas"]["Item0"]["properties"][f"kind{index}"] = {
            "$ref": f"#/components/schemas/Kind{index}"
        }
    spec = write_spec(tmp_path / "spec.json", data)
    found = []
    for seed in ("1", "2", "3"):
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(spec)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        found.append(json.loads(run.stdout))
    assert found[0] == found[1] == found[2]
    assert all(value is not None for value in found[0].values())
