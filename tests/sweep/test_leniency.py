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


def test_constraints_of_another_dialect_and_unknown_dialects_are_warnings(tmp_path: Path) -> None:
    """features/3.1/schema-validation-local.json: `exclusiveMaximum: true` (draft 4's form)
    and `$schema` URIs the validator does not know, in a 3.1 spec."""
    old = {"type": "number", "maximum": 20, "exclusiveMaximum": True}
    dialect = {"$schema": "https://json-schema.org/draft-07/schema#", "type": "integer"}
    broken = {"type": "object", "properties": {"minimum": {"type": "string"}}, "minLength": "x"}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Numbers", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Old": old, "Dialect": dialect, "Named": broken}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    found = {(d.severity.value, d.rule, d.location.pointer) for d in validate(load(path))}
    assert ("warning", "unchecked-constraint", "#/components/schemas/Old/exclusiveMaximum") in found
    assert ("warning", "unknown-dialect", "#/components/schemas/Dialect") in found
    assert ("warning", "unchecked-constraint", "#/components/schemas/Named/minLength") in found
    assert not [f for f in found if f[0] == "error"], found
    # a property *named* like a constraint keeps the schema rules
    document["components"]["schemas"]["Named"]["properties"]["minimum"] = 5
    path.write_text(json.dumps(document), encoding="utf-8")
    errors = [d for d in validate(load(path)) if d.severity.value == "error"]
    assert [d.location.pointer for d in errors] == ["#/components/schemas/Named/properties/minimum"]
