"""`sdkforge diff`: each kind of SDK surface change is found and classified right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.diff import DiffReport, compare, surface_of
from generator.ir.build import BuildOptions, build_api
from generator.load import load
from tests.workflow.pets import BASE, DELETE, edited

GET = ("paths", "/pets", "get")
GET_ONE = ("paths", "/pets/{id}", "get")
SCHEMAS = ("components", "schemas")
PET = (*SCHEMAS, "Pet")
PET_REF = {"$ref": "#/components/schemas/Pet"}
ANIMAL_REF = {"$ref": "#/components/schemas/Animal"}


def _surface(spec: dict[str, Any], folder: Path, name: str):  # type: ignore[no-untyped-def]
    path = folder / f"{name}.json"
    path.write_text(json.dumps(spec))
    options = BuildOptions("pets", "Pets", "pets", "0.1.0", path.name)
    api, problems = build_api(load(path), options)
    assert not [p for p in problems if p.severity.value == "error"], problems
    return surface_of(api)


def diff(old: dict[str, Any], new: dict[str, Any], folder: Path) -> DiffReport:
    """The report for two in-memory specs."""
    return compare(_surface(old, folder, "old"), _surface(new, folder, "new"))


def _renamed_pet() -> dict[str, Any]:
    spec = edited()
    schemas = spec["components"]["schemas"]
    schemas["Animal"] = schemas.pop("Pet")
    text = json.dumps(spec["paths"]).replace(json.dumps(PET_REF), json.dumps(ANIMAL_REF))
    spec["paths"] = json.loads(text)
    return spec


def _param(name: str, required: bool, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


NEW_OP = {
    "operationId": "adoptPet",
    "tags": ["pets"],
    "responses": {"204": {"description": "adopted"}},
}
OWNER_JSON = {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}}
# (name, new spec, expected change kind, expected breaking flag, expected bump of the report)
CASES: list[tuple[str, dict[str, Any], str, bool, str]] = [
    (
        "operation removed",
        edited((("paths", "/pets/{id}", "delete"), DELETE)),
        "operation-removed",
        True,
        "major",
    ),
    (
        "operation added",
        edited((("paths", "/pets/{id}", "put"), NEW_OP)),
        "operation-added",
        False,
        "minor",
    ),
    (
        "new optional parameter",
        edited(((*GET, "parameters", 3), _param("sort", False, {"type": "string"}))),
        "argument-added",
        False,
        "minor",
    ),
    (
        "new required parameter",
        edited(((*GET, "parameters", 3), _param("sort", True, {"type": "string"}))),
        "argument-added-required",
        True,
        "major",
    ),
    (
        "required -> optional",
        edited(((*GET, "parameters", 1, "required"), False)),
        "argument-became-optional",
        False,
        "minor",
    ),
    (
        "optional -> required",
        edited(((*GET, "parameters", 0, "required"), True)),
        "argument-became-required",
        True,
        "major",
    ),
    (
        "argument type narrowed",
        edited(((*GET, "parameters", 0, "schema"), {"type": "integer"})),
        "type-narrowed",
        True,
        "major",
    ),
    (
        "argument type widened",
        edited(
            (
                (*GET, "parameters", 1, "schema"),
                {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            )
        ),
        "type-widened",
        False,
        "minor",
    ),
    (
        "argument type changed",
        edited(((*GET, "parameters", 1, "schema"), {"type": "boolean"})),
        "type-changed",
        True,
        "major",
    ),
    (
        "enum value removed",
        edited(((*SCHEMAS, "Status", "enum"), ["available"])),
        "enum-value-removed",
        True,
        "major",
    ),
    (
        "enum value added (open enum)",
        edited(((*SCHEMAS, "Status", "enum"), ["available", "sold", "pending"])),
        "enum-value-added",
        False,
        "minor",
    ),
    ("model renamed", _renamed_pet(), "model-renamed", True, "major"),
    (
        "field removed",
        edited(((*PET, "properties", "tag"), DELETE)),
        "field-removed",
        True,
        "major",
    ),
    (
        "field added",
        edited(((*PET, "properties", "colour"), {"type": "string"})),
        "field-added",
        False,
        "minor",
    ),
    (
        "output field became optional",
        edited(((*PET, "required"), ["id"])),
        "field-became-optional",
        True,
        "major",
    ),
    (
        "output field widened",
        edited(
            ((*PET, "properties", "name"), {"oneOf": [{"type": "string"}, {"type": "integer"}]})
        ),
        "type-widened",
        True,
        "major",
    ),
    (
        "output field narrowed",
        edited(((*PET, "properties", "weight"), {"type": "integer"})),
        "type-narrowed",
        False,
        "minor",
    ),
    (
        "output field may be null",
        edited(((*PET, "properties", "id", "nullable"), True)),
        "field-nullability-changed",
        True,
        "major",
    ),
    (
        "response type changed",
        edited(((*GET_ONE, "responses", "200", "content"), OWNER_JSON)),
        "response-type-changed",
        True,
        "major",
    ),
    (
        "group moved",
        edited(((*GET_ONE, "x-speakeasy-group"), "animals")),
        "operation-moved",
        True,
        "major",
    ),
    (
        "method renamed",
        edited(((*GET_ONE, "x-speakeasy-name-override"), "fetch")),
        "operation-renamed",
        True,
        "major",
    ),
    (
        "description only",
        edited(((*GET, "summary"), "List every pet.")),
        "docs-changed",
        False,
        "patch",
    ),
    (
        "operation deprecated",
        edited(((*GET_ONE, "deprecated"), True)),
        "operation-deprecated",
        False,
        "minor",
    ),
]


@pytest.mark.parametrize(
    ("name", "new", "kind", "breaking", "bump"), CASES, ids=[c[0] for c in CASES]
)
def test_each_change_kind_is_classified(
    tmp_path: Path, name: str, new: dict[str, Any], kind: str, breaking: bool, bump: str
) -> None:
    report = diff(BASE, new, tmp_path)
    found = [c for c in report.changes if c.kind == kind]
    assert found, f"{name}: no {kind} in {report.changes}"
    assert all(c.breaking is breaking for c in found), found
    assert report.breaking is breaking
    assert report.bump == bump, report.changes


def test_no_change_means_no_bump(tmp_path: Path) -> None:
    report = diff(BASE, edited(), tmp_path)
    assert report.changes == () and report.bump == "none" and not report.breaking


def test_a_rename_is_not_also_a_removal(tmp_path: Path) -> None:
    report = diff(BASE, _renamed_pet(), tmp_path)
    kinds = [c.kind for c in report.changes]
    assert "model-removed" not in kinds and "model-added" not in kinds
    assert "response-type-changed" not in kinds  # list[Pet] -> list[Animal] is the rename


def test_a_moved_method_is_reported_once_not_as_removed_and_added(tmp_path: Path) -> None:
    report = diff(BASE, edited(((*GET_ONE, "x-speakeasy-group"), "animals")), tmp_path)
    assert [c.kind for c in report.changes] == ["operation-moved"]
    assert report.changes[0].location == "pets.get_pet"
    assert "animals.get_pet" in report.changes[0].message


def test_many_changes_add_up(tmp_path: Path) -> None:
    new = edited(
        (("paths", "/pets/{id}", "delete"), DELETE),
        (("paths", "/pets/{id}", "put"), NEW_OP),
        ((*GET, "summary"), "Changed."),
    )
    report = diff(BASE, new, tmp_path)
    assert {c.kind: c.breaking for c in report.changes} == {
        "operation-removed": True,
        "operation-added": False,
        "docs-changed": False,
    }
    assert report.as_dict()["bump"] == "major"
