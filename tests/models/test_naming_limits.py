"""Findings F1 (unbounded inline names) and F5 (allOf naming an enclosing component).

The reproducers are the specs in tools/findings/; each one generates, compiles and parses
an instance, and the names and model counts stay bounded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from generator.cli import main
from generator.ir import names
from generator.ir.build import build_api
from generator.ir.nodes import Api
from generator.ir.types import ModelRef
from generator.load import load
from tests.conftest import ROOT
from tests.models.test_ir import OPTIONS, build, fields

FINDINGS = ROOT / "tools" / "findings"
DEEP = FINDINGS / "long-module-name.json"
RECURSIVE = FINDINGS / "recursive-allof.yaml"


def generate(spec: Path, out: Path) -> None:
    """The command line, in-process: exit 0 and no traceback."""
    run = CliRunner().invoke(
        main, ["generate", str(spec), "-o", str(out), "--no-cache", "--formatter", "none", "-q"]
    )
    assert run.exit_code == 0, run.output
    assert "Traceback" not in run.output


def parse_and_dump(out: Path, package: str, model: str, document: Any) -> Any:
    """Parse `document` into `models.<model>` of the generated SDK in a fresh interpreter."""
    code = (
        "import json, sys\n"
        f"from {package}.models import {model} as M\n"
        "doc = json.loads(sys.stdin.read())\n"
        "print(M.model_validate(doc).model_dump_json(by_alias=True, exclude_unset=True))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        cwd=out / "src",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def build_file(spec: Path) -> Api:
    api, problems = build_api(load(spec), OPTIONS)
    assert not [p for p in problems if p.severity.name == "ERROR"]
    return api


def check_bounded(api: Api) -> None:
    """Every class, module and docs page name is short and unique (case-insensitively)."""
    classes = [m.name for m in api.models] + [a.name for a in api.aliases]
    assert all(len(c) <= names.MAX_CLASS + 3 for c in classes), max(classes, key=len)
    assert len({c.casefold() for c in classes}) == len(classes)
    pages = [m.module for m in api.models] + [a.module for a in api.aliases]
    assert len({p.casefold() for p in pages}) == len(pages)
    assert all(len(p.encode()) < 120 for p in pages), max(pages, key=len)


def test_bounded_class_keeps_ends_and_tells_long_names_apart() -> None:
    short = "CreateImageEditOrqContact"
    assert names.bounded_class(short) == short
    one = "Deep" + "".join(f"Level{i}" for i in range(35, 0, -1))
    two = one.replace("Level20", "Other20")
    capped = names.bounded_class(one)
    assert len(capped) <= names.MAX_CLASS and capped.isidentifier()
    assert capped.startswith("Deep") and "Level2Level1X" in capped
    assert names.bounded_class(two) != capped  # same ends, different middle
    assert names.bounded_class(one) == capped  # a digest, not an order or a seed
    assert names.bounded_class("A" * 300).isidentifier()


def test_deep_inline_nesting_generates_with_bounded_names(tmp_path: Path) -> None:
    api = build_file(DEEP)
    check_bounded(api)
    assert len(api.models) == 36  # Deep and one model per nested level
    assert build_file(DEEP).models == api.models
    generate(DEEP, tmp_path / "out")
    longest = max(p.name for p in (tmp_path / "out").rglob("*"))
    assert len(longest.encode()) < 255
    document: Any = "leaf"
    for level in range(36):
        document = {f"level{level}": document}
    parsed = parse_and_dump(tmp_path / "out", "t", "Deep", document)
    assert parsed == document


def test_300_character_component_and_property_names(tmp_path: Path) -> None:
    long_name = "Very" + "Long" * 74
    prop = "field_" + "x" * 294
    schemas = {
        long_name: {"type": "object", "properties": {prop: {"type": "object", "properties": {}}}},
        long_name + "Other": {"type": "object", "properties": {"a": {"type": "string"}}},
    }
    schemas[long_name]["properties"][prop]["properties"] = {"b": {"type": "integer"}}
    api, _ = build(tmp_path, schemas)
    check_bounded(api)
    assert len(api.models) == 3
    spec = tmp_path / "spec.yaml"
    generate(spec, tmp_path / "out")
    model = next(m for m in api.models if m.location.pointer.count("/") == 3).name
    document = {prop: {"b": 1}}
    assert parse_and_dump(tmp_path / "out", "demo", model, document) == document


def test_allof_naming_the_enclosing_component_is_a_recursive_model(tmp_path: Path) -> None:
    api = build_file(RECURSIVE)
    assert sorted(m.name for m in api.models) == ["Node", "NodeNext"]
    assert fields(api, "Node")["next"].type == fields(api, "NodeNext")["next"].type
    assert isinstance(fields(api, "NodeNext")["next"].type, ModelRef)
    assert set(fields(api, "NodeNext")) == {"name", "next", "extra"}
    generate(RECURSIVE, tmp_path / "out")
    document = {"name": "a", "next": {"name": "b", "extra": True, "next": {"extra": False}}}
    assert parse_and_dump(tmp_path / "out", "tree", "Node", document) == document


def test_several_recursive_allof_properties_stay_linear(tmp_path: Path) -> None:
    ref = {"$ref": "#/components/schemas/Node"}
    props: dict[str, Any] = {"name": {"type": "string"}}
    for key in ("left", "right", "up", "down", "back"):
        props[key] = {"allOf": [ref, {"type": "object", "properties": {key + "_x": {}}}]}
    api, _ = build(tmp_path, {"Node": {"type": "object", "properties": props}})
    # Node, then one model per property: each location is converted once
    assert sorted(m.name for m in api.models) == [
        "Node",
        "NodeBack",
        "NodeDown",
        "NodeLeft",
        "NodeRight",
        "NodeUp",
    ]
    left = fields(api, "NodeLeft")
    assert left["left"].type.name == "NodeLeft" and left["right"].type.name == "NodeRight"


def test_inherited_inline_property_shares_the_base_class(tmp_path: Path) -> None:
    base = {
        "type": "object",
        "properties": {"audit": {"type": "object", "properties": {"by": {"type": "string"}}}},
    }
    sub = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"more": {"type": "string"}}},
        ]
    }
    # `Admin` sorts (and converts) before `Base`: the name still comes from Base
    api, _ = build(tmp_path, {"Admin": sub, "Base": base})
    assert fields(api, "Admin")["audit"].type.name == "BaseAudit"
    assert fields(api, "Base")["audit"].type.name == "BaseAudit"
    assert sorted(m.name for m in api.models) == ["Admin", "Base", "BaseAudit"]


def test_inherited_inline_enums_and_unions_are_one_alias(tmp_path: Path) -> None:
    cat = {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "cat"}}}
    dog = {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "dog"}}}
    base = {
        "type": "object",
        "properties": {
            "level": {"type": "string", "enum": ["low", "high"]},
            "pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, dog]},
        },
    }
    sub = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"required": ["level"]}]}
    api, _ = build(tmp_path, {"Admin": sub, "Base": base, "Cat": cat})
    admin, base_fields = fields(api, "Admin"), fields(api, "Base")
    assert admin["level"].type == base_fields["level"].type
    assert admin["level"].type.name == "BaseLevel"
    assert admin["pet"].type == base_fields["pet"].type
    assert admin["level"].required and not base_fields["level"].required
    assert sorted(a.name for a in api.aliases) == ["BaseLevel", "BasePet"]


def test_300_character_tags_operation_ids_and_enum_values(tmp_path: Path) -> None:
    long = "seg" * 100
    body = {"type": "object", "properties": {"p" + long: {"type": "object", "properties": {}}}}
    json_body = {"schema": body}
    operation = {
        "operationId": "op" + long,
        "tags": ["tag" + long],
        "parameters": [
            {"name": "q" + long, "in": "query", "schema": {"enum": ["a" + long, "b"]}},
        ],
        "responses": {"200": {"description": "ok", "content": {"application/json": json_body}}},
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Long", "version": "1"},
        "paths": {f"/{long}": {"get": operation}},
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    generate(spec, tmp_path / "out")
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert max(len(p.name.encode()) for p in files) < 100
    code = "import long\nfrom long import *\nfrom long.models import *\nprint('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path / "out" / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stderr
