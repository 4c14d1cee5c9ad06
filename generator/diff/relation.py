"""How two types relate: the same, wider (accepts more values), narrower, or different."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ir.types import (
    AliasRef,
    AnyType,
    ListOf,
    LiteralOf,
    MapOf,
    ModelRef,
    Primitive,
    TupleOf,
    TypeRef,
    UnionOf,
    referenced,
)

SAME = "same"
WIDER = "wider"
NARROWER = "narrower"
DIFFERENT = "different"

# A value of the key kind is also a value of each listed kind (`int` passes as `float`).
_ALSO = {"int": ("float", "decimal"), "float": ("decimal",)}
_MAX_DEPTH = 8


def renamed(t: TypeRef, renames: dict[str, str]) -> TypeRef:
    """`t` with model and alias names mapped through `renames` (old name -> new name)."""
    match t:
        case ModelRef(name) | AliasRef(name) if name in renames:
            return replace(t, name=renames[name])
        case ListOf(item):
            return ListOf(renamed(item, renames))
        case MapOf(value):
            return MapOf(renamed(value, renames))
        case TupleOf(items):
            return TupleOf(tuple(renamed(i, renames) for i in items))
        case UnionOf(options, discriminator):
            return UnionOf(tuple(renamed(o, renames) for o in options), discriminator)
    return t


def expanded(t: TypeRef, aliases: dict[str, TypeRef], keep: set[str], depth: int = 0) -> TypeRef:
    """`t` with each alias not named in `keep` replaced by the type it stands for."""
    match t:
        case AliasRef(name) if name not in keep and name in aliases and depth < _MAX_DEPTH:
            return expanded(aliases[name], aliases, keep, depth + 1)
        case ListOf(item):
            return ListOf(expanded(item, aliases, keep, depth))
        case MapOf(value):
            return MapOf(expanded(value, aliases, keep, depth))
        case TupleOf(items):
            return TupleOf(tuple(expanded(i, aliases, keep, depth) for i in items))
        case UnionOf(options, discriminator):
            return UnionOf(tuple(expanded(o, aliases, keep, depth) for o in options), discriminator)
    return t


@dataclass(frozen=True, slots=True)
class Context:
    """What relating two types needs: model renames and each side's alias definitions."""

    renames: dict[str, str] = field(default_factory=dict)
    old_aliases: dict[str, TypeRef] = field(default_factory=dict)
    new_aliases: dict[str, TypeRef] = field(default_factory=dict)


def relation(old: TypeRef, new: TypeRef, context: Context | None = None) -> str:
    """SAME, WIDER (new accepts every old value and more), NARROWER or DIFFERENT.

    An alias named on both sides is compared by name (its own changes are reported on
    it); any other alias is compared by the type it stands for.
    """
    context = context or Context()
    old = renamed(old, context.renames)
    keep = {r.name for r in referenced(old)} & {r.name for r in referenced(new)}
    old = expanded(old, context.old_aliases, keep)
    new = expanded(new, context.new_aliases, keep)
    if _key(old) == _key(new):
        return SAME
    wider, narrower = covers(new, old), covers(old, new)
    if wider and narrower:
        return SAME
    if wider:
        return WIDER
    return NARROWER if narrower else DIFFERENT


def _key(t: TypeRef) -> TypeRef:
    """`t` without the parts that do not change which values it accepts."""
    match t:
        case UnionOf(options, _):
            return UnionOf(tuple(_key(o) for o in options))
        case ModelRef(name) | AliasRef(name):
            return ModelRef(name, "")
        case ListOf(item):
            return ListOf(_key(item))
        case MapOf(value):
            return MapOf(_key(value))
        case TupleOf(items):
            return TupleOf(tuple(_key(i) for i in items))
    return t


def covers(big: TypeRef, small: TypeRef) -> bool:
    """True when every value of `small` is also a value of `big`."""
    if _key(big) == _key(small) or isinstance(big, AnyType):
        return True
    if isinstance(small, UnionOf):
        return all(covers(big, option) for option in small.options)
    if isinstance(small, LiteralOf) and len(small.values) > 1:
        return all(covers(big, LiteralOf((value,))) for value in small.values)
    if isinstance(big, UnionOf):
        return any(covers(option, small) for option in big.options)
    match big, small:
        case LiteralOf(values), LiteralOf(small_values):
            return set(small_values) <= set(values)
        case Primitive(kind), LiteralOf(values):
            return all(_kind_of(v) == kind or kind in _ALSO.get(_kind_of(v), ()) for v in values)
        case Primitive(kind), Primitive(small_kind):
            return kind in _ALSO.get(small_kind, ())
        case ListOf(item), ListOf(small_item):
            return covers(item, small_item)
        case MapOf(value), MapOf(small_value):
            return covers(value, small_value)
        case TupleOf(items), TupleOf(small_items):
            return len(items) == len(small_items) and all(
                covers(a, b) for a, b in zip(items, small_items, strict=True)
            )
    return False


def _kind_of(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"
