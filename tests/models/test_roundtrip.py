"""JSON -> generated model -> JSON gives the same document, for every construct.

The instances are the spec's own examples and hypothesis-generated ones (see
strategies.py); parsing and dumping go through the SDK's own `Schema`, exactly as a
request or a response does on the wire.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.models.strategies import Documents, instances

SPEC = ROOT / "tests" / "specs" / "constructs.yaml"
SCHEMAS: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"]
# Components whose generated type is named after the component (all but inlined scalars).
NAMED = sorted(SCHEMAS)
EXAMPLES = [
    (name, index, example)
    for name in NAMED
    for index, example in enumerate(SCHEMAS[name].get("examples") or ())
]


def wire(sdk: ModuleType, type_name: str, document: Any) -> Any:
    """Parse `document` (as JSON bytes) into the named type and dump it back to JSON."""
    from constructs_sdk._runtime.operation import Schema

    schema = Schema(getattr(sdk.models, type_name))
    parsed = schema.parse_json(json.dumps(document).encode())
    return json.loads(schema.dump_json(parsed))


@pytest.mark.parametrize(("name", "index", "example"), EXAMPLES, ids=lambda v: str(v)[:20])
def test_spec_examples_round_trip(
    constructs_sdk: ModuleType, name: str, index: int, example: Any
) -> None:
    assert wire(constructs_sdk, name, example) == example


def test_every_component_has_a_generated_type(constructs_sdk: ModuleType) -> None:
    inlined = {"Empty"}  # `{}` is Any: nothing to name
    missing = [n for n in NAMED if n not in inlined and not hasattr(constructs_sdk.models, n)]
    assert not missing


@pytest.mark.parametrize("name", [n for n in NAMED if n != "Empty"])
def test_generated_instances_round_trip(constructs_sdk: ModuleType, name: str) -> None:
    docs = Documents(SPEC)
    strategy = instances(docs, {"$ref": f"#/components/schemas/{name}"})

    @settings(
        max_examples=4 if name == "Everything" else 25,  # its parts each run on their own
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def check(document: Any) -> None:
        assert wire(constructs_sdk, name, document) == document

    check()


# Components that hold an enum (at any depth), or refer to one that does
_HOLDERS = {n for n in NAMED if '"enum"' in json.dumps(SCHEMAS[n])}
WITH_ENUMS = [
    n
    for n in NAMED
    if n in _HOLDERS or any(f'schemas/{h}"' in json.dumps(SCHEMAS[n]) for h in _HOLDERS)
]


@pytest.mark.parametrize("name", WITH_ENUMS)
def test_unlisted_enum_values_round_trip(constructs_sdk: ModuleType, name: str) -> None:
    """Open enums: a value the spec does not list (a newer server) parses and is sent back."""
    docs = Documents(SPEC, open_enums=True)
    strategy = instances(docs, {"$ref": f"#/components/schemas/{name}"})

    @settings(
        max_examples=10,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def check(document: Any) -> None:
        assert wire(constructs_sdk, name, document) == document

    check()


def test_unlisted_enum_values_are_drawn() -> None:
    """The strategy above is not vacuous: it does draw values outside the enum."""
    docs = Documents(SPEC, open_enums=True)
    listed = ("low", "medium", "high")
    unlisted = find(instances(docs, SCHEMAS["Level"]), lambda value: value not in listed)
    assert isinstance(unlisted, str) and unlisted not in listed
    number = find(instances(docs, SCHEMAS["Priority"]), lambda value: value not in (1, 2, 3))
    assert isinstance(number, int)


@given(st.data())
@settings(max_examples=5, deadline=None, database=None)
def test_strategy_instances_are_valid_json_schema(data: st.DataObject) -> None:
    """The generator is honest: its instances validate against the schema (jsonschema)."""
    import jsonschema

    docs = Documents(SPEC)
    spec = docs.load(SPEC)
    name = data.draw(st.sampled_from(["Formats", "Maps", "Lists", "Pet", "Nullability"]))
    document = data.draw(instances(docs, {"$ref": f"#/components/schemas/{name}"}))
    root = {**spec, "$ref": f"#/components/schemas/{name}"}
    validator = jsonschema.Draft202012Validator(root, format_checker=None)
    assert not list(validator.iter_errors(document))


def test_spec_file_is_the_golden_target() -> None:
    from generator.config import read_config

    targets = {t.name: t for t in read_config(ROOT / "sdkforge.yaml").targets}
    assert Path(targets["constructs"].spec).resolve() == SPEC.resolve()
