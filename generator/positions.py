"""Pointer -> (line, column) maps for parsed documents, built lazily and memoised per container.

A spec is parsed once. For JSON, the text is kept and a container's members are indexed
(key offset, value offset) the first time a pointer goes through it, so a lookup costs
the containers on its path, not the whole document. For YAML, the node tree composed
while parsing is kept and a mapping's keys are indexed on first visit.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any

import yaml

Position = tuple[int | None, int | None]
# The json module's C scanner: parses one value at an offset and returns where it ends.
_SKIP_VALUE: Any = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
_STRING: Any = json.decoder.scanstring  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match else at


class JsonPositions:
    """Line and column of JSON pointers in one JSON text (the text must parse as JSON)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._members: dict[int, dict[str, tuple[int, int]] | list[int] | None] = {}
        self._line_starts: list[int] | None = None

    def line_of(self, tokens: list[str]) -> Position:
        """1-based line and column of the deepest node along `tokens` (its key, if any)."""
        mark = node = _skip_space(self.text, 0)
        for token in tokens:
            members = self._children(node)
            if isinstance(members, dict) and token in members:
                mark, node = members[token]
            elif isinstance(members, list) and token.isdigit() and int(token) < len(members):
                mark = node = members[int(token)]
            else:
                break
        return self._line_column(mark)

    def _line_column(self, offset: int) -> Position:
        if self._line_starts is None:
            self._line_starts = [0, *accumulate(len(line) + 1 for line in self.text.split("\n"))]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _children(self, start: int) -> dict[str, tuple[int, int]] | list[int] | None:
        if start in self._members:
            return self._members[start]
        opener = self.text[start : start + 1]
        found: dict[str, tuple[int, int]] | list[int] | None = None
        if opener == "{":
            found = self._object_members(start)
        elif opener == "[":
            found = self._array_members(start)
        self._members[start] = found
        return found

    def _object_members(self, start: int) -> dict[str, tuple[int, int]]:
        text, space = self.text, _skip_space
        members: dict[str, tuple[int, int]] = {}
        at = space(text, start + 1)
        while text[at : at + 1] == '"':
            key, after = _STRING(text, at + 1)
            value_at = space(text, space(text, after) + 1)
            members[key] = (at, value_at)  # the last duplicate wins, as in the parsed data
            end = space(text, _SKIP_VALUE(text, value_at)[1])
            if text[end : end + 1] != ",":
                break
            at = space(text, end + 1)
        return members

    def _array_members(self, start: int) -> list[int]:
        text, space = self.text, _skip_space
        items: list[int] = []
        at = space(text, start + 1)
        if text[at : at + 1] == "]":
            return items
        while True:
            items.append(at)
            end = space(text, _SKIP_VALUE(text, at)[1])
            if text[end : end + 1] != ",":
                return items
            at = space(text, end + 1)


class YamlPositions:
    """Line and column of JSON pointers in a composed YAML node tree."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[Any, Any]]] = {}

    def line_of(self, tokens: list[str]) -> Position:
        """1-based line and column of the deepest node along `tokens` (its key, if any)."""
        node = self.root
        if node is None:
            return None, None
        mark = node.start_mark
        for token in tokens:
            child = self._child(node, token)
            if child is None:
                break
            key_node, node = child
            mark = (key_node or node).start_mark
        return mark.line + 1, mark.column + 1

    def _child(self, node: Any, token: str) -> tuple[Any, Any] | None:
        if isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
                self._keys[id(node)] = keys
            return keys.get(token)
        if isinstance(node, yaml.SequenceNode) and token.isdigit():
            index = int(token)
            if index < len(node.value):
                return None, node.value[index]
        return None
