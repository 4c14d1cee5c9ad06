"""Schema -> IR decisions on small inline specs: names, tags, fallbacks and their warnings."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic
from generator.ir.build import BuildOptions, build_api
from generator.ir.nodes import Api
from generator.ir.types import AliasRef, AnyType, ListOf, MapOf, TupleOf, UnionOf, annotation
from generator.load import load

OPTIONS = BuildOptions("demo_sdk", "Demo", "demo-sdk", "0.1.0", "demo.yaml")


def build(tmp_path: Path, schemas: dict[str, Any], name: str = "spec.yaml") -> tuple[Api, list]:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Demo", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return build_api(load(path), OPTIONS)


def fields(api: Api, model: str) -> dict[str, Any]:
    found = next(m for m in api.models if m.name == model)
    return {f.wire_name: f for f in found.fields}


def alias(api: Api, name: str) -> Any:
    return next(a for a in api.aliases if a.name == name)


def messages(problems: list[Diagnostic]) -> list[str]:
    return [p.render() for p in problems]


CAT = {"type": "object", "properties": {"kind": {"type": "string"}, "meows": {"type": "boolean"}}}
DOG = {"type": "object", "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}}


def test_discriminator_without_known_tags_falls_back_with_a_located_warning(tmp_path: Path) -> None:
    schemas = {
        "Cat": CAT,
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "object", "properties": {}}],
            "discriminator": {"propertyName": "kind"},
        },
    }
    api, problems = build(tmp_path, schemas)
    assert isinstance(alias(api, "Pet").type, UnionOf)
    assert alias(api, "Pet").type.discriminator is None
    (text,) = [m for m in messages(problems) if "discriminator" in m]
    assert re.search(r"spec\.yaml:\d+:\d+: warning\[discriminator\] #/components/schemas/Pet", text)
    assert "Dict[str, Any]" in text


def test_mapping_to_a_missing_schema_is_reported(tmp_path: Path) -> None:
    schemas = {
        "Cat": CAT,
        "Dog": DOG,
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"x": "#/components/schemas/No"}},
        },
    }
    api, problems = build(tmp_path, schemas)
    assert any("mapping/x" in m and "does not exist" in m for m in messages(problems))
    # the members still get their implicit (component name) tags
    assert alias(api, "Pet").tags == (("Cat", "Cat", "cat"), ("Dog", "Dog", "dog"))


def test_unsupported_keywords_warn_and_keep_the_rest(tmp_path: Path) -> None:
    schemas = {
        "Guarded": {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "if": {"properties": {"a": {"const": 1}}},
            "then": {"required": ["a"]},
        },
        "Dyn": {"$dynamicRef": "#meta"},
    }
    api, problems = build(tmp_path, schemas)
    assert annotation(fields(api, "Guarded")["a"].type) == "int"
    texts = messages(problems)
    assert any("warning[unsupported-schema] #/components/schemas/Guarded/if" in t for t in texts)
    assert any("#/components/schemas/Dyn/$dynamicRef" in t for t in texts)


def test_names_do_not_depend_on_key_order(tmp_path: Path) -> None:
    schemas = {
        f"Thing{i}": {
            "type": "object",
            "properties": {
                "fooBar": {"type": "string"},
                "foo_bar": {"type": "string"},
                "FooBar": {"type": "object", "properties": {"x": {"type": "integer"}}},
                "status": {"enum": ["a", "b"]},
            },
        }
        for i in range(4)
    }
    first, _ = build(tmp_path, schemas, "a.yaml")
    shuffled = json.loads(json.dumps(schemas))
    items = list(shuffled.items())
    random.Random(7).shuffle(items)
    reordered = {}
    for key, value in items:
        props = list(value["properties"].items())
        random.Random(3).shuffle(props)
        reordered[key] = {**value, "properties": dict(props)}
    second, _ = build(tmp_path, reordered, "b.yaml")

    def shape(api: Api) -> list[tuple[str, list[tuple[str, str, str]]]]:
        return [
            (m.name, [(f.name, f.wire_name, annotation(f.type)) for f in m.fields])
            for m in api.models
        ]

    assert shape(first) == shape(second)
    assert [a.name for a in first.aliases] == [a.name for a in second.aliases]


def test_recursive_aliases_share_a_recursive_module(tmp_path: Path) -> None:
    schemas = {
        "Json": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"$ref": "#/components/schemas/Json"}},
                {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Json"}},
            ]
        }
    }
    api, _ = build(tmp_path, schemas)
    (module,) = [m for m in api.modules if any(a.name == "Json" for a in m.aliases)]
    assert module.recursive and "alias_type" in module.needs
    options = alias(api, "Json").type.options
    assert ListOf(AliasRef("Json", "json", "JsonTypedDict")) in options
    assert MapOf(AliasRef("Json", "json", "JsonTypedDict")) in options


def test_prefix_items_closed_and_open(tmp_path: Path) -> None:
    schemas = {
        "Arrays": {
            "type": "object",
            "properties": {
                "closed": {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
                "sized": {"type": "array", "prefixItems": [{"type": "integer"}], "maxItems": 1},
                "open": {"type": "array", "prefixItems": [{"type": "string"}]},
            },
        }
    }
    api, _ = build(tmp_path, schemas)
    found = fields(api, "Arrays")
    assert isinstance(found["closed"].type, TupleOf) and isinstance(found["sized"].type, TupleOf)
    assert found["open"].type == ListOf(AnyType())  # str or anything else: any item


def test_pattern_properties_type_map_values_and_extras(tmp_path: Path) -> None:
    schemas = {
        "Headers": {
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": False,
        },
        "Tagged": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "patternProperties": {"^n-": {"type": "integer"}},
            "additionalProperties": False,
        },
    }
    api, _ = build(tmp_path, schemas)
    tagged = next(m for m in api.models if m.name == "Tagged")
    assert tagged.extra == "allow" and annotation(tagged.extra_type) == "int"


def test_component_names_come_from_other_files_and_defs(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").write_text(
        yaml.safe_dump({"Address": {"type": "object", "properties": {"city": {"type": "string"}}}}),
        "utf-8",
    )
    schemas = {
        "Holder": {
            "type": "object",
            "$defs": {"Point": {"type": "object", "properties": {"x": {"type": "number"}}}},
            "properties": {
                "home": {"$ref": "./shared.yaml#/Address"},
                "where": {"$ref": "#/components/schemas/Holder/$defs/Point"},
            },
        }
    }
    api, problems = build(tmp_path, schemas)
    assert not problems
    assert {m.name for m in api.models} == {"Holder", "Address", "HolderPoint"}


def test_single_value_enum_is_a_constant_and_open_enums_take_ints(tmp_path: Path) -> None:
    schemas = {
        "Msg": {
            "type": "object",
            "required": ["role"],
            "properties": {"role": {"type": "string", "enum": ["assistant"]}},
        },
        "Code": {"type": "integer", "enum": [1, 2]},
    }
    api, _ = build(tmp_path, schemas)
    role = fields(api, "Msg")["role"]
    assert role.always_sent and role.default_expr == '"assistant"'
    assert annotation(alias(api, "Code").type) == "Literal[1, 2] | int"


def test_a_base_with_a_discriminator_becomes_a_union_of_its_subtypes(tmp_path: Path) -> None:
    base = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}},
        "discriminator": {"propertyName": "kind", "mapping": {"c": "#/components/schemas/Circle"}},
    }
    schemas = {
        "Shape": base,
        "Circle": {"allOf": [{"$ref": "#/components/schemas/Shape"}, {"properties": {"r": {}}}]},
        "Square": {
            "allOf": [
                {"$ref": "#/components/schemas/Shape"},
                {"properties": {"kind": {"const": "sq"}, "side": {"type": "number"}}},
            ]
        },
        "Board": {
            "type": "object",
            "properties": {
                "shapes": {"type": "array", "items": {"$ref": "#/components/schemas/Shape"}}
            },
        },
    }
    api, problems = build(tmp_path, schemas)
    assert not problems
    assert annotation(fields(api, "Board")["shapes"].type) == "list[ShapeVariants]"
    variants = alias(api, "ShapeVariants")
    assert variants.tags == (
        ("Shape", "Shape", "shape"),
        ("c", "Circle", "circle"),
        ("sq", "Square", "square"),
    )
    assert variants.tag_default == ("Shape", "shape")
    # the subtypes keep their own models, with the base's fields merged in
    assert set(fields(api, "Square")) == {"kind", "side"}


def test_a_component_that_is_a_reference_names_its_target(tmp_path: Path) -> None:
    schemas = {
        "Bar": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Foo": {"$ref": "#/components/schemas/Bar"},
        "Loop": {"$ref": "#/components/schemas/Loop2"},
        "Loop2": {"$ref": "#/components/schemas/Loop"},
        "Holder": {"type": "object", "properties": {"foo": {"$ref": "#/components/schemas/Foo"}}},
    }
    api, problems = build(tmp_path, schemas)
    assert annotation(fields(api, "Holder")["foo"].type) == "Bar"
    assert annotation(alias(api, "Foo").type) == "Bar"
    assert any("loops back" in m for m in messages(problems))
