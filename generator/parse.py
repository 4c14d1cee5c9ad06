"""Bytes of one file -> its data and line map, within the limits of limits.py.

JSON is parsed by the json module (text kept for the line map), YAML by a safe loader
that keeps timestamps as text and mapping keys as strings (node tree kept for the map).
Every failure is a located SpecError.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from .limits import Limits, check_tree
from .limits import fail as _fail
from .positions import JsonPositions, YamlPositions
from .shown import display_pointer

# A `\ud800`-style escape may make a lone surrogate (see rules/unicode.py).
_MAY_SURROGATE = re.compile(rb"\\(u|U0000)[dD][89a-fA-F]")
# An anchor or alias may be in a YAML text (`&name`, `*name`): check for shared nodes.
_MAY_ALIAS = re.compile(rb"[&*][^\s\[\]{},]")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loader that keeps timestamps as text and mapping keys as strings."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[_key_text(key)] = loader.construct_object(value_node, deep=True)
    return result


_SpecLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def compose(stream: BinaryIO) -> Any:
    """The YAML node tree of a stream (for a document parsed without one)."""
    return yaml.compose(stream, Loader=_SpecLoader)


def may_have_surrogates(raw: bytes) -> bool:
    """True when the text has an escape that can spell a lone surrogate."""
    return _MAY_SURROGATE.search(raw) is not None


def parse(
    raw: bytes, path: Path, shown: str, limits: Limits
) -> tuple[Any, JsonPositions | YamlPositions]:
    """The data of a file and its line map, after the limits of check_tree."""
    data, positions = _parse_text(raw, path, shown)
    shared = isinstance(positions, YamlPositions) and _MAY_ALIAS.search(raw) is not None
    problem = check_tree(data, limits, shared=shared)
    if problem is not None:
        line, column = positions.line_of(_tokens(problem.pointer))
        pointer = display_pointer(problem.pointer)
        raise _fail(shown, problem.rule, problem.message, problem.hint, line, column, pointer)
    return data, positions


def _parse_text(raw: bytes, path: Path, shown: str) -> tuple[Any, JsonPositions | YamlPositions]:
    """The data of a file and its line map (parsed once: JSON text or YAML node tree)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _fail(
            shown,
            "not-utf8",
            f"file is not UTF-8 text (byte {error.start})",
            "save the spec as UTF-8",
        ) from None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text), JsonPositions(text)
        except RecursionError:
            raise _fail(
                shown,
                "document-too-deep",
                "the document nests too deeply to read",
                "flatten the document with $ref",
                1,
                1,
            ) from None
        except json.JSONDecodeError as error:
            if path.suffix.lower() == ".json":
                raise _fail(
                    shown,
                    "json-syntax",
                    f"invalid JSON: {error.msg}",
                    "fix the JSON syntax at this position",
                    error.lineno,
                    error.colno,
                ) from None
            # Not JSON after all: YAML flow style may still parse.
    try:
        return _parse_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = error.problem or "cannot parse"
        context = f" ({error.context})" if error.context else ""
        raise _fail(
            shown,
            "yaml-syntax",
            f"invalid YAML: {problem}{context}",
            "fix the YAML syntax at this line",
            line,
            column,
        ) from None
    except yaml.YAMLError as error:
        raise _fail(
            shown, "yaml-syntax", f"invalid YAML: {error}", "fix the YAML syntax", 1, 1
        ) from None
    except RecursionError:
        raise _fail(
            shown,
            "document-too-deep",
            "the document nests too deeply to read",
            "flatten the document with $ref",
            1,
            1,
        ) from None


def _parse_yaml(text: str) -> tuple[Any, YamlPositions]:
    """Compose the node tree once, construct the data from it, and keep it for line lookups."""
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, YamlPositions(node)


def _tokens(pointer: str) -> list[str]:
    """Tokens of a `#/...` pointer made by check_tree (escaped `~0`/`~1`, never %-quoted)."""
    text = pointer[1:].lstrip("/")
    return [t.replace("~1", "/").replace("~0", "~") for t in text.split("/")] if text else []
