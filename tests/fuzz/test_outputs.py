"""The fuzz property's own checks must catch what they are meant to catch."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .outputs import check_python_files, check_toml_files, import_clashes, leaks, round_trip

MARKED = "\u27ea1\u27eb"


def test_text_inside_strings_docstrings_and_comments_is_not_a_leak() -> None:
    source = f'"""Doc {MARKED}."""\nx = "a{MARKED}"  # {MARKED}\n'
    assert leaks(source, [f"a{MARKED}", MARKED]) == []


def test_text_in_code_is_a_leak() -> None:
    assert leaks('x = "a"\nimport os\n', ["import os"]) == ["'import os' at offset 8"]


def test_text_spanning_a_string_and_code_is_a_leak() -> None:
    text = '"; import os; "'
    source = 'x = ""; import os; ""\n'
    assert leaks(source, [text])


def test_a_marker_outside_strings_is_a_leak() -> None:
    source = f"x = 1  # ok {MARKED}\ny = [{MARKED!r}]\n"
    assert leaks(source, []) == []
    assert leaks(source.replace("# ok", ""), []) == ["marker outside a string on line 1"]


def test_offsets_follow_tokenize_lines_not_every_unicode_line_break() -> None:
    source = 'x = "a\\u2028b"  # \u2028 c\ny = 1\n'
    assert leaks(source, ["y = 1"]) == [f"'y = 1' at offset {source.index('y = 1')}"]
    assert leaks(source, ["b"]) == []  # inside the string, though after a \u2028


def test_a_name_imported_from_two_places_is_reported() -> None:
    source = "from .models.a import X\nfrom .errors import X\nfrom .c import Y as Z\n"
    assert import_clashes(source) == ["'X' imported from both .models.a.X and .errors.X"]
    assert import_clashes("from .a import X\nfrom .a import X\n") == []


def test_files_that_do_not_compile_are_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text('x = """\n', encoding="utf-8")
    (tmp_path / "good.py").write_text("x = 1\n", encoding="utf-8")
    (problem,) = check_python_files(tmp_path, [])
    assert problem.startswith("bad.py:1: does not compile")


def test_toml_must_parse_and_keep_spec_text_out_of_keys(tmp_path: Path) -> None:
    (tmp_path / "ok.toml").write_text(f'[project]\ndescription = "{MARKED}"\n', encoding="utf-8")
    assert check_toml_files(tmp_path) == []
    (tmp_path / "bad.toml").write_text(f'[project]\n"{MARKED}" = 1\nx = "\n', encoding="utf-8")
    assert len(check_toml_files(tmp_path)) == 1


class _Lossy(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(alias="the name")


def test_a_model_that_loses_data_fails_the_round_trip() -> None:
    assert round_trip(_Lossy, {"the name": "x"}) == []
    problems = round_trip(_Lossy, {"the name": "x", "extra": 1})
    assert len(problems) == 2 and "came back as" in problems[0]
