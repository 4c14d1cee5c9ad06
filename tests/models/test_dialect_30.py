"""The OpenAPI 3.0 dialect (`nullable: true`, `allOf` + `nullable`) on the wire, and the
finer points of the generated models that the round trip alone does not show."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
import yaml

from tests.conftest import ROOT

SPEC_30 = ROOT / "tests" / "specs" / "constructs-30.yaml"


@pytest.fixture(scope="module")
def sdk30(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("constructs30")
    command = [sys.executable, "-m", "generator", "generate", str(SPEC_30), "-o", str(out)]
    command += ["--package-name", "constructs30_sdk", "--client-name", "Constructs30"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    sys.path.insert(0, str(out / "src"))
    try:
        yield importlib.import_module("constructs30_sdk")
    finally:
        sys.path.remove(str(out / "src"))


def wire(sdk: ModuleType, type_: Any, document: Any) -> Any:
    schema = sdk._runtime.operation.Schema(type_)
    return json.loads(schema.dump_json(schema.parse_json(json.dumps(document).encode())))


def test_30_examples_round_trip(sdk30: ModuleType) -> None:
    importlib.import_module("constructs30_sdk._runtime.operation")
    schemas = yaml.safe_load(SPEC_30.read_text(encoding="utf-8"))["components"]["schemas"]
    for name, schema in schemas.items():
        if "example" in schema:
            assert wire(sdk30, getattr(sdk30.models, name), schema["example"]) == schema["example"]


def test_30_nullable_dialect(sdk30: ModuleType) -> None:
    thing = sdk30.models.Thing
    fields = thing.model_fields
    # required + nullable: must be given, may be None
    with pytest.raises(pydantic.ValidationError):
        thing.model_validate({"name": "a"})
    assert thing.model_validate({"name": "a", "note": None}).note is None
    # allOf [$ref] + nullable: the referenced type or None; unset is not sent, null is
    assert fields["maybe_color"].annotation is not None
    parsed = thing.model_validate({"name": "a", "note": None, "maybe_color": None})
    assert "maybe_color" in parsed.model_dump(exclude_unset=True)
    unset = thing.model_validate({"name": "a", "note": None})
    assert "maybe_color" not in unset.model_dump(exclude_unset=True, by_alias=True)
    # a 3.0 tagged union: mapping names differ from schema names
    shape = thing.model_validate(
        {"name": "a", "note": None, "shape": {"shape_type": "box", "side": 1}}
    )
    assert type(shape.shape).__name__ == "Boxy"


def test_optional_and_nullable_are_distinct_on_the_wire(constructs_sdk: ModuleType) -> None:
    nullability = constructs_sdk.models.Nullability
    value = nullability(required_plain="a", required_nullable=None)
    assert json.loads(value.model_dump_json(by_alias=True, exclude_unset=True)) == {
        "required_plain": "a",
        "required_nullable": None,
    }
    # an optional, non-nullable field set to None is not sent; a nullable one sends null
    value = nullability(
        required_plain="a", required_nullable="b", optional_plain=None, optional_nullable=None
    )
    sent = json.loads(value.model_dump_json(by_alias=True, exclude_unset=True))
    assert sent == {"required_plain": "a", "required_nullable": "b", "optional_nullable": None}


def test_tagged_unions_parse_to_the_right_class(constructs_sdk: ModuleType) -> None:
    models = constructs_sdk.models
    pet = pydantic.TypeAdapter(models.Pet)
    assert type(pet.validate_python({"petType": "gecko", "name": "g"})) is models.Lizard
    assert type(pet.validate_python({"petType": "dog", "name": "d"})) is models.Dog
    # the same component under another tag in a second union
    animal = pydantic.TypeAdapter(models.Animal)
    assert type(animal.validate_python({"petType": "feline", "name": "c"})) is models.Cat
    # tags from const / single-value enum members, and implicit component-name tags
    shape = pydantic.TypeAdapter(models.Shape)
    assert type(shape.validate_python({"kind": "square", "side": 1})) is models.Square
    vehicle = pydantic.TypeAdapter(models.Vehicle)
    assert type(vehicle.validate_python({"vtype": "Boat", "sails": 1})) is models.Boat
    with pytest.raises(pydantic.ValidationError, match="tag"):
        pet.validate_python({"petType": "unicorn", "name": "u"})
    # a model instance is its own tag (serialisation and re-validation)
    assert pet.dump_python(models.Cat(pet_type="cat", name="c"), by_alias=True)["petType"] == "cat"


def test_member_constants_tag_a_union_without_a_discriminator(constructs_sdk: ModuleType) -> None:
    models = constructs_sdk.models
    message = pydantic.TypeAdapter(models.Message)
    assert type(message.validate_python({"role": "bot", "text": "x"})) is models.BotMessage
    assert type(message.validate_python({"role": "user", "text": "x"})) is models.UserMessage
    with pytest.raises(pydantic.ValidationError):
        message.validate_python({"text": "which one?"})


def test_references_to_a_base_model_parse_to_its_subtypes(constructs_sdk: ModuleType) -> None:
    models = constructs_sdk.models
    shelf = models.Shelf.model_validate(
        {"items": [{"mediaType": "book"}, {"mediaType": "Film"}, {"mediaType": "podcast"}]}
    )
    assert [type(item).__name__ for item in shelf.items or []] == ["Book", "Film", "Media"]
    assert models.Media.model_validate({"mediaType": "book"}).__class__ is models.Media


def test_open_enums_accept_new_values(constructs_sdk: ModuleType) -> None:
    models = constructs_sdk.models
    assert pydantic.TypeAdapter(models.Level).validate_python("extreme") == "extreme"
    assert pydantic.TypeAdapter(models.Priority).validate_python(99) == 99
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(models.Priority).validate_python({"not": "an int"})


def test_constants_are_filled_in_and_sent(constructs_sdk: ModuleType) -> None:
    defaults = constructs_sdk.models.Defaults()
    assert defaults.kind == "defaults" and defaults.mode == "fast"
    assert json.loads(defaults.model_dump_json(by_alias=True, exclude_unset=True)) == {
        "kind": "defaults"
    }


def test_read_and_write_only(constructs_sdk: ModuleType) -> None:
    account = constructs_sdk.models.Account
    # a response never carries the write-only password; a request need not carry the id
    assert account.model_validate({"id": "a", "name": "n"}).password is None
    assert account(name="n", password="p").id is None


def test_extras_are_typed_kept_or_ignored(constructs_sdk: ModuleType) -> None:
    models = constructs_sdk.models
    typed = models.TypedExtras.model_validate({"name": "n", "apples": "3"})
    assert typed.model_extra == {"apples": 3}
    with pytest.raises(pydantic.ValidationError):
        models.TypedExtras.model_validate({"name": "n", "apples": "many"})
    closed = models.Closed.model_validate({"a": "x", "b": "dropped"})
    assert closed.model_dump(by_alias=True) == {"a": "x"}
    kept = models.Formats.model_validate(
        {
            "day": "2024-01-01",
            "moment": "2024-01-01T00:00:00Z",
            "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "new": 1,
        }
    )
    assert kept.model_dump(by_alias=True, mode="json")["new"] == 1


def test_hostile_names_keep_their_wire_names(constructs_sdk: ModuleType) -> None:
    hostile = constructs_sdk.models.HostileNames
    names = {f.alias or n: n for n, f in hostile.model_fields.items()}
    assert names["class"] == "class_" and names["from"] == "from_"
    assert names["fooBar"] != names["foo_bar"] != names["FooBar"]
    assert names["is_none"] == "is_none_" and names["model_config"] == "model_config_"
    assert all(n.isidentifier() and not n.startswith("_") for n in names.values())
    value = hostile.model_validate({"class": "c", "fooBar": "f", "": "e", "名前": "n"})
    assert value.model_dump(by_alias=True, exclude_unset=True) == {
        "class": "c",
        "fooBar": "f",
        "": "e",
        "名前": "n",
    }


def test_recursive_types(constructs_sdk: ModuleType) -> None:
    models = constructs_sdk.models
    tree = models.TreeNode.model_validate(
        {"value": "r", "children": [{"value": "c", "children": []}]}
    )
    assert isinstance(tree.children[0], models.TreeNode)
    expr = pydantic.TypeAdapter(models.Expr).validate_python(
        {"left": {"value": 1}, "right": {"left": {"value": 2}, "right": {"value": 3}}}
    )
    assert isinstance(expr, models.Sum) and isinstance(expr.right, models.Sum)
    json_value = pydantic.TypeAdapter(models.JsonValue)
    assert json_value.validate_python({"a": [1, None, {"b": True}]}) == {
        "a": [1, None, {"b": True}]
    }


def _docstrings(source: str, class_name: str) -> dict[str, str]:
    """The class docstring ('') and each attribute docstring of a class, read with ast."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    found = {"": ast.get_docstring(cls, clean=True) or ""}
    for before, node in zip(cls.body, cls.body[1:], strict=False):
        named = isinstance(before, ast.AnnAssign) and isinstance(before.target, ast.Name)
        if named and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found[before.target.id] = inspect.cleandoc(node.value.value)
    return found


def _as_docstring(text: str) -> str:
    """What a docstring keeps of a text: control characters become spaces, lines trimmed."""
    clean = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085\ufeff]", " ", text)
    return "\n".join(line.rstrip() for line in clean.strip().split("\n")).strip()


def test_hostile_text_stays_text(constructs_sdk: ModuleType) -> None:
    schema = yaml.safe_load((ROOT / "tests/specs/constructs.yaml").read_text(encoding="utf-8"))
    hostile = schema["components"]["schemas"]["HostileText"]
    module = Path(constructs_sdk.models.HostileText.__module__.replace(".", "/") + ".py")
    source = (ROOT / "generated/constructs/src" / module).read_text(encoding="utf-8")
    docs = _docstrings(source, "HostileText")
    assert docs[""].strip() == _as_docstring(hostile["description"])
    for wire, prop in hostile["properties"].items():
        assert docs[wire].strip() == _as_docstring(prop["description"]), wire
    assert constructs_sdk.models.HostileText().quote == '"""'
    assert not hasattr(constructs_sdk, "injected")
