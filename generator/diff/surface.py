"""The public surface of a generated SDK, read off its IR: what user code can depend on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..ir.nodes import Alias, Api, Group, Model
from ..ir.types import (
    AliasRef,
    AnyType,
    ModelRef,
    Primitive,
    TypeRef,
    UnionOf,
    annotation,
    make_union,
    referenced,
)

INPUT = "input"
OUTPUT = "output"


@dataclass(frozen=True, slots=True)
class Argument:
    """A keyword argument of a method."""

    name: str
    type: TypeRef
    required: bool
    nullable: bool
    wire: str  # where it goes on the wire: `query id`, `body-field model`...


@dataclass(frozen=True, slots=True)
class Method:
    """A method of the client (`router.images.edits.create`), sync and async alike."""

    key: str
    operation_id: str
    http: str
    arguments: dict[str, Argument]
    returns: TypeRef | None
    return_annotation: str
    deprecated: bool
    doc: str


@dataclass(frozen=True, slots=True)
class Field:
    """An attribute of a model."""

    name: str
    type: TypeRef
    required: bool
    nullable: bool


@dataclass(frozen=True, slots=True)
class ModelSurface:
    """A pydantic model and its fields."""

    name: str
    fields: dict[str, Field]
    doc: str

    @property
    def signature(self) -> tuple[tuple[str, str, bool, bool], ...]:
        """The field set, independent of the model's name (to spot a rename)."""
        return tuple(
            sorted(
                (f.name, annotation(f.type), f.required, f.nullable) for f in self.fields.values()
            )
        )


@dataclass(frozen=True, slots=True)
class AliasSurface:
    """A named alias: an enum (its values) or a union, list or map."""

    name: str
    type: TypeRef
    values: tuple[object, ...]
    open_enum: bool

    @property
    def full_type(self) -> TypeRef:
        """The values the alias accepts (an open enum also takes any string)."""
        return UnionOf((self.type, Primitive("str"))) if self.open_enum else self.type


@dataclass(frozen=True, slots=True)
class Surface:
    """Every method, model and alias of an SDK, and where each named type is used."""

    methods: dict[str, Method]
    models: dict[str, ModelSurface]
    aliases: dict[str, AliasSurface]
    usage: dict[str, frozenset[str]]  # type name -> {"input", "output"}


def method_key(chain: tuple[str, ...], method: str) -> str:
    """`router.images.edits.create`: the attribute path user code writes."""
    return ".".join((*chain, method))


def surface_of(api: Api) -> Surface:
    """The surface of one generated SDK."""
    methods: dict[str, Method] = {}
    for chain, group in _walk(api.root, ()):
        for op in group.operations:
            key = method_key(chain, op.method_name)
            arguments = {
                a.name: Argument(
                    a.name, a.type or AnyType(), a.required, a.nullable, f"{a.source} {a.wire_name}"
                )
                for a in op.arguments
            }
            returns = [r.type for r in op.responses if not r.is_error and r.type is not None]
            methods[key] = Method(
                key=key,
                operation_id=op.operation_id,
                http=f"{op.http_method} {op.path}",
                arguments=arguments,
                returns=make_union(returns) if returns else None,
                return_annotation=op.return_annotation,
                deprecated=op.deprecated,
                doc=f"{op.summary}\n{op.description}",
            )
    models = {m.name: _model(m) for m in api.models}
    aliases = {a.name: _alias(a) for a in api.aliases}
    return Surface(methods, models, aliases, _usage(methods, models, aliases))


def _walk(group: Group, chain: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], Group]]:
    yield chain, group
    for child in group.children:
        yield from _walk(child, (*chain, child.attribute))


def _model(model: Model) -> ModelSurface:
    fields = {f.name: Field(f.name, f.type, f.required, f.nullable) for f in model.fields}
    return ModelSurface(model.name, fields, model.description)


def _alias(alias: Alias) -> AliasSurface:
    return AliasSurface(alias.name, alias.type, tuple(alias.enum_values), alias.open_enum)


def _usage(
    methods: dict[str, Method], models: dict[str, ModelSurface], aliases: dict[str, AliasSurface]
) -> dict[str, frozenset[str]]:
    """For each named type: is it reachable from arguments (input), results (output), or both."""
    usage: dict[str, set[str]] = {}
    for direction in (INPUT, OUTPUT):
        roots: list[TypeRef] = []
        for method in methods.values():
            if direction == INPUT:
                roots.extend(a.type for a in method.arguments.values())
            elif method.returns is not None:
                roots.append(method.returns)
        stack = [ref.name for root in roots for ref in referenced(root)]
        while stack:
            name = stack.pop()
            seen = usage.setdefault(name, set())
            if direction in seen:
                continue
            seen.add(direction)
            stack.extend(ref.name for ref in _mentions(name, models, aliases))
    return {name: frozenset(found) for name, found in usage.items()}


def _mentions(
    name: str, models: dict[str, ModelSurface], aliases: dict[str, AliasSurface]
) -> Iterable[ModelRef | AliasRef]:
    if name in models:
        for field in models[name].fields.values():
            yield from referenced(field.type)
    elif name in aliases:
        yield from referenced(aliases[name].type)
