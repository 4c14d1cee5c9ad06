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
from .shapes import extra_value
from .types import AliasRef, AnyType, LiteralOf, Primitive, TypeRef, UnionOf, strip_none

if TYPE_CHECKING:
    from .schemas import SchemaRegistry


@dataclass(slots=True)
class _Collected:
    """Properties gathered from an object schema and its `allOf` parts."""

    props: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    extra: tuple[dict[str, Any], str, str] | None = None
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
        inherited = prop_file != file or not prop_pointer.startswith(pointer + "/")
        # an inherited property's inline types are named after where they are written
        hint = reg.location_name(prop_file, prop_pointer, "") if inherited else ""
        required = wire in collected.required
        made = make_field(reg, name, wire, prop, required, prop_file, prop_pointer, depth, hint)
        fields.append(_renamed(made, python_names[wire]))
    extra, extra_type = _extra_policy(reg, name, collected.extra, depth)
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
    if "additionalProperties" in schema or "patternProperties" in schema:
        out.extra = (schema, file, pointer)


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
    reg: SchemaRegistry, model: str, extra: tuple[dict[str, Any], str, str] | None, depth: int
) -> tuple[str, TypeRef | None]:
    """'ignore' for `additionalProperties: false`, else 'allow' with the extra values' type."""
    if extra is None:
        return "allow", None
    schema, file, pointer = extra
    if schema.get("additionalProperties") is False and not schema.get("patternProperties"):
        return "ignore", None
    return "allow", extra_value(reg, schema, file, pointer, model, depth)


def make_field(
    reg: SchemaRegistry,
    model: str,
    wire: str,
    prop: Any,
    required: bool,
    file: str,
    pointer: str,
    depth: int,
    hint: str = "",
) -> Field:
    """A Field for property `wire` of `model` (type, nullability, default, docs)."""
    hint = hint or _hint_base(reg.path_name(model)) + names.pascal(wire)
    type_ = reg.field_type(prop, file, pointer, hint, depth)
    inner, nullable = strip_none(type_)
    nullable = nullable or _admits_null(reg, inner)
    facts = _facts(reg, prop, file)
    read_only = facts.get("readOnly") is True
    default_source, default_value = _default(reg, facts, inner, nullable, required)
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


def _admits_null(reg: SchemaRegistry, inner: TypeRef) -> bool:
    """True when null is a value of the type itself (Any, or an alias such as a JSON value)."""
    if isinstance(inner, AnyType):
        return True
    if isinstance(inner, AliasRef) and inner.name in reg.aliases:
        alias_type = reg.aliases[inner.name].type
        return strip_none(alias_type)[1] or isinstance(alias_type, AnyType)
    return False


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


def _default(
    reg: SchemaRegistry, facts: dict[str, Any], inner: TypeRef, nullable: bool, required: bool
) -> tuple[str | None, Any]:
    """Python source of the spec default (or of a required lone `const`) when it fits the type."""
    if isinstance(inner, LiteralOf) and len(inner.values) == 1 and required and not nullable:
        return py_literal(inner.values[0]), inner.values[0]
    if "default" not in facts:
        return None, None
    value = facts["default"]
    if value is None:
        return ("None", None) if nullable else (None, None)
    if _fits(reg, value, inner):
        return py_literal(value), value
    return None, None


def _fits(reg: SchemaRegistry, value: Any, inner: TypeRef) -> bool:
    """True when the JSON scalar `value` is a value of `inner` (bool is never an int here)."""
    if isinstance(inner, AliasRef) and inner.name in reg.aliases:
        alias = reg.aliases[inner.name]
        if alias.enum_values:
            return _same_member(value, alias.enum_values) or (
                alias.open_enum and _fits(reg, value, alias.type)
            )
        return False
    if isinstance(inner, LiteralOf):
        return _same_member(value, inner.values)
    if isinstance(inner, UnionOf):
        return any(_fits(reg, value, option) for option in inner.options)
    if isinstance(inner, Primitive) and inner.kind in _KIND_CHECKS:
        allowed = _KIND_CHECKS[inner.kind]
        return isinstance(value, allowed) and (inner.kind == "bool") == isinstance(value, bool)
    return False


def _same_member(value: Any, values: tuple[Any, ...]) -> bool:
    return any(value == v and type(value) is type(v) for v in values)


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
