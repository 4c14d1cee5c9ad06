"""Names from a spec become valid, stable, collision-free Python identifiers."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.ir import names


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("fooBar", "foo_bar"),
        ("foo-bar", "foo_bar"),
        ("HTTPServer", "http_server"),
        ("getV2Users", "get_v2_users"),
        ("3d", "field_3d"),
        ("class", "class_"),
        ("from", "from_"),
        ("_id", "id"),
        ("__dunder__", "dunder"),
        ("café", "cafe"),
        ("名前", "x540d524d"),
        ("type", "type"),
        ("Content-Type", "content_type"),
        ("", "empty"),
    ],
)
def test_snake(wire: str, expected: str) -> None:
    assert names.field_name(wire) == expected


def test_model_and_method_reserved_names_are_avoided() -> None:
    assert names.field_name("model_config") == "model_config_"
    assert names.field_name("json") == "json_"
    assert names.field_name("list") == "list_"
    assert names.parameter_name("retries") == "retries_"
    assert names.parameter_name("self") == "self_"


def test_pascal_keeps_acronyms_and_prefixes_digits() -> None:
    assert names.pascal("create_image_edit") == "CreateImageEdit"
    assert names.pascal("3dModel") == "Model3dModel"
    assert names.pascal("None") == "None_"


def test_scope_resolves_collisions_in_arrival_order() -> None:
    scope = names.Scope(("retries",))
    assert [scope.claim(n) for n in ("id", "id", "retries", "id")] == [
        "id",
        "id_2",
        "retries_2",
        "id_3",
    ]
    folded = names.Scope(casefold=True)
    assert folded.claim("FooBar") == "FooBar"
    assert folded.claim("Foobar") == "Foobar_2"


@given(st.text(max_size=30))
def test_any_text_gives_a_valid_identifier(text: str) -> None:
    for name in (
        names.field_name(text),
        names.parameter_name(text),
        names.pascal(text),
        names.method_name(text),
        names.module_name(text),
    ):
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name)
        assert not name.startswith("_")
