"""Checks on a generated SDK: spec text only inside strings and comments, imports, round trips."""

from __future__ import annotations

import ast
import importlib
import io
import json
import pkgutil
import re
import sys
import tokenize
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache, cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, TypeAdapter

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None  # type: ignore[assignment]

from generator.format import format_source
from generator.render.env import builtin_templates

RUNTIME = builtin_templates() / "sdk" / "_runtime"
MARK = "\u27ea"  # first character of every marker (see hostile.Texts)
_TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT}
_TEXT_TOKENS |= {
    getattr(tokenize, name)
    for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
    if hasattr(tokenize, name)
}


def text_spans(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every string literal and comment token of `source`, sorted."""
    starts = [0] + [match.end() for match in re.finditer("\n", source)]  # tokenize's lines
    spans = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in _TEXT_TOKENS:
            (row, col), (end_row, end_col) = token.start, token.end
            spans.append((starts[row - 1] + col, starts[end_row - 1] + end_col))
    return spans


def leaks(source: str, texts: Iterable[str]) -> list[str]:
    """Where spec text appears outside a string or comment: one description per leak.

    Two checks: every occurrence of a whole text must lie inside one string or comment
    token, and so must every marker character (a leaked fragment of a text).
    """
    spans = text_spans(source)
    lows = [low for low, _ in spans]

    def inside(start: int, end: int) -> bool:
        index = bisect_right(lows, start) - 1
        return index >= 0 and end <= spans[index][1]

    found = []
    for text in {t for t in texts if t}:
        start = source.find(text)
        while start != -1:
            if not inside(start, start + len(text)):
                found.append(f"{text!r} at offset {start}")
            start = source.find(text, start + 1)
    start = source.find(MARK)
    while start != -1:
        if not inside(start, start + 1):
            line = source.count("\n", 0, start) + 1
            found.append(f"marker outside a string on line {line}")
        start = source.find(MARK, start + 1)
    return found


@cache
def runtime_texts(name: str) -> tuple[str, str]:
    """A runtime file as its template holds it, and as black (88 columns) lays it out."""
    text = (RUNTIME / name).read_text(encoding="utf-8")
    return text, format_source(text)


def check_python_files(out: Path, texts: list[str]) -> list[str]:
    """Compile every generated `.py` file and look for leaked spec text; the problems.

    A `_runtime/` file must be its template below the header line, verbatim or as black
    lays it out, so only the header is searched for spec text there.
    """
    problems = []
    for path in sorted(out.rglob("*.py")):
        source = path.read_bytes().decode("utf-8")
        relative = path.relative_to(out).as_posix()
        if path.parent.name == "_runtime":
            header, _, body = source.partition("\n")
            if body not in runtime_texts(path.name):
                problems.append(f"{relative}: not a verbatim copy of its runtime template")
            problems += [f"{relative}: spec text in code: {leak}" for leak in leaks(header, texts)]
            continue
        try:
            compile(source, relative, "exec", dont_inherit=True)
        except SyntaxError as error:
            problems.append(f"{relative}:{error.lineno}: does not compile: {error.msg}")
            continue
        problems += [f"{relative}: spec text in code: {leak}" for leak in leaks(source, texts)]
        problems += [f"{relative}: {clash}" for clash in import_clashes(source)]
    return problems


def check_toml_files(out: Path) -> list[str]:
    """Every `.toml` file parses, and spec text (a marker) is never a key."""
    if tomllib is None:  # Python 3.10: no TOML parser in the standard library
        return []
    problems = []
    for path in sorted(out.rglob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            problems.append(f"{path.name}: not valid TOML: {error}")
            continue
        stack: list[Any] = [data]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                problems += [f"{path.name}: spec text as a key: {k!r}" for k in value if MARK in k]
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
    return problems


def import_clashes(source: str) -> list[str]:
    """Names a module imports from two places (the second silently replaces the first)."""
    bound: dict[str, str] = {}
    clashes = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        origin = "." * node.level + (node.module or "")
        for alias in node.names:
            name = alias.asname or alias.name
            where = f"{origin}.{alias.name}"
            if bound.setdefault(name, where) != where:
                clashes.append(f"{name!r} imported from both {bound[name]} and {where}")
    return clashes


@contextmanager
def imported(source: Path, package: str) -> Iterator[ModuleType]:
    """`package` imported from `source`, removed from sys.modules and sys.path afterwards."""
    sys.path.insert(0, str(source))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(source))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def import_everything(root: ModuleType, client_class: str) -> None:
    """Import every module, complete every model, build the client and touch every group."""
    modules = [root]
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        modules.append(importlib.import_module(info.name))
    for module in modules:
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
            ):
                value.model_rebuild()
                assert value.__pydantic_complete__, f"{value.__qualname__} is incomplete"
    _touch_groups(getattr(root, client_class)(), set())


def _touch_groups(group: Any, seen: set[int]) -> None:
    if id(group) in seen:
        return
    seen.add(id(group))
    for name, member in vars(type(group)).items():
        if isinstance(member, cached_property) and not name.startswith("_"):
            _touch_groups(getattr(group, name), seen)


def round_trip(model: type[BaseModel], value: Any) -> list[str]:
    """A wire value must come back unchanged from validate + dump, from Python and from JSON."""
    problems = []
    for how, parsed in (
        ("model_validate", model.model_validate(value)),
        ("model_validate_json", model.model_validate_json(json.dumps(value))),
    ):
        dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if dumped != value:
            problems.append(f"{model.__name__}.{how}: {value!r} came back as {dumped!r}")
    return problems


def enum_round_trip(alias: Any, values: Iterable[Any]) -> list[str]:
    """Every enum value validates to itself through the generated alias."""
    adapter: TypeAdapter[Any] = TypeAdapter(alias)
    return [
        f"enum value {value!r} came back as {adapter.validate_python(value)!r}"
        for value in values
        if adapter.dump_python(adapter.validate_python(value), mode="json") != value
    ]
