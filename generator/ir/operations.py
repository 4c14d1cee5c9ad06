"""One OpenAPI operation -> Operation: parameters, body, responses and method arguments."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..load import join_pointer
from ..text import py_str
from . import names
from .examples import example_source, schema_example
from .nodes import Argument, Body, Example, Field, Operation, Parameter
from .schemas import SchemaRegistry, describe
from .types import (
    TypeRef,
    doc_type,
    input_annotation,
    strip_none,
    wrapper_for,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SDK_DOCS_LINK = "../../models/"
# Local variables of generated methods; spec arguments never take these names.
LOCALS = ("_body", "_path", "_query", "_headers", "_cookies")


# Header parameters the SDK never sends as given: OpenAPI says to ignore Accept,
# Content-Type and Authorization; the framing headers are set by the HTTP client from
# the body, and a value that disagrees with it breaks the request on the wire.
IGNORED_HEADERS = frozenset(
    {
        "accept",
        "content-type",
        "authorization",
        "content-length",
        "transfer-encoding",
        "host",
        "connection",
    }
)


@dataclass(frozen=True, slots=True)
class RawOperation:
    """Where an operation lives in the spec, before it is interpreted."""

    path: str
    method: str
    op: dict[str, Any]
    path_item: dict[str, Any]
    file: str
    pointer: str
    item_file: str
    item_pointer: str


def content_kind(content_type: str) -> str:
    """json | multipart | form | sse | text | binary, from a media type."""
    ct = content_type.lower().split(";", 1)[0].strip()
    if ct in ("application/json", "text/json", "*/*") or ct.endswith("+json"):
        return "json"
    if ct.startswith("multipart/"):
        return "multipart"
    if ct == "application/x-www-form-urlencoded":
        return "form"
    if ct == "text/event-stream":
        return "sse"
    if ct.startswith("text/") or ct.endswith("+xml") or ct == "application/xml":
        return "text"
    return "binary"


def resolve_object(
    reg: SchemaRegistry, value: Any, file: str, pointer: str
) -> tuple[dict[str, Any], str, str]:
    """Follow `$ref`s of a non-schema object (parameter, response...) to the object."""
    for _ in range(32):
        if not isinstance(value, dict) or "$ref" not in value:
            break
        try:
            target = reg.spec.resolve(str(value["$ref"]), file)
        except ValueError as problem:
            reg.error(
                file,
                join_pointer(pointer, "$ref"),
                "unresolved-ref",
                str(problem),
                "check the reference target",
            )
            return {}, file, pointer
        value, file, pointer = target.value, target.file, target.pointer
    return (value if isinstance(value, dict) else {}), file, pointer


def collect_parameters(reg: SchemaRegistry, raw: RawOperation, hint: str) -> list[Parameter]:
    """Path-item and operation parameters merged by (name, in), operation-level winning."""
    merged: dict[tuple[str, str], Parameter] = {}
    sources = ((raw.path_item, raw.item_file, raw.item_pointer), (raw.op, raw.file, raw.pointer))
    for owner, file, pointer in sources:
        for index, value in enumerate(owner.get("parameters") or ()):
            where = join_pointer(pointer, "parameters", index)
            param, param_file, param_pointer = resolve_object(reg, value, file, where)
            built = _parameter(reg, param, param_file, param_pointer, hint)
            if built is not None:
                merged[(built.wire_name, built.location_in)] = built
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    return sorted(
        merged.values(), key=lambda p: (order[p.location_in], not p.required, p.wire_name)
    )


def _parameter(
    reg: SchemaRegistry, param: dict[str, Any], file: str, pointer: str, hint: str
) -> Parameter | None:
    wire, where = param.get("name"), param.get("in")
    if not isinstance(wire, str) or where not in ("path", "query", "header", "cookie"):
        return None
    if where == "header" and wire.lower() in IGNORED_HEADERS:
        return None
    schema, schema_pointer, style = param.get("schema"), join_pointer(pointer, "schema"), None
    content = param.get("content")
    if schema is None and isinstance(content, dict) and content:
        media_type = sorted(content)[0]
        schema = (content[media_type] or {}).get("schema")
        schema_pointer = join_pointer(pointer, "content", media_type, "schema")
        style = "json"
    type_ = reg.convert(schema, file, schema_pointer, hint + names.pascal(wire))
    inner, nullable = strip_none(type_)
    default_style = "simple" if where in ("path", "header") else "form"
    style = style or str(param.get("style") or default_style)
    explode = param.get("explode")
    present, value = _param_example(param, schema)
    example = Example(example_source(reg.spec, schema, file, (present, value)), present)
    return Parameter(
        name=names.parameter_name(wire),
        wire_name=wire,
        location_in=where,
        type=inner,
        required=where == "path" or param.get("required") is True,
        nullable=nullable,
        description=describe(param) or describe(schema),
        style=style,
        explode=bool(explode) if isinstance(explode, bool) else style == "form",
        allow_reserved=param.get("allowReserved") is True,
        location=reg.spec.locate(file, pointer),
        deprecated=param.get("deprecated") is True,
        example=example,
    )


def _param_example(param: dict[str, Any], schema: Any) -> tuple[bool, Any]:
    if "example" in param:
        return True, param["example"]
    examples = param.get("examples")
    if isinstance(examples, dict):
        for item in examples.values():
            if isinstance(item, dict) and "value" in item:
                return True, item["value"]
    return schema_example(schema)


def build_arguments(
    parameters: list[Parameter], body: Body | None
) -> tuple[tuple[Argument, ...], tuple[Parameter, ...]]:
    """Method arguments (required first) and the parameters renamed to their argument names."""
    scope = names.Scope((*names.METHOD_RESERVED, *LOCALS))
    arguments: list[Argument] = []
    if body is not None and body.flattened:
        for field in body.fields:
            name = scope.claim(names.parameter_name(field.wire_name))
            arguments.append(_field_argument(field, name))
    elif body is not None:
        name = scope.claim(body.argument)
        arguments.append(
            _argument(
                name,
                body.argument,
                "body",
                body.type,
                body.required,
                False,
                body.description,
                body.example,
            )
        )
    if body is not None and body.choice_mode:
        arguments.append(_content_type_argument(body, scope.claim("content_type")))
    renamed = []
    for param in parameters:
        name = scope.claim(param.name, (f"{param.name}_{param.location_in}",))
        renamed.append(param if name == param.name else _with_name(param, name))
        arguments.append(
            _argument(
                name,
                param.wire_name,
                param.location_in,
                param.type,
                param.required,
                False,
                param.description,
                param.example,
                param.deprecated,
            )
        )
    ordered = [a for a in arguments if a.required] + [a for a in arguments if not a.required]
    return tuple(ordered), tuple(renamed)


# Example media types for a wildcard request body (`image/*` -> "image/png").
_WILDCARD_EXAMPLES = {
    "image": "image/png",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "text": "text/plain",
    "application": "application/octet-stream",
}


def _content_type_argument(body: Body, name: str) -> Argument:
    """The argument that picks the media type of a body offered in several."""
    offered = [body.content_type, *(c.content_type for c in body.choices)]
    default = body.choice_default
    example = default or _WILDCARD_EXAMPLES.get(
        offered[0].split("/")[0], "application/octet-stream"
    )
    text = "Media type of the request body: " + ", ".join(f"`{ct}`" for ct in offered)
    return Argument(
        name=name,
        wire_name="Content-Type",
        source="content-type",
        annotation=body.choice_annotation,
        doc_type_sdk="*str*",
        required=not default,
        nullable=False,
        default=py_str(default) if default else "",
        description=text + (f" (default `{default}`)." if default else "."),
        example=Example(py_str(example), present=True),
    )


def _with_name(param: Parameter, name: str) -> Parameter:
    return replace(param, name=name)


def _field_argument(field: Field, name: str) -> Argument:
    example = Example(field.example_source, field.has_example)
    return _argument(
        name,
        field.wire_name,
        "body-field",
        field.type,
        field.required,
        field.nullable,
        field.description,
        example,
        field.deprecated,
    )


def _argument(
    name: str,
    wire: str,
    source: str,
    type_: TypeRef,
    required: bool,
    nullable: bool,
    description: str,
    example: Example,
    deprecated: bool = False,
    shadowed: frozenset[str] = frozenset(),
) -> Argument:
    base = input_annotation(type_, shadowed)
    if required:
        text, default = (f"{base} | None" if nullable else base), ""
    elif nullable:
        text, default = f"{base} | None | Unset", "UNSET"
    else:
        text, default = f"{base} | None", "None"
    return Argument(
        name=name,
        wire_name=wire,
        source=source,
        annotation=text,
        doc_type_sdk=doc_type(type_, wrapper_for(required, nullable), SDK_DOCS_LINK),
        required=required,
        nullable=nullable,
        default=default,
        description=description,
        example=example,
        deprecated=deprecated,
        type=type_,
    )


def requalify(op: Operation, shadowed: frozenset[str]) -> Operation:
    """The operation with annotations that survive class members shadowing builtins."""
    from .responses import return_annotation

    arguments = tuple(
        (
            _argument(
                a.name,
                a.wire_name,
                a.source,
                a.type,
                a.required,
                a.nullable,
                a.description,
                a.example,
                a.deprecated,
                shadowed,
            )
            if a.type is not None
            else a
        )
        for a in op.arguments
    )
    returns = return_annotation(op.responses, shadowed)
    return replace(
        op,
        arguments=arguments,
        return_annotation=returns.sync,
        async_return_annotation=returns.async_,
        plain_return=returns.plain,
        stream_return=returns.stream,
        async_stream_return=returns.async_stream,
    )
