"""One shared traversal of a spec: every object node and every `$ref`, in all documents.

The walk visits the root document and each external document that a `$ref` reaches,
each exactly once, without recursion (deep specs must not overflow the stack). Its
result is cached per `LoadedSpec`, so all rules together walk the spec once.

The walk knows just enough structure to skip literal data: values under `example`,
`default`, `enum`, `const`, an Example object's `value` and `x-` extensions are data,
not spec, so a `$ref` or `format` inside them means nothing. Keys of name maps
(`properties`, `schemas`, `responses`, ...) are names, never keywords, so a property
called `default` is still walked.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..load import LoadedSpec, Resolved, join_pointer

# fmt: off
NAME_MAPS = frozenset({
    "paths", "webhooks", "properties", "patternProperties", "dependentSchemas",
    "definitions", "$defs", "schemas", "responses", "parameters", "examples",
    "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems",
    "content", "encoding", "variables", "mapping", "scopes",
})
# fmt: on
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})
_MAX_REF_HOPS = 64  # a `$ref` chain longer than this is a cycle


class Kind(enum.Enum):
    """What a mapping is, as far as skipping literal data needs to know."""

    OBJECT = "object"
    EXAMPLE = "example"  # an Example object: its `value` is data
    NAMES = "names"  # keys are user-chosen names
    EXAMPLE_NAMES = "example-names"  # a map of Example objects
    CALLBACK_NAMES = "callback-names"  # a map of Callback objects (maps themselves)


@dataclass(frozen=True, slots=True)
class Node:
    """An object mapping (not a name map) at `pointer` in document `file`."""

    file: str
    pointer: str
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RefSite:
    """One `$ref`: where it is written (pointer of the `$ref` key) and what it gives."""

    file: str
    pointer: str
    ref: str
    target: Resolved | None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class SpecIndex:
    """Everything the walk found: object nodes and `$ref` sites, in document order."""

    objects: tuple[Node, ...]
    refs: tuple[RefSite, ...]


def spec_index(spec: LoadedSpec) -> SpecIndex:
    """The index of `spec`, walked on first use and then reused by every rule."""
    found = spec.cache.get("rules.walk")
    if not isinstance(found, SpecIndex):
        found = _walk_spec(spec)
        spec.cache["rules.walk"] = found
    return found


def _walk_spec(spec: LoadedSpec) -> SpecIndex:
    objects: list[Node] = []
    refs: list[RefSite] = []
    pending = deque([(spec.root_key, Kind.OBJECT)])
    walked = {spec.root_key}
    while pending:
        file, kind = pending.popleft()
        first_ref = len(refs)
        _walk_document(spec, file, kind, objects, refs)
        for site in refs[first_ref:]:
            if site.target is not None and site.target.file not in walked:
                walked.add(site.target.file)
                pending.append((site.target.file, _root_kind(site)))
    return SpecIndex(tuple(objects), tuple(refs))


def _root_kind(site: RefSite) -> Kind:
    # `./pet.yaml` is one object; `./defs.yaml#/Pet` means the file is a map of names.
    return Kind.NAMES if "#" in site.ref and site.ref.split("#", 1)[1].strip("/") else Kind.OBJECT


def _walk_document(
    spec: LoadedSpec, file: str, kind: Kind, objects: list[Node], refs: list[RefSite]
) -> None:
    stack: list[tuple[Any, str, Kind]] = [(spec.document(file).data, "#", kind)]
    while stack:
        value, pointer, kind = stack.pop()
        if isinstance(value, list):
            stack.extend(
                (item, join_pointer(pointer, index), Kind.OBJECT)
                for index, item in reversed(list(enumerate(value)))
                if isinstance(item, dict | list)
            )
            continue
        if not isinstance(value, dict):
            continue  # an external file that holds a single scalar
        if kind in (Kind.OBJECT, Kind.EXAMPLE):
            objects.append(Node(file, pointer, value))
        ref = value.get("$ref")
        if isinstance(ref, str):
            refs.append(_ref_site(spec, file, join_pointer(pointer, "$ref"), ref))
        stack.extend(reversed(list(_children(value, pointer, kind))))


def _children(mapping: dict[str, Any], pointer: str, kind: Kind) -> Iterator[tuple[Any, str, Kind]]:
    for key, child in mapping.items():
        if isinstance(child, dict | list) and not _is_data(kind, key, child):
            yield child, join_pointer(pointer, key), _child_kind(kind, key, child)


def _is_data(kind: Kind, key: str, child: Any) -> bool:
    if kind not in (Kind.OBJECT, Kind.EXAMPLE):
        return False
    if key in _DATA_KEYS or key.startswith("x-"):
        return True
    if key == "examples" and isinstance(child, list):
        return True
    return kind is Kind.EXAMPLE and key == "value"


def _child_kind(kind: Kind, key: str, child: Any) -> Kind:
    if kind is Kind.CALLBACK_NAMES:
        return Kind.NAMES
    if kind is Kind.EXAMPLE_NAMES:
        return Kind.EXAMPLE
    if kind is Kind.NAMES or not isinstance(child, dict) or key not in NAME_MAPS:
        return Kind.OBJECT
    if key == "examples":
        return Kind.EXAMPLE_NAMES
    return Kind.CALLBACK_NAMES if key == "callbacks" else Kind.NAMES


def _ref_site(spec: LoadedSpec, file: str, pointer: str, ref: str) -> RefSite:
    try:
        return RefSite(file, pointer, ref, spec.resolve(ref, file))
    except (ValueError, OSError) as error:
        return RefSite(file, pointer, ref, None, str(error))


def physical_location(spec: LoadedSpec, parts: list[str | int]) -> tuple[str, str]:
    """(file, pointer) of a path written through `$ref`s from the root, e.g. by the validator.

    Follows every `$ref` met on the way (not one at the end), so a problem is shown
    where it is written. Stops at the last reachable node when the path goes nowhere.
    """
    file, pointer, value = spec.root_key, "#", spec.data
    for part in parts:
        for _ in range(_MAX_REF_HOPS):
            ref = value.get("$ref") if isinstance(value, dict) and part != "$ref" else None
            if not isinstance(ref, str):
                break
            try:
                target = spec.resolve(ref, file)
            except (ValueError, OSError):
                return file, pointer
            file, pointer, value = target.file, target.pointer, target.value
        if isinstance(value, dict) and str(part) in value:
            value = value[str(part)]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return file, pointer
        pointer = join_pointer(pointer, part)
    return file, pointer
