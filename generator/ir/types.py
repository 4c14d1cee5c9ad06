"""TypeRef: the closed set of types a schema can become, and how each is spelled.

Each variant knows its Python annotation (for models), its input annotation (for
method arguments and TypedDicts, where a plain dict may stand for a model) and its
name in the Markdown docs, so templates never ask "is it a list?".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..text import py_literal

# kind -> (annotation, docs name)
PRIMITIVES: dict[str, tuple[str, str]] = {
    "str": ("str", "str"),
    "int": ("int", "int"),
    "float": ("float", "float"),
    "bool": ("bool", "bool"),
    "date": ("_dt.date", "date"),
    "datetime": ("_dt.datetime", "datetime"),
    "time": ("_dt.time", "time"),
    "uuid": ("_uuid.UUID", "UUID"),
    "decimal": ("_decimal.Decimal", "Decimal"),
    "bytes": ("bytes", "bytes"),
    "file": ("File", "File"),
    "stream": ("BinaryInput", "bytes"),
    "none": ("None", "None"),
}


@dataclass(frozen=True, slots=True)
class Primitive:
    """A scalar: str, int, float, bool, date, datetime, time, uuid, decimal, bytes, file, none."""

    kind: str


@dataclass(frozen=True, slots=True)
class AnyType:
    """Any JSON value (free-form, or a schema we model no closer)."""


@dataclass(frozen=True, slots=True)
class ListOf:
    """A JSON array of one item type."""

    item: TypeRef


@dataclass(frozen=True, slots=True)
class TupleOf:
    """A JSON array with positional item types (`prefixItems`)."""

    items: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True)
class MapOf:
    """A JSON object used as a map from string keys to one value type."""

    value: TypeRef


@dataclass(frozen=True, slots=True)
class Tagging:
    """How a tagged union picks its member: the wire property and wire value -> option index."""

    property: str
    tags: tuple[tuple[str, int], ...]
    default: int | None = None  # the member for tags not listed (a base model), if any


@dataclass(frozen=True, slots=True)
class UnionOf:
    """One of several types; `discriminator` (models only) says how the wire tags them."""

    options: tuple[TypeRef, ...]
    discriminator: Tagging | None = None


@dataclass(frozen=True, slots=True)
class LiteralOf:
    """One of fixed JSON scalar values (an inline enum or a const)."""

    values: tuple[str | int | bool | None, ...]


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A generated pydantic model (with a TypedDict twin); `page` names its docs page."""

    name: str
    page: str


@dataclass(frozen=True, slots=True)
class AliasRef:
    """A generated type alias (a named enum, union...); `input_name` is its dict-accepting twin."""

    name: str
    page: str
    input_name: str | None = None


TypeRef = Primitive | AnyType | ListOf | TupleOf | MapOf | UnionOf | LiteralOf | ModelRef | AliasRef

NONE = Primitive("none")


BUILTIN_NAMES = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "tuple"})


def _b(name: str, shadowed: frozenset[str]) -> str:
    """A builtin's name, qualified as `builtins.x` where a class member shadows it."""
    return f"builtins.{name}" if name in shadowed else name


def annotation(t: TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
    """Annotation used in model fields and return types."""
    match t:
        case Primitive(kind):
            text = PRIMITIVES[kind][0]
            return _b(text, shadowed)
        case AnyType():
            return "Any"
        case ListOf(item):
            return f"{_b('list', shadowed)}[{annotation(item, shadowed)}]"
        case TupleOf(items):
            inner = ", ".join(annotation(i, shadowed) for i in items)
            return f"{_b('tuple', shadowed)}[{inner}]"
        case MapOf(value):
            return f"{_b('dict', shadowed)}[{_b('str', shadowed)}, {annotation(value, shadowed)}]"
        case UnionOf(options, discriminator):
            if discriminator is not None:
                return _tagged(options, discriminator, shadowed)
            return " | ".join(annotation(o, shadowed) for o in options)
        case LiteralOf(values):
            return _literal(values)
        case ModelRef(name) | AliasRef(name):
            return name
    raise AssertionError(t)


def input_annotation(t: TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
    """Annotation for arguments and TypedDict keys: models also accept their TypedDict."""
    match t:
        case Primitive("file"):
            return "FileInput"
        case ListOf(item):
            return f"{_b('list', shadowed)}[{input_annotation(item, shadowed)}]"
        case TupleOf(items):
            inner = ", ".join(input_annotation(i, shadowed) for i in items)
            return f"{_b('tuple', shadowed)}[{inner}]"
        case MapOf(value):
            return (
                f"{_b('dict', shadowed)}[{_b('str', shadowed)}, "
                f"{input_annotation(value, shadowed)}]"
            )
        case UnionOf(options):
            return " | ".join(_dedupe(input_annotation(o, shadowed) for o in options))
        case ModelRef(name):
            return f"{name} | {name}TypedDict"
        case AliasRef(name, _, input_name) if input_name:
            return f"{name} | {input_name}"
    return annotation(t, shadowed)


def doc_name(t: TypeRef, models_link: str | None) -> str:
    """Docs name of a type; named types link under `models_link` (plain when None)."""
    match t:
        case Primitive(kind):
            return PRIMITIVES[kind][1]
        case AnyType():
            return "Any"
        case ListOf(item):
            return f"List[{doc_name(item, models_link)}]"
        case TupleOf(items):
            return f"Tuple[{', '.join(doc_name(i, models_link) for i in items)}]"
        case MapOf(value):
            return f"Dict[str, {doc_name(value, models_link)}]"
        case UnionOf(options):
            return f"Union[{', '.join(doc_name(o, models_link) for o in options)}]"
        case LiteralOf(values):
            return "Literal[" + ", ".join(_doc_value(v) for v in values) + "]"
        case ModelRef(name, page) | AliasRef(name, page):
            if models_link is None:
                return f"models.{name}"
            return f"[models.{name}]({models_link}{page}.md)"
    raise AssertionError(t)


def doc_type(t: TypeRef, wrapper: str, models_link: str) -> str:
    """Docs type as the reference page writes it: `[Optional[models.X]](link)` or `*str*`."""
    refs = list(dict.fromkeys(referenced(t)))
    if len(refs) > 1:
        inner = doc_name(t, models_link)
        return f"{wrapper}[{inner}]" if wrapper else inner
    inner = doc_name(t, None)
    text = f"{wrapper}[{inner}]" if wrapper else inner
    if refs:
        return f"[{text}]({models_link}{refs[0].page}.md)"
    return f"*{text}*"


def tag_rows(t: TypeRef) -> tuple[tuple[str, str, str], ...]:
    """(wire tag, member class, docs page) of a tagged union (or of `X | None`), else ()."""
    inner, _ = strip_none(t)
    if not isinstance(inner, UnionOf) or inner.discriminator is None:
        return ()
    rows = []
    for value, index in inner.discriminator.tags:
        member = inner.options[index]
        if isinstance(member, ModelRef | AliasRef):
            rows.append((value, member.name, member.page))
    return tuple(rows)


def tag_default(t: TypeRef) -> tuple[str, str] | None:
    """(member class, docs page) that values with an unlisted tag parse as, if any."""
    inner, _ = strip_none(t)
    if not isinstance(inner, UnionOf) or inner.discriminator is None:
        return None
    if inner.discriminator.default is None:
        return None
    member = inner.options[inner.discriminator.default]
    return (member.name, member.page) if isinstance(member, ModelRef | AliasRef) else None


def open_kinds(t: TypeRef) -> tuple[str, ...]:
    """Docs names of the plain types an open enum also accepts (`str`, `int`)."""
    inner, _ = strip_none(t)
    options = inner.options if isinstance(inner, UnionOf) else (inner,)
    return tuple(PRIMITIVES[o.kind][1] for o in options if isinstance(o, Primitive))


def wrapper_for(required: bool, nullable: bool) -> str:
    """`Optional`, `OptionalNullable`, `Nullable` or nothing, as the reference docs say."""
    if required:
        return "Nullable" if nullable else ""
    return "OptionalNullable" if nullable else "Optional"


def referenced(t: TypeRef) -> Iterator[ModelRef | AliasRef]:
    """Every named type `t` mentions (for imports and docs links)."""
    match t:
        case ModelRef() | AliasRef():
            yield t
        case ListOf(item):
            yield from referenced(item)
        case MapOf(value):
            yield from referenced(value)
        case TupleOf(items) | UnionOf(items):
            for item in items:
                yield from referenced(item)


def contains(t: TypeRef, kind: str) -> bool:
    """True when the primitive `kind` (e.g. "file") appears anywhere in `t`."""
    match t:
        case Primitive(k):
            return k == kind
        case ListOf(item):
            return contains(item, kind)
        case MapOf(value):
            return contains(value, kind)
        case TupleOf(items) | UnionOf(items):
            return any(contains(i, kind) for i in items)
    return False


def uses_any(t: TypeRef) -> bool:
    """True when the annotation of `t` mentions `Any`."""
    match t:
        case AnyType():
            return True
        case ListOf(item):
            return uses_any(item)
        case MapOf(value):
            return uses_any(value)
        case TupleOf(items) | UnionOf(items):
            return any(uses_any(i) for i in items)
    return False


def strip_none(t: TypeRef) -> tuple[TypeRef, bool]:
    """Split `X | None` into (X, True); other types give (t, False)."""
    if isinstance(t, UnionOf) and NONE in t.options:
        rest = tuple(o for o in t.options if o != NONE)
        if not rest:
            return NONE, True
        if len(rest) == 1:
            return rest[0], True
        return UnionOf(rest, t.discriminator), True
    if isinstance(t, LiteralOf) and None in t.values:
        values = tuple(v for v in t.values if v is not None)
        return (LiteralOf(values) if values else NONE), True
    return t, t == NONE


def make_union(options: list[TypeRef]) -> TypeRef:
    """A union of distinct options, flattened; one option is returned as itself."""
    flat: list[TypeRef] = []
    for option in options:
        inner = (
            option.options
            if isinstance(option, UnionOf) and not option.discriminator
            else (option,)
        )
        for item in inner:
            if item not in flat:
                flat.append(item)
    if any(isinstance(o, AnyType) for o in flat):
        return AnyType()
    if len(flat) == 1:
        return flat[0]
    return UnionOf(tuple(flat))


_FEATURES = {
    "file": "file",
    "date": "dt",
    "datetime": "dt",
    "time": "dt",
    "uuid": "uuid",
    "decimal": "decimal",
}


def features(t: TypeRef) -> set[str]:
    """What an annotation of `t` needs imported: any, literal, annotated, file, dt, uuid..."""
    match t:
        case Primitive(kind):
            return {_FEATURES[kind]} if kind in _FEATURES else set()
        case AnyType():
            return {"any"}
        case LiteralOf():
            return {"literal"}
        case ListOf(item):
            return features(item)
        case MapOf(value):
            return features(value)
        case TupleOf(items) | UnionOf(items):
            tagged = isinstance(t, UnionOf) and t.discriminator is not None
            found = {"annotated", "tagged"} if tagged else set()
            for item in items:
                found |= features(item)
            return found
    return set()


def _tagged(options: tuple[TypeRef, ...], tagging: Tagging, shadowed: frozenset[str]) -> str:
    """`Annotated[Annotated[A, Tag("A")] | ..., Discriminator(TagPicker(wire, {value: tag}))]`."""
    tags = [annotation(o, shadowed) for o in options]
    members = " | ".join(f"Annotated[{t}, Tag({py_literal(t)})]" for t in tags)
    table = ", ".join(f"{py_literal(value)}: {py_literal(tags[i])}" for value, i in tagging.tags)
    default = "" if tagging.default is None else f", {py_literal(tags[tagging.default])}"
    picker = f"TagPicker({py_literal(tagging.property)}, {{{table}}}{default})"
    return f"Annotated[{members}, Discriminator({picker})]"


def _literal(values: tuple[str | int | bool | None, ...]) -> str:
    return "Literal[" + ", ".join(py_literal(v) for v in values) + "]"


def _doc_value(value: str | int | bool | None) -> str:
    return py_literal(value)


def _dedupe(items: Iterator[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
