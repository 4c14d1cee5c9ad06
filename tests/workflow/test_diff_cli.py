"""`sdkforge diff` on the command line: formats, exit codes, the changelog; real spec pairs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import shared_path
from tests.workflow.pets import BASE, DELETE, edited

REMOVED = edited((("paths", "/pets/{id}", "delete"), DELETE))
ADDED = edited(
    (("paths", "/pets", "get", "parameters", 3), {"name": "q", "in": "query", "schema": {}})
)


def _write(folder: Path, name: str, spec: dict[str, Any]) -> str:
    path = folder / name
    path.write_text(json.dumps(spec))
    return str(path)


def run(*args: str) -> Any:
    """The CLI in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    old, new = _write(tmp_path, "old.json", BASE), _write(tmp_path, "new.json", REMOVED)
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"breaking", "bump", "changes"}
    assert document["breaking"] is True and document["bump"] == "major"
    assert document["changes"] == [
        {
            "kind": "operation-removed",
            "breaking": True,
            "location": "pets.delete_pet",
            "message": "method pets.delete_pet (DELETE /pets/{id}) was removed",
        }
    ]


def test_fail_on_breaking_sets_the_exit_code(tmp_path: Path) -> None:
    base = _write(tmp_path, "base.json", BASE)
    removed = _write(tmp_path, "removed.json", REMOVED)
    added = _write(tmp_path, "added.json", ADDED)
    assert run("diff", base, removed, "--fail-on-breaking").exit_code == 1
    assert run("diff", base, removed).exit_code == 0
    ok = run("diff", base, added, "--fail-on-breaking")
    assert ok.exit_code == 0
    assert "argument-added" in ok.stdout and "(bump: minor)" in ok.stdout


def test_markdown_and_changelog(tmp_path: Path) -> None:
    spec = copy.deepcopy(REMOVED)
    spec["paths"]["/pets"]["get"]["parameters"].append(
        {"name": "q|x", "in": "query", "schema": {"type": "string"}}
    )
    old, new = _write(tmp_path, "old.json", BASE), _write(tmp_path, "new.json", spec)
    log = tmp_path / "CHANGELOG-entry.md"
    result = run("diff", old, new, "--format", "markdown", "--changelog", str(log))
    assert result.exit_code == 0, result.stderr
    assert "**Breaking** (needs a **major** version bump)" in result.stdout
    assert "| :boom: | operation-removed | `pets.delete_pet` |" in result.stdout
    entry = log.read_text()
    assert entry.startswith("## Unreleased\n\n### Breaking changes\n\n- method pets.delete_pet")
    assert "### Added\n\n- q_x is a new optional argument (`pets.list_pets(q_x)`)" in entry


def test_an_invalid_spec_is_reported_not_compared(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.json", BASE)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\ninfo: [\n")
    result = run("diff", old, str(broken))
    assert result.exit_code == 1
    assert "broken.yaml:3:1: error[yaml-syntax]" in result.stderr
    assert "cannot build the SDK" in result.stderr


def _json_report(old: Path, new: Path) -> dict[str, Any]:
    result = run("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_petstore_versions_from_shared_specs() -> None:
    simple = shared_path("specs", "features", "3.0", "petstore-simple.json")
    expanded = shared_path("specs", "features", "3.0", "petstore-expanded.json")
    forward = _json_report(simple, expanded)
    backward = _json_report(expanded, simple)
    added = {c["location"] for c in forward["changes"] if c["kind"] == "operation-added"}
    removed = {c["location"] for c in backward["changes"] if c["kind"] == "operation-removed"}
    assert added and added == removed  # what one direction adds, the other removes
    assert all(c["breaking"] for c in backward["changes"] if c["kind"] == "operation-removed")
    assert backward["bump"] == "major"


@pytest.mark.parametrize(
    "name", ["petstore.json", "petstore-expanded.json", "schema-enums.json", "polymorphism.json"]
)
def test_a_spec_compared_with_itself_and_with_an_operation_dropped(
    name: str, tmp_path: Path
) -> None:
    source = shared_path("specs", "features", "3.0", name)
    assert _json_report(source, source) == {"breaking": False, "bump": "none", "changes": []}
    data = json.loads(source.read_text())
    path = sorted(data["paths"])[0]
    method = next(m for m in ("get", "post", "put", "delete", "patch") if m in data["paths"][path])
    del data["paths"][path][method]
    dropped = tmp_path / name
    dropped.write_text(json.dumps(data))
    report = _json_report(source, dropped)
    removed = [c for c in report["changes"] if c["kind"] == "operation-removed"]
    assert len(removed) == 1 and removed[0]["breaking"] and report["bump"] == "major"
    assert f"({method.upper()} {path})" in removed[0]["message"]
