"""Text from a spec can never break out of a string, a docstring, a comment or a table."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from generator import text

HOSTILE = [
    '"""; import os; os.system("x"); """',
    "\\",
    "a\\",
    '"',
    "'''",
    "\n\nimport os\n",
    "{{ 7*7 }}",
    "{% raw %}",
    "\x00\x1b[31m",
    "\u2028\u2029",
    "\ud800",
    "|a|b|",
    "<script>",
    "`code`",
    'ends with quote"',
    "\r\nwindows",
    "\\N{BULLET}",
    "\\u0041",
]


@given(st.text())
def test_py_str_round_trips(value: str) -> None:
    assert ast.literal_eval(text.py_str(value)) == value


def test_py_str_hostile_values() -> None:
    for value in HOSTILE:
        assert ast.literal_eval(text.py_str(value)) == value


@given(st.text())
def test_docstring_stays_one_docstring(value: str) -> None:
    source = f'def f():\n    """{text.docstring(value)}"""\n'
    tree = ast.parse(source)
    body = tree.body[0].body  # type: ignore[attr-defined]
    assert len(body) == 1 and isinstance(body[0], ast.Expr)
    assert isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)


def test_comment_is_one_line() -> None:
    for value in HOSTILE:
        assert "\n" not in text.comment(value) and "\r" not in text.comment(value)
        tree = ast.parse(f"# {text.comment(value)}\nx = 1\n")
        assert len(tree.body) == 1


@given(st.text())
def test_md_cell_is_one_cell(value: str) -> None:
    cell = text.md_cell(value)
    assert "\n" not in cell
    assert "|" not in cell.replace("\\|", "")


@given(st.text())
def test_md_code_is_one_cell(value: str) -> None:
    cell = text.md_code(value)
    assert "\n" not in cell
    assert "|" not in cell.replace("\\|", "")


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_py_literal_round_trips_json_values(value: object) -> None:
    assert ast.literal_eval(text.py_literal(value)) == value


@given(st.text())
def test_toml_str_round_trips(value: str) -> None:
    import tomllib

    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return
    assert tomllib.loads(f"key = {text.toml_str(value)}")["key"] == value
