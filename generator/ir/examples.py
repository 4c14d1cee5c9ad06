"""Example values for docs snippets: the spec's own examples first, else built from schemas.

Snippets are meant to run against a mock of the spec, so synthesised values respect
enums, formats and numeric bounds. Values are returned as Python source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..text import py_literal

if TYPE_CHECKING:
    from ..load import LoadedSpec

MAX_DEPTH = 12
FILE_SOURCE = '{"file_name": "example.png", "content": b"<file content>"}'

_FORMATS = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "12:00:00",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
}


def resolve(spec: LoadedSpec, schema: Any, file: str) -> tuple[Any, str]:
    """Follow a schema's `$ref` chain to the schema and the file it lives in."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < MAX_DEPTH:
        try:
            target = spec.resolve(str(schema["$ref"]), file)
        except ValueError:
            return {}, file
        schema, file = target.value, target.file
        seen += 1
    return schema, file


def schema_example(schema: Any) -> tuple[bool, Any]:
    """The schema's own example (`example`, first of `examples`, `default`, enum, const)."""
    if not isinstance(schema, dict):
        return False, None
    for key in ("example", "default", "const"):
        if key in schema:
            return True, schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return True, examples[0]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return True, next((v for v in enum if v is not None), enum[0])
    return False, None


def example_source(
    spec: LoadedSpec,
    schema: Any,
    file: str,
    given: tuple[bool, Any] = (False, None),
    depth: int = 0,
) -> str:
    """Python source for an example of `schema`, using `given` (present, value) when present."""
    schema, file = resolve(spec, schema, file)
    if depth > MAX_DEPTH or not isinstance(schema, dict):
        return _canonical_literal(given[1]) if given[0] else "None"
    if schema.get("format") == "binary":
        return FILE_SOURCE
    present, value = given if given[0] else schema_example(schema)
    props = properties(spec, schema, file, depth)
    if present and isinstance(value, dict):
        keys = canonical_keys(value, required_names(spec, schema, file))
        items = [
            (
                f"{py_literal(key)}: "
                + example_source(spec, props[key][0], props[key][1], (True, value[key]), depth + 1)
                if key in props
                else f"{py_literal(key)}: {_canonical_literal(value[key])}"
            )
            for key in keys
        ]
        return "{" + ", ".join(items) + "}"
    if present and isinstance(value, list) and isinstance(schema.get("items"), dict):
        rendered = [
            example_source(spec, schema["items"], file, (True, v), depth + 1) for v in value
        ]
        return "[" + ", ".join(rendered) + "]"
    if present:
        return _canonical_literal(value)
    return _synthesise(spec, schema, file, props, depth)


def canonical_keys(value: dict[str, Any], required: list[str]) -> list[str]:
    """Object keys in the order the generated models use: required first, then sorted."""
    first = [k for k in required if k in value]
    return first + sorted(k for k in value if k not in first)


def _canonical_literal(value: Any) -> str:
    """py_literal with object keys sorted, so the input's key order never shows."""
    if isinstance(value, dict):
        items = (f"{py_literal(str(k))}: {_canonical_literal(value[k])}" for k in sorted(value))
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_canonical_literal(v) for v in value) + "]"
    return py_literal(value)


def properties(
    spec: LoadedSpec, schema: dict[str, Any], file: str, depth: int
) -> dict[str, tuple[Any, str]]:
    """Properties of an object schema, through `allOf` parts, with the file they live in."""
    found: dict[str, tuple[Any, str]] = {}
    for index, part in enumerate(schema.get("allOf") or ()):
        if depth + index > MAX_DEPTH:
            break
        resolved, part_file = resolve(spec, part, file)
        if isinstance(resolved, dict):
            found.update(properties(spec, resolved, part_file, depth + 1))
    props = schema.get("properties")
    if isinstance(props, dict):
        found.update({str(k): (v, file) for k, v in props.items()})
    return found


def required_names(spec: LoadedSpec, schema: dict[str, Any], file: str) -> list[str]:
    """Required property names of an object schema, through `allOf` parts."""
    names = [str(r) for r in schema.get("required") or () if isinstance(r, str)]
    for part in schema.get("allOf") or ():
        resolved, part_file = resolve(spec, part, file)
        if isinstance(resolved, dict):
            names.extend(required_names(spec, resolved, part_file))
    return list(dict.fromkeys(names))


def _synthesise(
    spec: LoadedSpec,
    schema: dict[str, Any],
    file: str,
    props: dict[str, tuple[Any, str]],
    depth: int,
) -> str:
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and options and not props:
            usable = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
            return example_source(spec, (usable or options)[0], file, depth=depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if props or kind == "object":
        required = [name for name in required_names(spec, schema, file) if name in props]
        items = [
            f"{py_literal(name)}: "
            + example_source(spec, props[name][0], props[name][1], depth=depth + 1)
            for name in required
        ]
        return "{" + ", ".join(items) + "}"
    if kind == "array":
        item = example_source(spec, schema.get("items"), file, depth=depth + 1)
        return f"[{item}]"
    return py_literal(_scalar(kind, schema))


def _scalar(kind: Any, schema: dict[str, Any]) -> Any:
    if kind == "integer":
        return int(_number(schema, 1))
    if kind == "number":
        return float(_number(schema, 1.0))
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    if kind == "string" or kind is None:
        text = _FORMATS.get(str(schema.get("format")), "<value>")
        min_length = schema.get("minLength")
        if isinstance(min_length, int) and len(text) < min_length:
            text = text + "x" * (min_length - len(text))
        return text
    return None


def _number(schema: dict[str, Any], fallback: float) -> float:
    low = schema.get("minimum")
    exclusive = schema.get("exclusiveMinimum")
    high = schema.get("maximum")
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
        return exclusive + 1
    if isinstance(low, int | float) and not isinstance(low, bool):
        return low
    if isinstance(high, int | float) and not isinstance(high, bool) and high < fallback:
        return high
    return fallback
