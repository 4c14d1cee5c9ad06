"""Tests for OpenAPI parameter serialisation in templates/sdk/_runtime/params.py."""

import enum
import importlib
import sys
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "templates" / "sdk") not in sys.path:
    sys.path.insert(0, str(ROOT / "templates" / "sdk"))

params = importlib.import_module("_runtime.params")
build_query = params.build_query
cookie_param = params.cookie_param
header_param = params.header_param
path_param = params.path_param
query_param = params.query_param

UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
EMPTY = ""
STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
VALUES = {"empty": EMPTY, "string": STRING, "array": ARRAY, "object": OBJECT}


class Color(enum.Enum):
    RED = "red"
    DARK_BLUE = "dark blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Shade(str, enum.Enum):  # enum.StrEnum is 3.11+; this is the 3.10 spelling
    PALE = "pale"


class Point(BaseModel):
    x_value: int = Field(alias="xValue")
    label: str | None = None
    tags: list[str] = Field(default_factory=list)


# --- the "Style Examples" table ----------------------------------------------------
# Rows as printed in OpenAPI 3.1.1 (the corrected, percent-encoded table; the "?"
# prefix of the query rows is left out). 3.1.0 printed label/explode=false as
# ".blue.black.brown" / ".R.100.G.200.B.150", contradicting RFC 6570, and showed "|",
# "[" and "]" unencoded; see test_spec_310_spellings_decode_to_ours.
PATH_TABLE = [
    ("matrix", False, ";color", ";color=blue", ";color=blue,black,brown",
     ";color=R,100,G,200,B,150"),
    ("matrix", True, ";color", ";color=blue", ";color=blue;color=black;color=brown",
     ";R=100;G=200;B=150"),
    ("label", False, ".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False, "", "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "", "blue", "blue,black,brown", "R=100,G=200,B=150"),
]  # fmt: skip
QUERY_TABLE = [
    ("form", False, "color=", "color=blue", "color=blue,black,brown",
     "color=R,100,G,200,B,150"),
    ("form", True, "color=", "color=blue", "color=blue&color=black&color=brown",
     "R=100&G=200&B=150"),
    ("spaceDelimited", False, None, None, "color=blue%20black%20brown",
     "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, None, None, "color=blue%7Cblack%7Cbrown",
     "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True, None, None, None,
     "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]  # fmt: skip


def _table_cases(table: list[tuple[Any, ...]]) -> list[Any]:
    cases = []
    for style, explode, *cells in table:
        for (kind, value), expected in zip(VALUES.items(), cells, strict=True):
            if expected is not None:  # n/a in the spec
                case_id = f"{style}-{'explode' if explode else 'plain'}-{kind}"
                cases.append(pytest.param(style, explode, value, expected, id=case_id))
    return cases


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _table_cases(PATH_TABLE))
def test_style_table_path(style: str, explode: bool, value: Any, expected: str) -> None:
    assert path_param("color", value, style, explode) == expected


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _table_cases(QUERY_TABLE))
def test_style_table_query(style: str, explode: bool, value: Any, expected: str) -> None:
    assert build_query([query_param("color", value, style, explode)]) == expected


@pytest.mark.parametrize(
    ("style", "value", "spec_310"),
    [
        ("pipeDelimited", ARRAY, "color=blue|black|brown"),
        ("pipeDelimited", OBJECT, "color=R|100|G|200|B|150"),
        ("deepObject", OBJECT, "color[R]=100&color[G]=200&color[B]=150"),
    ],
)
def test_spec_310_spellings_decode_to_ours(style: str, value: Any, spec_310: str) -> None:
    explode = style == "deepObject"
    assert unquote(build_query([query_param("color", value, style, explode)])) == spec_310


def test_header_matches_simple_rows() -> None:
    assert header_param(STRING) == "blue"
    assert header_param(ARRAY) == "blue,black,brown"
    assert header_param(ARRAY, explode=True) == "blue,black,brown"
    assert header_param(OBJECT) == "R,100,G,200,B,150"
    assert header_param(OBJECT, explode=True) == "R=100,G=200,B=150"
    assert header_param(EMPTY) == ""


def test_cookie_matches_form_rows() -> None:
    assert cookie_param("color", EMPTY) == "color="
    assert cookie_param("color", STRING) == "color=blue"
    assert cookie_param("color", ARRAY, explode=False) == "color=blue,black,brown"
    assert cookie_param("color", OBJECT, explode=False) == "color=R,100,G,200,B,150"
    # Exploded: separate cookies, joined the way a Cookie header joins them.
    assert cookie_param("color", ARRAY) == "color=blue; color=black; color=brown"
    assert cookie_param("color", OBJECT) == "R=100; G=200; B=150"


# --- path encoding -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("100%", "100%25"),
        ("caf\u00e9", "caf%C3%A9"),
        ("\U0001f600", "%F0%9F%98%80"),
        ("what?", "what%3F"),
        ("#1", "%231"),
        ("a+b", "a%2Bb"),
        ("a;b=c,d.e", "a%3Bb%3Dc%2Cd.e"),
        ("-._~", "-._~"),
        ("..", ".."),
    ],
)
def test_path_percent_encoding(value: str, expected: str) -> None:
    assert path_param("id", value) == expected


def test_path_encodes_items_but_not_style_delimiters() -> None:
    assert path_param("ids", ["a,b", "c/d"]) == "a%2Cb,c%2Fd"
    assert path_param("f", {"k y": "v=1"}, explode=True) == "k%20y=v%3D1"
    assert path_param("f", ["a.b", "c"], "label", explode=True) == ".a.b.c"
    assert path_param("f", ["x;y"], "matrix", explode=True) == ";f=x%3By"
    assert path_param("my id", "v", "matrix") == ";my%20id=v"
    assert path_param("f", {"a b": "c"}, "matrix", explode=True) == ";a%20b=c"
    assert path_param("f", {"a": ""}, "matrix", explode=True) == ";a"
    assert path_param("f", ["", "x"], "matrix", explode=True) == ";f;f=x"
    assert path_param("f", {"k": "a b"}, "label", explode=True) == ".k=a%20b"


def test_path_primitives() -> None:
    assert path_param("n", 42) == "42"
    assert path_param("n", -7) == "-7"
    assert path_param("n", 1.5) == "1.5"
    assert path_param("n", True) == "true"
    assert path_param("n", False, "label") == ".false"
    assert path_param("n", 3, "matrix") == ";n=3"


def test_path_undefined_values_raise() -> None:
    for value in (None, [], {}, [None]):
        with pytest.raises(ValueError, match="has no value"):
            path_param("id", value)


@pytest.mark.parametrize("style", ["form", "deepObject", "spaceDelimited", "bogus"])
def test_path_rejects_query_styles(style: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        path_param("id", "x", style)


@given(st.text())
def test_path_param_round_trips_any_text(value: str) -> None:
    encoded = path_param("id", value)
    stripped = encoded
    while "%" in stripped:
        index = stripped.index("%")
        assert all(c in "0123456789ABCDEF" for c in stripped[index + 1 : index + 3])
        assert len(stripped[index + 1 : index + 3]) == 2
        stripped = stripped[:index] + stripped[index + 3 :]
    assert set(stripped) <= UNRESERVED
    assert unquote(encoded, errors="strict") == value


@given(st.lists(st.text(), min_size=1))
def test_path_array_items_round_trip(items: list[str]) -> None:
    encoded = path_param("ids", items)
    assert [unquote(part) for part in encoded.split(",")] == items


# --- query encoding ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a b", "q=a%20b"),
        ("a+b", "q=a%2Bb"),
        ("a&b=c", "q=a%26b%3Dc"),
        ("#x", "q=%23x"),
        ("[x]", "q=%5Bx%5D"),
        ("a/b?c", "q=a%2Fb%3Fc"),
        ("\u00e9", "q=%C3%A9"),
        ("", "q="),
        (0, "q=0"),
        (-12, "q=-12"),
    ],
)
def test_query_form_primitives(value: Any, expected: str) -> None:
    assert query_param("q", value) == [expected]


def test_query_name_is_encoded() -> None:
    assert query_param("a b&c", "x") == ["a%20b%26c=x"]
    assert query_param("f[]", [1, 2]) == ["f%5B%5D=1", "f%5B%5D=2"]


def test_query_arrays_and_objects() -> None:
    assert query_param("ids", [1, 2, 3]) == ["ids=1", "ids=2", "ids=3"]
    assert query_param("ids", (1, 2), explode=False) == ["ids=1,2"]
    assert query_param("ids", ["a,b", "c"], explode=False) == ["ids=a%2Cb,c"]
    assert query_param("ids", ["a b", "c"], "spaceDelimited", False) == ["ids=a%20b%20c"]
    assert query_param("ids", ["a|b", "c"], "pipeDelimited", False) == ["ids=a%7Cb%7Cc"]
    assert query_param("f", {"a b": "c&d"}) == ["a%20b=c%26d"]
    # spaceDelimited/pipeDelimited with explode=true are n/a: form explode is used.
    assert query_param("ids", [1, 2], "pipeDelimited", True) == ["ids=1", "ids=2"]
    # Primitives use form whatever the style.
    assert query_param("q", "x y", "pipeDelimited", False) == ["q=x%20y"]
    assert query_param("q", 5, "deepObject") == ["q=5"]


def test_query_undefined_and_empty() -> None:
    assert query_param("q", None) == []
    assert query_param("q", []) == []
    assert query_param("q", [], explode=False) == []
    assert query_param("q", {}) == []
    assert query_param("q", [None, None]) == []
    assert query_param("q", [1, None, 2]) == ["q=1", "q=2"]
    assert query_param("q", {"a": None, "b": 1}) == ["b=1"]
    assert query_param("q", None, "deepObject") == []
    assert query_param("q", {}, "deepObject") == []


def test_query_rejects_unknown_style() -> None:
    for style in ("simple", "matrix", "label", "bogus"):
        with pytest.raises(ValueError, match="not allowed"):
            query_param("q", "x", style)


def test_deep_object_nesting_and_lists() -> None:
    value = {"a": {"b": 1, "c": {"d": "x y"}}, "tags": ["p", "q"], "skip": None}
    assert query_param("f", value, "deepObject") == [
        "f%5Ba%5D%5Bb%5D=1",
        "f%5Ba%5D%5Bc%5D%5Bd%5D=x%20y",
        "f%5Btags%5D=p",
        "f%5Btags%5D=q",
    ]
    # Objects inside lists have no deepObject spelling: they are sent as JSON.
    assert query_param("f", {"items": [{"k": 1}]}, "deepObject") == [
        "f%5Bitems%5D=%7B%22k%22%3A1%7D"
    ]
    assert query_param("f", {"k[1]": "v"}, "deepObject") == ["f%5Bk%5B1%5D%5D=v"]


def test_allow_reserved() -> None:
    reserved = ":/?@!$'()*,;"
    assert query_param("q", reserved, allow_reserved=True) == [f"q={reserved}"]
    # Characters that would break the query or form decoding are still encoded.
    assert query_param("q", "#[]&=+ ", allow_reserved=True) == ["q=%23%5B%5D%26%3D%2B%20"]
    # Existing %XX triples pass through; a stray "%" is encoded.
    assert query_param("q", "a%20b", allow_reserved=True) == ["q=a%20b"]
    assert query_param("q", "100%", allow_reserved=True) == ["q=100%25"]
    assert query_param("q", "%zz%4", allow_reserved=True) == ["q=%25zz%254"]
    assert query_param("q", "\u00e9", allow_reserved=True) == ["q=%C3%A9"]
    assert query_param("q", ["a/b", "c"], explode=False, allow_reserved=True) == ["q=a/b,c"]
    assert query_param("a/b", "x", allow_reserved=True) == ["a%2Fb=x"]
    assert query_param("f", {"k": "a/b"}, "deepObject", allow_reserved=True) == ["f%5Bk%5D=a/b"]


@given(st.text())
def test_query_value_round_trips(value: str) -> None:
    [piece] = query_param("q", value)
    key, _, encoded = piece.partition("=")
    assert key == "q"
    assert set(encoded) <= UNRESERVED | set("%0123456789ABCDEF")
    assert unquote(encoded) == value


def test_build_query() -> None:
    pieces = [query_param("a", 1), query_param("b", None), query_param("c", ["x", "y"])]
    assert build_query(pieces) == "a=1&c=x&c=y"
    assert build_query([]) == ""
    assert build_query(iter([["a=1"], []])) == "a=1"


# --- value types -------------------------------------------------------------------


def test_booleans() -> None:
    assert query_param("b", True) == ["b=true"]
    assert query_param("b", [True, False], explode=False) == ["b=true,false"]
    assert header_param(False) == "false"
    assert cookie_param("b", True) == "b=true"
    assert query_param("f", {"on": True}, "deepObject") == ["f%5Bon%5D=true"]


def test_enums_use_their_value() -> None:
    assert query_param("c", Color.DARK_BLUE) == ["c=dark%20blue"]
    assert path_param("c", Color.RED) == "red"
    assert query_param("l", Level.HIGH) == ["l=2"]
    assert query_param("s", Shade.PALE) == ["s=pale"]
    assert query_param("c", [Color.RED, Level.LOW], explode=False) == ["c=red,1"]
    assert header_param({Color.RED: Level.LOW}) == "red,1"


def test_dates_and_times() -> None:
    moment = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=2)))
    assert query_param("t", moment) == ["t=2024-05-06T07%3A08%3A09%2B02%3A00"]
    assert query_param("t", moment, allow_reserved=True) == ["t=2024-05-06T07:08:09%2B02:00"]
    assert path_param("d", date(2024, 5, 6)) == "2024-05-06"
    assert header_param(time(7, 8)) == "07:08:00"
    assert header_param(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05"


def test_other_scalars() -> None:
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert path_param("id", ident) == "12345678-1234-5678-1234-567812345678"
    assert query_param("p", Decimal("1.10")) == ["p=1.10"]
    assert query_param("p", 0.1) == ["p=0.1"]
    assert query_param("p", 1e20) == ["p=1e%2B20"]
    assert query_param("b", "h\u00e9".encode()) == ["b=h%C3%A9"]
    with pytest.raises(UnicodeDecodeError):
        query_param("b", b"\xff")


def test_subclasses_are_sent_as_plain_values() -> None:
    class Loud(str):
        def __str__(self) -> str:
            return "LOUD"

    class Count(int):
        def __repr__(self) -> str:
            return "Count(...)"

    assert query_param("s", Loud("quiet")) == ["s=quiet"]
    assert query_param("n", Count(3)) == ["n=3"]


def test_unsupported_type_raises() -> None:
    with pytest.raises(TypeError, match="cannot serialise"):
        query_param("q", object())
    with pytest.raises(TypeError):
        header_param({1, 2})


def test_pydantic_models_are_objects() -> None:
    point = Point(xValue=3, label="a b")
    assert query_param("p", point) == ["xValue=3", "label=a%20b"]
    assert query_param("p", point, explode=False) == ["p=xValue,3,label,a%20b"]
    assert path_param("p", point, explode=True) == "xValue=3,label=a%20b"
    assert header_param(Point(xValue=1)) == "xValue,1"  # unset fields left out
    assert query_param("p", Point(xValue=1, tags=["u", "v"]), "deepObject") == [
        "p%5BxValue%5D=1",
        "p%5Btags%5D=u",
        "p%5Btags%5D=v",
    ]


def test_nested_containers_are_compact_json() -> None:
    points = [Point(xValue=1), Point(xValue=2, label="\u00e9")]
    assert [unquote(p) for p in query_param("p", points)] == [
        'p={"xValue":1}',
        'p={"xValue":2,"label":"\u00e9"}',
    ]
    assert header_param({"a": [1, 2]}) == "a,[1,2]"
    assert header_param([{"k": Color.RED}]) == '{"k":"red"}'


# --- header and cookie -------------------------------------------------------------


def test_header_values_are_not_percent_encoded() -> None:
    assert header_param("a b/c%20") == "a b/c%20"
    assert header_param(["a b", "c"]) == "a b,c"
    assert header_param(None) is None
    assert header_param([]) is None
    assert header_param({}) is None
    assert header_param(7) == "7"


def test_cookie_encoding() -> None:
    assert cookie_param("s", 'a b;c,d"e\\f%g') == "s=a%20b%3Bc%2Cd%22e%5Cf%25g"
    assert cookie_param("s", "abc!#$&'()*+-./:<=>?@[]^_`{|}~") == (
        "s=abc!#$&'()*+-./:<=>?@[]^_`{|}~"
    )
    assert cookie_param("s", "\u00e9") == "s=%C3%A9"
    assert cookie_param("s", 5) == "s=5"
    assert cookie_param("s", ["a b", "c"], explode=False) == "s=a%20b,c"
    assert cookie_param("s", None) is None
    assert cookie_param("s", []) is None
