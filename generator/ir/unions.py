"""`oneOf` / `anyOf` -> typed unions, and `discriminator` -> tagged unions of models.

A tagged union is parsed by looking at one wire property, so every member needs its
tag values: the `mapping` entries that point at it, else the `const` / `enum` of its
tag property, else (OpenAPI's implicit rule) its component name. The generated union
uses a callable discriminator, so the member models keep their own field types and a
component may be a member of several unions under different tags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..load import join_pointer, split_pointer
from . import names
from .examples import properties, required_names
from .types import NONE, AnyType, ModelRef, Tagging, TypeRef, UnionOf, doc_name, make_union

if TYPE_CHECKING:
    from .schemas import SchemaRegistry

MAX_HOPS = 16


def is_tagged(schema: dict[str, Any]) -> bool:
    """True for a schema whose `oneOf`/`anyOf` of `$ref`s carries a discriminator."""
    disc = schema.get("discriminator")
    if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
        return False
    return has_union(schema)


def union_options(schema: dict[str, Any]) -> list[Any]:
    """The `oneOf` (else `anyOf`) list of a schema, or an empty list."""
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and options:
            return options
    return []


def has_union(schema: dict[str, Any]) -> bool:
    """True when `oneOf`/`anyOf` lists types (not only constraints such as `required`)."""
    options = union_options(schema)
    return bool(options) and not all(_constraint_only(o) for o in options)


_TYPE_KEYWORDS = frozenset(
    {"$ref", "type", "properties", "items", "prefixItems", "enum", "const", "oneOf", "anyOf"}
    | {"allOf", "additionalProperties", "patternProperties"}
)


def _constraint_only(option: Any) -> bool:
    return isinstance(option, dict) and not _TYPE_KEYWORDS.intersection(option)


def union_keyword(schema: dict[str, Any]) -> str:
    """`oneOf` when the schema has a non-empty one, else `anyOf`."""
    options = schema.get("oneOf")
    return "oneOf" if isinstance(options, list) and options else "anyOf"


def convert_union(
    reg: SchemaRegistry,
    schema: dict[str, Any],
    file: str,
    pointer: str,
    hint: str,
    depth: int,
    named: bool,
) -> TypeRef:
    """The union of a schema's options; tagged (and named) when a discriminator allows."""
    keyword = union_keyword(schema)
    converted: list[tuple[Any, TypeRef]] = []
    alone = sum(not _is_null(o) for o in schema[keyword]) == 1
    for index, option in enumerate(schema[keyword]):
        where = join_pointer(pointer, keyword, index)
        option_hint = hint if alone else hint + _option_suffix(option, index)
        converted.append((option, reg.convert(option, file, where, option_hint, depth + 1)))
    plain = make_union([t for _, t in converted])
    if isinstance(plain, AnyType):
        return plain
    if "discriminator" in schema:
        tagged = _tagged(reg, schema, converted, file, pointer)
    else:
        tagged = _inferred(reg, converted, file)
    if tagged is None:
        return plain
    nullable = any(t == NONE for _, t in converted)
    if not named:
        alias = reg.inline_alias(hint, tagged, schema, file, pointer)
        return make_union([alias, NONE]) if nullable else alias
    return make_union([tagged, NONE]) if nullable else tagged


def _inferred(
    reg: SchemaRegistry, converted: list[tuple[Any, TypeRef]], file: str
) -> UnionOf | None:
    """A tag the members declare without a `discriminator`: a property every member fixes
    to its own constant(s) (`role: {const: user}`), so a value's class is known at once."""
    members: list[ModelRef] = []
    schemas: list[tuple[Any, str]] = []
    for option, type_ in converted:
        if type_ == NONE:
            continue
        if not isinstance(type_, ModelRef):
            return None
        if type_ not in members:
            members.append(type_)
            schemas.append(_resolve(reg, option, file))
    if len(members) < 2:
        return None
    shared = set.intersection(*(_required_props(reg, s, f) for s, f in schemas))
    for wire in sorted(shared):
        values = [declared_tags(reg, s, f, wire) for s, f in schemas]
        flat = [v for vs in values for v in vs]
        if all(values) and len(flat) == len(set(flat)):
            pairs = tuple(sorted((v, i) for i, vs in enumerate(values) for v in vs))
            return UnionOf(tuple(members), Tagging(wire, pairs))
    return None


def _required_props(reg: SchemaRegistry, schema: Any, file: str) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    return set(properties(reg.spec, schema, file, 0)) & set(required_names(reg.spec, schema, file))


def _tagged(
    reg: SchemaRegistry,
    schema: dict[str, Any],
    converted: list[tuple[Any, TypeRef]],
    file: str,
    pointer: str,
) -> UnionOf | None:
    disc = schema["discriminator"]
    where = join_pointer(pointer, "discriminator")
    if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
        reg.warn(file, where, "discriminator", "discriminator needs a propertyName; untagged")
        return None
    wire = disc["propertyName"]
    mapped = mapping_keys(reg, disc.get("mapping"), file, where)
    members: list[ModelRef] = []
    pairs: list[tuple[str, int]] = []
    for option, type_ in converted:
        if type_ == NONE:
            continue
        if not isinstance(type_, ModelRef):
            reg.warn(
                file,
                where,
                "discriminator",
                f"a member of this union is not an object model ({doc_name(type_, None)}); "
                "it is parsed as a plain union",
            )
            return None
        if type_ not in members:
            members.append(type_)
        values = _values(reg, option, file, wire, mapped)
        if not values:
            reg.warn(
                file,
                where,
                "discriminator",
                f"no tag value of '{wire}' is known for {type_.name}; parsed as a plain union",
                "add a discriminator mapping or a const/enum to the tag property",
            )
            return None
        index = members.index(type_)
        pairs.extend((v, index) for v in values if all(v != seen for seen, _ in pairs))
    if len(members) < 2:
        return None
    return UnionOf(tuple(members), Tagging(wire, tuple(sorted(pairs))))


def mapping_keys(reg: SchemaRegistry, mapping: Any, file: str, where: str) -> dict[str, list[str]]:
    """Target key (file + pointer) -> the wire values the mapping routes there."""
    found: dict[str, list[str]] = {}
    if not isinstance(mapping, dict):
        return found
    for value in sorted(mapping, key=str):
        target = mapping[value]
        if not isinstance(target, str):
            continue
        components = (reg.spec.data.get("components") or {}).get("schemas") or {}
        by_name = isinstance(components, dict) and target in components
        ref = join_pointer("#/components/schemas", target) if by_name else target
        key = final_key(reg, {"$ref": ref}, reg.spec.root_key if by_name else file)
        if key is None:
            reg.warn(
                file,
                join_pointer(where, "mapping", str(value)),
                "discriminator",
                f"mapping target '{target}' does not exist; that value is not routed",
            )
            continue
        found.setdefault(key, []).append(str(value))
    return found


def final_key(reg: SchemaRegistry, schema: Any, file: str) -> str | None:
    """Key (file + pointer) of the schema a `$ref` chain ends at; None for inline schemas."""
    key = None
    for _ in range(MAX_HOPS):
        if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
            return key
        try:
            target = reg.spec.resolve(schema["$ref"], file)
        except ValueError:
            return None
        schema, file, key = target.value, target.file, target.file + target.pointer
    return key


def _values(
    reg: SchemaRegistry, option: Any, file: str, wire: str, mapped: dict[str, list[str]]
) -> list[str]:
    """Tag values of one member: mapping entries, else const/enum of the tag, else its name."""
    key = final_key(reg, option, file)
    if key is not None and key in mapped:
        return mapped[key]
    schema, schema_file = _resolve(reg, option, file)
    declared = declared_tags(reg, schema, schema_file, wire)
    if declared:
        return declared
    if key is not None:
        tokens = split_pointer(key.split("#", 1)[1] if "#" in key else "")
        if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
            return [tokens[2]]
    return []


def _resolve(reg: SchemaRegistry, schema: Any, file: str) -> tuple[Any, str]:
    for _ in range(MAX_HOPS):
        if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
            break
        try:
            target = reg.spec.resolve(schema["$ref"], file)
        except ValueError:
            return {}, file
        schema, file = target.value, target.file
    return schema, file


def declared_tags(reg: SchemaRegistry, schema: Any, file: str, wire: str) -> list[str]:
    """String values the member's own tag property allows (`const` or `enum`)."""
    if not isinstance(schema, dict):
        return []
    prop = properties(reg.spec, schema, file, 0).get(wire)
    if prop is None:
        return []
    resolved, _ = _resolve(reg, prop[0], prop[1])
    if not isinstance(resolved, dict):
        return []
    if isinstance(resolved.get("const"), str):
        return [resolved["const"]]
    enum = resolved.get("enum")
    if isinstance(enum, list):
        return [v for v in enum if isinstance(v, str)]
    return []


def _is_null(option: Any) -> bool:
    return isinstance(option, dict) and option.get("type") == "null" and len(option) <= 2


def _option_suffix(option: Any, index: int) -> str:
    if isinstance(option, dict) and isinstance(option.get("title"), str) and option["title"]:
        return names.pascal(option["title"])
    return f"Option{index + 1}"
