"""Checks of openapi-spec-validator that are stricter than OpenAPI become warnings, not errors.

Found by the corpus sweep (cloudrf.com, telnyx.com: an enum value listed twice; shipengine.com:
`required` names a property that only a oneOf branch defines). OpenAPI 3.0's own schema says
`enum: uniqueItems: false`, and JSON Schema lets `required` name any key.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from generator.cli import main
from generator.load import load
from generator.validate import validate


def _write(folder: Path, schemas: dict[str, Any]) -> Path:
    path = folder / "spec.json"
    get = {"responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Body"}}}}}}  # fmt: skip
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "getA", **get}}},
        "components": {"schemas": schemas},
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _found(path: Path) -> list[tuple[str, str, str]]:
    return [(d.severity.value, d.rule, d.location.pointer) for d in validate(load(path))]


def test_a_repeated_enum_value_is_a_warning_and_kept_once(tmp_path: Path) -> None:
    body = {"type": "string", "enum": ["kml", "kml", "shp"]}
    path = _write(tmp_path, {"Body": body})
    assert _found(path) == [("warning", "duplicate-enum-value", "#/components/schemas/Body/enum")]
    run = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    models = "".join(p.read_text("utf-8") for p in (tmp_path / "out").rglob("models/*.py"))
    assert 'Literal["kml", "shp"]' in models


def test_required_names_outside_properties_are_a_warning_in_a_stable_order(tmp_path: Path) -> None:
    one = {"type": "object", "properties": {"b": {"type": "string"}}}
    body = {"allOf": [{"$ref": "#/components/schemas/One"}], "required": ["z", "a", "m", "b"]}
    path = _write(tmp_path, {"Body": body, "One": one})
    spec = load(path)
    (warning,) = validate(spec)
    assert (warning.severity.value, warning.rule) == ("warning", "required-undefined")
    assert "'a', 'm', 'z'" in warning.message, warning.message
    run = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output


def test_a_wrong_enum_is_still_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, {"Body": {"type": "string", "enum": "kml"}})
    assert ("error", "openapi-schema") in [(s, r) for s, r, _ in _found(path)]


def test_a_backtracking_pattern_cannot_hang_validation(tmp_path: Path) -> None:
    # beezup.com: `([\/\w \.-]*)*` against its own example took minutes of CPU in Python's re.
    # Examples and defaults are not checked against patterns (the SDK checks none); SIGALRM
    # turns a hang into a failure.
    value = "a" * 40 + "!"
    body = {"type": "string", "pattern": "^(a+)+$", "example": value, "default": value}
    path = _write(tmp_path, {"Body": body})
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(60)
    try:
        found = _found(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert found == []


def _hung(*_: object) -> None:
    raise AssertionError("validation hung on a backtracking pattern")
