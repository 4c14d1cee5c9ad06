"""Object schemas -> Model: properties merged through `allOf`, fields named and typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..load import join_pointer
from ..text import py_literal
from . import names
from .examples import example_source
from .nodes import Field, Model
from .schemas import MAX_DEPTH, describe
from .types import NONE, AnyType, LiteralOf, MapOf, Primitive, TypeRef, strip_none

if TYPE_CHECKING:
    from .schemas import SchemaRegistry


@dataclass(slots=True)
class _Collected:
    """Properties gathered from an object schema and its `allOf` parts."""

    props: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    extra: Any = None
    description: str = ""
    deprecated: bool = False


def object_model(
    reg: SchemaRegistry,
    name: str,
    ref: TypeRef,
    schema: dict[str, Any],
    file: str,
    pointer: str,
    depth: int,
) -> Model:
    """Model for an object schema, with its fields in a canonical, input-order-free order."""
    collected = _Collected()
    _collect(reg, schema, file, pointer, collected, depth, set())
    order = [w for w in dict.fromkeys(collected.required) if w in collected.props]
    order += sorted(w for w in collected.props if w not in order)
    python_names = _field_names(order)
    fields = []
    for wire in order:
        prop, prop_file, prop_pointer = collected.props[wire]
        made = make_field(
            reg, name, wire, prop, wire in collected.required, prop_file, prop_pointer, depth
        )
        fields.append(_renamed(made, python_names[wire]))
    extra, extra_type = _extra_policy(reg, name, collected.extra, file, pointer, depth)
    return Model(
        name=name,
        module=getattr(ref, "page", names.module_name(name)),
        fields=tuple(fields),
        description=collected.description or describe(schema),
        location=reg.spec.locate(file, pointer),
        extra=extra,
        extra_type=extra_type,
        deprecated=collected.deprecated,
    )


def _collect(
    reg: SchemaRegistry,
    schema: Any,
    file: str,
    pointer: str,
    out: _Collected,
    depth: int,
    seen: set[str],
) -> None:
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    if "$ref" in schema:
        try:
            target = reg.spec.resolve(str(schema["$ref"]), file)
        except ValueError as problem:
            reg.error(
                file,
                join_pointer(pointer, "$ref"),
                "unresolved-ref",
                str(problem),
                "check the reference target",
            )
            return
        key = target.file + target.pointer
        if key not in seen:
            _collect(reg, target.value, target.file, target.pointer, out, depth + 1, seen | {key})
        return
    if not out.description:
        out.description = describe(schema) if "properties" in schema else ""
    out.deprecated = out.deprecated or schema.get("deprecated") is True
    for index, part in enumerate(schema.get("allOf") or ()):
        _collect(reg, part, file, join_pointer(pointer, "allOf", index), out, depth + 1, seen)
    props = schema.get("properties")
    if isinstance(props, dict):
        for wire, prop in props.items():
            out.props[str(wire)] = (prop, file, join_pointer(pointer, "properties", wire))
    required = schema.get("required")
    if isinstance(required, list):
        out.required.extend(str(r) for r in required)
    if "additionalProperties" in schema:
        out.extra = schema["additionalProperties"]


def _field_names(order: list[str]) -> dict[str, str]:
    """Python names for wire names; a name equal to another field's wire name is avoided."""
    scope = names.Scope(names.MODEL_RESERVED)
    wanted = {wire: names.field_name(wire) for wire in order}
    result: dict[str, str] = {}
    for wire in order:  # exact names first: they can never be ambiguous
        if wanted[wire] == wire and not scope.is_taken(wire):
            result[wire] = scope.claim(wire)
    for wire in order:
        if wire not in result:
            scope.reserve(wire)
    for wire in order:
        if wire not in result:
            result[wire] = scope.claim(wanted[wire])
    return result


def _renamed(made: Field, name: str) -> Field:
    from dataclasses import replace

    return replace(made, name=name)


def _extra_policy(
    reg: SchemaRegistry, model: str, extra: Any, file: str, pointer: str, depth: int
) -> tuple[str, TypeRef | None]:
    if extra is False:
        return "ignore", None
    if isinstance(extra, dict) and extra:
        value = reg.convert(
            extra, file, join_pointer(pointer, "additionalProperties"), model + "Value", depth + 1
        )
        if not isinstance(value, AnyType):
            return "allow", value
    return "allow", None


def make_field(
    reg: SchemaRegistry,
    model: str,
    wire: str,
    prop: Any,
    required: bool,
    file: str,
    pointer: str,
    depth: int,
) -> Field:
    """A Field for property `wire` of `model` (type, nullability, default, docs)."""
    hint = _hint_base(model) + names.pascal(wire)
    type_ = reg.field_type(prop, file, pointer, hint, depth)
    inner, nullable = strip_none(type_)
    facts = _facts(reg, prop, file)
    read_only = facts.get("readOnly") is True
    default_source, default_value = _default(facts, inner, nullable)
    example, has_example = _example(facts)
    source = example_source(reg.spec, prop, file, (has_example, example), depth=1)
    return Field(
        name=names.field_name(wire),
        wire_name=wire,
        type=inner,
        required=required and not read_only,
        nullable=nullable,
        description=describe(facts),
        location=reg.spec.locate(file, pointer),
        default_source=default_source,
        default_value=default_value,
        read_only=read_only,
        write_only=facts.get("writeOnly") is True,
        deprecated=facts.get("deprecated") is True,
        example=example,
        has_example=has_example,
        example_source=source,
        const=isinstance(inner, LiteralOf) and len(inner.values) == 1,
    )


def _hint_base(model: str) -> str:
    """Inline schemas under a request/response body are named after the operation."""
    for suffix in ("RequestBody", "ResponseBody"):
        if model.endswith(suffix) and len(model) > len(suffix):
            return model[: -len(suffix)]
    return model


def _facts(reg: SchemaRegistry, prop: Any, file: str) -> dict[str, Any]:
    """The property's own keywords, over those of its `$ref` target (siblings win)."""
    if not isinstance(prop, dict):
        return {}
    if "$ref" not in prop:
        return prop
    try:
        target = reg.spec.resolve(str(prop["$ref"]), file).value
    except ValueError:
        return prop
    merged = dict(target) if isinstance(target, dict) else {}
    merged.update({k: v for k, v in prop.items() if k != "$ref"})
    return merged


_KIND_CHECKS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def _default(facts: dict[str, Any], inner: TypeRef, nullable: bool) -> tuple[str | None, Any]:
    """Python source of the spec default when it is a scalar that fits the type."""
    if "default" not in facts:
        return None, None
    value = facts["default"]
    if value is None:
        return ("None", None) if nullable else (None, None)
    if isinstance(inner, LiteralOf):
        return (py_literal(value), value) if value in inner.values else (None, None)
    if isinstance(inner, Primitive) and inner.kind in _KIND_CHECKS:
        allowed = _KIND_CHECKS[inner.kind]
        fits = isinstance(value, allowed) and (inner.kind == "bool" or not isinstance(value, bool))
        return (py_literal(value), value) if fits else (None, None)
    if isinstance(inner, MapOf | AnyType) or inner == NONE:
        return None, None
    return None, None


def _example(facts: dict[str, Any]) -> tuple[Any, bool]:
    if "example" in facts:
        return facts["example"], True
    examples = facts.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0], True
    if "default" in facts:
        return facts["default"], True
    enum = facts.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0], True
    if "const" in facts:
        return facts["const"], True
    return None, False
