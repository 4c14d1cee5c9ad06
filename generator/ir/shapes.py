"""Schemas that are not object models: scalars and formats, arrays, tuples, maps and enums."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..load import join_pointer
from .types import (
    NONE,
    AnyType,
    ListOf,
    LiteralOf,
    MapOf,
    Primitive,
    TupleOf,
    TypeRef,
    make_union,
)

if TYPE_CHECKING:
    from .schemas import SchemaRegistry

# `type: string` formats with a Python type of their own. Others (email, uri, byte...) stay
# `str`: a validating type would rewrite the text (URLs gain a slash, base64 is decoded)
# and the SDK must send back exactly what it received.
STRING_FORMATS = {
    "date": "date",
    "date-time": "datetime",
    "time": "time",
    "uuid": "uuid",
    "binary": "file",
    "decimal": "decimal",
}


def typed(
    reg: SchemaRegistry,
    schema: dict[str, Any],
    kind: Any,
    file: str,
    pointer: str,
    hint: str,
    depth: int,
) -> TypeRef:
    """The type for one `type` value (or for a schema without `type`, from its keywords)."""
    if kind == "string":
        return Primitive(STRING_FORMATS.get(str(schema.get("format")), "str"))
    if kind == "integer":
        return Primitive("int")
    if kind == "number":
        return Primitive("float")
    if kind == "boolean":
        return Primitive("bool")
    if kind == "null":
        return NONE
    if kind == "array" or (kind is None and ("items" in schema or "prefixItems" in schema)):
        return array(reg, schema, file, pointer, hint, depth)
    if kind == "object" or (kind is None and _has_map_keywords(schema)):
        return mapping(reg, schema, file, pointer, hint, depth)
    return AnyType()


def _has_map_keywords(schema: dict[str, Any]) -> bool:
    return "additionalProperties" in schema or "patternProperties" in schema


def array(
    reg: SchemaRegistry, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
) -> TypeRef:
    """`list[X]`; a closed `prefixItems` is a tuple, an open one a list of its item types."""
    prefix = schema.get("prefixItems")
    items = schema.get("items")
    if isinstance(items, list):  # the draft-04 tuple form, seen in the wild
        prefix, items = items, schema.get("additionalItems", True)
    if not isinstance(prefix, list) or not prefix:
        if not isinstance(items, dict):
            return ListOf(AnyType())
        where = join_pointer(pointer, "items")
        return ListOf(reg.convert(items, file, where, hint, depth + 1))
    keyword = "prefixItems" if "prefixItems" in schema else "items"
    positions = [
        reg.convert(item, file, join_pointer(pointer, keyword, i), f"{hint}{i + 1}", depth + 1)
        for i, item in enumerate(prefix)
    ]
    closed = items is False or schema.get("maxItems") == len(prefix)
    if closed and schema.get("minItems", len(prefix)) == len(prefix):
        return TupleOf(tuple(positions))
    if isinstance(items, dict):
        where = join_pointer(pointer, "items")
        positions.append(reg.convert(items, file, where, hint + "Item", depth + 1))
    elif items is not False:
        positions.append(AnyType())
    return ListOf(make_union(positions))


def mapping(
    reg: SchemaRegistry, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
) -> TypeRef:
    """`dict[str, X]`: X from `additionalProperties` and every `patternProperties` schema."""
    value = extra_value(reg, schema, file, pointer, hint, depth)
    return MapOf(value if value is not None else AnyType())


def extra_value(
    reg: SchemaRegistry, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
) -> TypeRef | None:
    """Type of the values of undeclared keys; None when any JSON value is allowed."""
    values: list[TypeRef] = []
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for index, key in enumerate(sorted(patterns)):
            where = join_pointer(pointer, "patternProperties", key)
            name = hint + ("Pattern" if len(patterns) == 1 else f"Pattern{index + 1}")
            values.append(reg.convert(patterns[key], file, where, name, depth + 1))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        where = join_pointer(pointer, "additionalProperties")
        values.append(reg.convert(extra, file, where, hint + "Value", depth + 1))
    elif values and extra is not False:
        values.append(AnyType())
    if not values:
        return None
    value = make_union(values)
    return None if isinstance(value, AnyType) else value


def enum(
    reg: SchemaRegistry, schema: dict[str, Any], file: str, pointer: str, hint: str, named: bool
) -> TypeRef:
    """A `Literal` of the enum's values: open (also any str / int) and named when it has several.

    A single value (a tag such as `type: [text]`) stays an inline, closed Literal.
    """
    values = list(schema["enum"])
    if not all(is_scalar(v) for v in values):
        return typed(reg, schema, schema.get("type"), file, pointer, hint, 0)
    unique: list[Any] = []
    for value in values:
        if not any(value == u and type(value) is type(u) for u in unique):
            unique.append(value)
    nullable = None in unique
    literal = LiteralOf(tuple(v for v in unique if v is not None))
    if not literal.values:
        return NONE
    if len(literal.values) == 1 and not named:
        return make_union([literal, NONE]) if nullable else literal
    if not named:
        alias = reg.inline_alias(hint, literal, schema, file, pointer)
        return make_union([alias, NONE]) if nullable else alias
    return make_union([literal, NONE]) if nullable else literal


def open_type(values: tuple[Any, ...]) -> list[TypeRef]:
    """The plain types an open enum of `values` also accepts (str and/or int; never bool)."""
    kinds: list[TypeRef] = []
    if any(isinstance(v, str) for v in values):
        kinds.append(Primitive("str"))
    if any(isinstance(v, int) and not isinstance(v, bool) for v in values):
        kinds.append(Primitive("int"))
    return kinds


def all_of_scalar(
    reg: SchemaRegistry, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
) -> TypeRef:
    """`allOf` of non-object parts: the first part that says something about the type."""
    parts = [(i, p) for i, p in enumerate(schema["allOf"]) if isinstance(p, dict)]
    converted = [
        reg.convert(part, file, join_pointer(pointer, "allOf", i), hint, depth + 1)
        for i, part in parts
    ]
    meaningful = [t for t in converted if not isinstance(t, AnyType)]
    return meaningful[0] if meaningful else AnyType()


def is_scalar(value: Any) -> bool:
    """True for JSON values a `Literal` can hold (str, int, bool, None; not float)."""
    return value is None or (isinstance(value, str | int | bool) and not isinstance(value, float))
