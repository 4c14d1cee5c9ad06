"""Hypothesis strategies for JSON instances of OpenAPI schemas (the subset our specs use).

Instances are valid against the schema and spelled the way a JSON encoder writes them
(canonical dates, lowercase UUIDs, `str(Decimal)`), so parsing one into the generated
model and dumping it back must give the very same JSON document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

MAX_DEPTH = 3
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def _utc_text(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


_OFFSETS = st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=2))])
FORMATS: dict[str, st.SearchStrategy[Any]] = {
    "date": st.dates().map(dt.date.isoformat),
    "date-time": st.datetimes(timezones=_OFFSETS).map(_utc_text),
    "time": st.times().map(dt.time.isoformat),
    "uuid": st.uuids().map(str),
    "decimal": st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    "int32": st.integers(-(2**31), 2**31 - 1),
    "int64": st.integers(-(2**63), 2**63 - 1),
}


@dataclass
class Documents:
    """A spec and the files it references: resolves `$ref`s relative to their file."""

    root: Path
    loaded: dict[Path, Any] = field(default_factory=dict)
    # also draw values an enum does not list (the SDK's enums are open: a server may add some)
    open_enums: bool = False

    def load(self, path: Path) -> Any:
        """The parsed document at `path` (cached)."""
        path = path.resolve()
        if path not in self.loaded:
            self.loaded[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return self.loaded[path]

    def resolve(self, ref: str, base: Path) -> tuple[Any, Path]:
        """The schema a `$ref` written in `base` points at, and the file it lives in."""
        target, _, fragment = ref.partition("#")
        path = (base.parent / target).resolve() if target else base
        value = self.load(path)
        for raw in [t for t in fragment.split("/") if t]:
            value = value[raw.replace("~1", "/").replace("~0", "~")]
        return value, path

    def final(self, schema: Any, base: Path) -> tuple[Any, Path, str | None]:
        """Follow a `$ref` chain: (schema, file, component name or None)."""
        name = None
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            name = ref.rsplit("/", 1)[-1]
            schema, base = self.resolve(ref, base)
        return schema, base, name


def instances(docs: Documents, schema: Any, base: Path | None = None) -> st.SearchStrategy[Any]:
    """Valid JSON instances of `schema` (written in file `base`, the root spec by default)."""
    return _strategy(docs, schema, base or docs.root.resolve(), 0)


def _strategy(docs: Documents, schema: Any, base: Path, depth: int) -> st.SearchStrategy[Any]:
    schema, base, _ = docs.final(schema, base)
    if not isinstance(schema, dict) or not schema:
        return JSON
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return _enum(docs, schema["enum"])
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        return _union(docs, schema, options, base, depth)
    if "allOf" in schema:
        return _object(docs, _merged(docs, schema, base), base, depth)
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    nullable = schema.get("nullable") is True or "null" in kinds
    choices = [_typed(docs, schema, k, base, depth) for k in kinds if k != "null"]
    strategy = st.one_of(*choices) if choices else st.none()
    return st.none() | strategy if nullable else strategy


def _enum(docs: Documents, values: list[Any]) -> st.SearchStrategy[Any]:
    """The listed values; with `open_enums`, also unlisted str / int values where the SDK's
    enum is open (several scalar values; a single value is a closed tag)."""
    declared = st.sampled_from(values)
    scalars = [v for v in values if v is not None]
    if not docs.open_enums or len(scalars) < 2 or not all(_scalar(v) for v in scalars):
        return declared
    unknown = []
    if any(isinstance(v, str) for v in scalars):
        unknown.append(TEXT.filter(lambda text: text not in scalars))
    if any(isinstance(v, int) and not isinstance(v, bool) for v in scalars):
        unknown.append(st.integers(-(2**40), 2**40).filter(lambda n: n not in scalars))
    return declared | st.one_of(*unknown) if unknown else declared


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _typed(
    docs: Documents, schema: dict[str, Any], kind: Any, base: Path, depth: int
) -> st.SearchStrategy[Any]:
    fmt = str(schema.get("format"))
    if kind == "string":
        return FORMATS.get(fmt, TEXT)
    if kind == "integer":
        return FORMATS.get(fmt, st.integers())
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return _array(docs, schema, base, depth)
    if kind == "object" or "properties" in schema:
        return _object(docs, schema, base, depth)
    return JSON


def _array(
    docs: Documents, schema: dict[str, Any], base: Path, depth: int
) -> st.SearchStrategy[Any]:
    prefix = schema.get("prefixItems")
    items = schema.get("items")
    if prefix:
        head = st.tuples(*(_strategy(docs, p, base, depth + 1) for p in prefix)).map(list)
        if items is False:
            return head
        tail = st.lists(_strategy(docs, items, base, depth + 1), max_size=2)
        return st.tuples(head, tail).map(lambda pair: pair[0] + pair[1])
    if depth >= MAX_DEPTH:
        return st.just([])
    item = _strategy(docs, items, base, depth + 1) if isinstance(items, dict) else JSON
    return st.lists(item, max_size=3)


def _merged(docs: Documents, schema: dict[str, Any], base: Path) -> dict[str, Any]:
    """An `allOf` schema as one object schema (properties and required merged)."""
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in [*schema.get("allOf", ()), {k: v for k, v in schema.items() if k != "allOf"}]:
        resolved, part_base, _ = docs.final(part, base)
        if "allOf" in resolved:
            resolved = _merged(docs, resolved, part_base)
        for name, prop in (resolved.get("properties") or {}).items():
            merged["properties"][name] = _anchored(docs, prop, part_base)
        merged["required"] += resolved.get("required") or []
        for key in ("additionalProperties", "patternProperties"):
            if key in resolved:
                merged[key] = resolved[key]
    return merged


def _anchored(docs: Documents, schema: Any, base: Path) -> Any:
    """`schema` with a relative `$ref` made absolute, so it resolves from any file."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        target, _, fragment = schema["$ref"].partition("#")
        path = (base.parent / target).resolve() if target else base
        return {**schema, "$ref": f"{path}#{fragment}"}
    return schema


def _object(
    docs: Documents, schema: dict[str, Any], base: Path, depth: int
) -> st.SearchStrategy[Any]:
    props: dict[str, Any] = schema.get("properties") or {}
    required = [r for r in schema.get("required") or [] if r in props]
    fixed = {name: _strategy(docs, props[name], base, depth + 1) for name in required}
    optional = (
        {}
        if depth >= MAX_DEPTH
        else {
            name: _strategy(docs, prop, base, depth + 1)
            for name, prop in props.items()
            if name not in required
        }
    )
    body = st.fixed_dictionaries(fixed, optional=optional)
    extras = _extras(docs, schema, set(props), base, depth)
    return st.tuples(body, extras).map(lambda pair: {**pair[1], **pair[0]})


def _extras(
    docs: Documents, schema: dict[str, Any], declared: set[str], base: Path, depth: int
) -> st.SearchStrategy[dict[str, Any]]:
    """Undeclared keys: by pattern, typed `additionalProperties`, or any JSON (when allowed)."""
    if depth >= MAX_DEPTH:
        return st.just({})
    extra = schema.get("additionalProperties", True)
    parts = []
    for pattern, value in (schema.get("patternProperties") or {}).items():
        keys = TEXT.map(lambda text, p=pattern: p.lstrip("^") + text)
        keys = keys.filter(lambda k, p=pattern: re.search(p, k) is not None)
        parts.append(st.dictionaries(keys, _strategy(docs, value, base, depth + 1), max_size=2))
    if extra is not False:
        value = _strategy(docs, extra, base, depth + 1) if isinstance(extra, dict) else JSON
        keys = st.from_regex(r"\Aextra_[a-z]{1,6}\Z")
        parts.append(st.dictionaries(keys, value, max_size=2))
    if not parts:
        return st.just({})
    combined = st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})
    return combined.map(lambda d: {k: v for k, v in d.items() if k not in declared})


def _union(
    docs: Documents, schema: dict[str, Any], options: list[Any], base: Path, depth: int
) -> st.SearchStrategy[Any]:
    if depth >= MAX_DEPTH:
        options = [o for o in options if "$ref" not in o and o.get("type") != "array"] or [
            options[0]
        ]
    disc = schema.get("discriminator")
    if not isinstance(disc, dict):
        return st.one_of(*(_strategy(docs, o, base, depth + 1) for o in options))
    choices = []
    for option in options:
        resolved, option_base, name = docs.final(option, base)
        if resolved.get("type") == "null":
            choices.append(st.none())
            continue
        tags = _tags(docs, disc, resolved, option_base, name)
        tag = st.sampled_from(tags)
        value = _strategy(docs, option, base, depth + 1)
        wire = disc["propertyName"]
        choices.append(st.tuples(value, tag).map(lambda pair, w=wire: {**pair[0], w: pair[1]}))
    return st.one_of(*choices)


def _tags(
    docs: Documents, disc: dict[str, Any], schema: dict[str, Any], base: Path, name: str | None
) -> list[str]:
    mapped = [
        value
        for value, target in (disc.get("mapping") or {}).items()
        if target.rsplit("/", 1)[-1] == name
    ]
    if mapped:
        return mapped
    merged = _merged(docs, {"allOf": [schema]}, base)
    tag = merged["properties"].get(disc["propertyName"], {})
    if "const" in tag:
        return [tag["const"]]
    if "enum" in tag:
        return list(tag["enum"])
    return [name or ""]
