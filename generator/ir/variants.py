"""Base models with a discriminator (the allOf-inheritance pattern) and their subtypes.

`Pet` carries `discriminator: {propertyName: petType}` and `Cat = allOf[Pet, {...}]`:
a reference to `Pet` parses to `Cat`, `Dog`... as the tag says, and to `Pet` itself for
any other tag, so subtypes added to the API later still parse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..load import LoadedSpec, join_pointer, split_pointer
from .types import ModelRef, Tagging, UnionOf
from .unions import declared_tags, final_key, mapping_keys, union_options

if TYPE_CHECKING:
    from .schemas import SchemaRegistry


def subtype_index(spec: LoadedSpec) -> dict[str, list[tuple[str, str, Any]]]:
    """Target key -> (file, pointer, schema) of the components whose `allOf` names it."""
    index: dict[str, list[tuple[str, str, Any]]] = {}
    schemas = (spec.data.get("components") or {}).get("schemas") or {}
    root = spec.root_key
    for name in sorted(schemas) if isinstance(schemas, dict) else ():
        child = schemas[name]
        parts = child.get("allOf") if isinstance(child, dict) else None
        for part in parts if isinstance(parts, list) else ():
            if not isinstance(part, dict) or not isinstance(part.get("$ref"), str):
                continue
            try:
                found = spec.resolve(part["$ref"], root)
            except ValueError:
                continue
            entry = (root, join_pointer("#/components/schemas", name), child)
            index.setdefault(found.file + found.pointer, []).append(entry)
    return index


def is_polymorphic(schema: Any) -> bool:
    """True for an object schema with a discriminator but no oneOf/anyOf (a base of allOf)."""
    if not isinstance(schema, dict) or union_options(schema):
        return False
    disc = schema.get("discriminator")
    return isinstance(disc, dict) and isinstance(disc.get("propertyName"), str)


def variants(
    reg: SchemaRegistry, base: ModelRef, schema: dict[str, Any], file: str, pointer: str
) -> UnionOf | None:
    """The base model and its subtypes (mapping targets, allOf children) as a tagged union.

    Unknown tags parse as the base model, so a subtype added to the API later still parses.
    """
    disc = schema["discriminator"]
    wire = disc["propertyName"]
    where = join_pointer(pointer, "discriminator")
    base_key = file + pointer
    mapped = mapping_keys(reg, disc.get("mapping"), file, where)
    candidates: dict[str, tuple[str, str, Any]] = {}
    for key in mapped:
        target_file, _, target_pointer = key.partition("#")
        resolved = reg.spec.resolve("#" + target_pointer, target_file)
        candidates[key] = (resolved.file, resolved.pointer, resolved.value)
    for child in reg.subtypes(base_key):
        candidates.setdefault(child[0] + child[1], child)
    members: list[ModelRef] = [base]
    pairs: list[tuple[str, int]] = [(v, 0) for v in mapped.get(base_key, [])]
    for key, (child_file, child_pointer, child) in sorted(candidates.items()):
        if key == base_key:
            continue
        ref = reg.convert_target(child_file, child_pointer, child, base.name)
        if not isinstance(ref, ModelRef) or ref in members:
            continue
        members.append(ref)
        values = mapped.get(key) or _own_tags(reg, child, child_file, wire, base_key)
        values = values or [split_pointer(child_pointer)[-1]]
        pairs.extend((v, len(members) - 1) for v in values if all(v != p for p, _ in pairs))
    if len(members) < 2:
        return None
    if not any(index == 0 for _, index in pairs):
        pairs.append((split_pointer(pointer)[-1], 0))
    return UnionOf(tuple(members), Tagging(wire, tuple(sorted(pairs)), default=0))


def _own_tags(reg: SchemaRegistry, child: Any, file: str, wire: str, base_key: str) -> list[str]:
    """Tag values a subtype declares itself (its inherited tag property does not count)."""
    if not isinstance(child, dict):
        return []
    own = [p for p in child.get("allOf") or () if final_key(reg, p, file) != base_key]
    return declared_tags(reg, {**child, "allOf": own}, file, wire)
