"""Specs of the shared corpus that OpenAPI calls invalid but that still describe an API.

features/3.0/openapi-workshop/post.json has `responses: {}` (OpenAPI asks for at least
one): a located warning, and a method that returns None, rather than no SDK at all.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.load import load
from generator.validate import validate


def test_an_operation_without_responses_is_a_warning_and_returns_none(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Hoot", "version": "1"},
        "paths": {"/hoot": {"post": {"operationId": "postHoot", "responses": {}}}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    found = [(d.severity.value, d.rule, d.location.pointer) for d in validate(load(path))]
    assert found == [("warning", "no-responses", "#/paths/~1hoot/post/responses")]
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["generate", str(path), "-o", str(out), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output
    client = (out / "src" / "hoot" / "client.py").read_text("utf-8")
    assert "def post_hoot(" in client and "-> None:" in client
