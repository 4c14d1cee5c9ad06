"""Shared by the operation rules: every operation under `paths` and `webhooks`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..load import LoadedSpec, join_pointer

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class PathItem:
    """A path item (after its `$ref`, if any): its key, and where its content is written."""

    section: str  # "paths" or "webhooks"
    name: str  # the path template or webhook name
    file: str
    pointer: str
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a path item; `pointer` is in `path_item.file`."""

    path_item: PathItem
    method: str
    pointer: str
    value: dict[str, Any]


def path_items(spec: LoadedSpec) -> Iterator[PathItem]:
    """Every path item under `paths` and `webhooks`, following a path item `$ref`."""
    root = spec.data if isinstance(spec.data, dict) else {}
    for section in ("paths", "webhooks"):
        items = root.get(section)
        if not isinstance(items, dict):
            continue
        for name, value in items.items():
            found = follow_ref(spec, spec.root_key, join_pointer("#", section, name), value)
            if found is not None:
                yield PathItem(section, name, *found)


def operations(spec: LoadedSpec) -> Iterator[Operation]:
    """Every operation, path by path, in document order."""
    for item in path_items(spec):
        for method in METHODS:
            value = item.value.get(method)
            if isinstance(value, dict):
                yield Operation(item, method, join_pointer(item.pointer, method), value)


def follow_ref(
    spec: LoadedSpec, file: str, pointer: str, value: Any
) -> tuple[str, str, dict[str, Any]] | None:
    """(file, pointer, mapping) of a value or of its `$ref` target; None when unresolvable."""
    for _ in range(64):  # a longer chain is a cycle; unresolved-ref reports broken ones
        ref = value.get("$ref") if isinstance(value, dict) else None
        if not isinstance(ref, str):
            break
        try:
            target = spec.resolve(ref, file)
        except (ValueError, OSError):
            return None
        file, pointer, value = target.file, target.pointer, target.value
    return (file, pointer, value) if isinstance(value, dict) else None
