"""Request bodies: pick the content type, type the body, flatten object bodies into arguments."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..load import join_pointer
from ..text import py_str
from . import names
from .examples import example_source
from .nodes import Body, Example, Field
from .responses import is_binary_schema
from .schemas import SchemaRegistry, describe
from .types import AnyType, ModelRef, Primitive, TypeRef, contains, strip_none

if TYPE_CHECKING:
    from .operations import RawOperation

# When a body offers several media types, the SDK encodes the first kind listed here.
PREFERENCE = ("json", "multipart", "form", "binary", "text", "sse")


def build_body(reg: SchemaRegistry, raw: RawOperation, op_class: str) -> Body | None:
    """The request body of an operation, or None when it has none."""
    from .operations import content_kind, resolve_object

    if "requestBody" not in raw.op:
        return None
    where = join_pointer(raw.pointer, "requestBody")
    value, file, pointer = resolve_object(reg, raw.op["requestBody"], raw.file, where)
    content = value.get("content")
    if not isinstance(content, dict) or not content:
        return None
    chosen = min(content, key=lambda ct: (PREFERENCE.index(content_kind(ct)), ct))
    kind = content_kind(chosen)
    media = _media(content, chosen)
    if kind in ("json", "text") and is_binary_schema(reg, media.get("schema"), file):
        kind = "binary"  # a file sent as the whole body, whatever the media type says
    schema_pointer = join_pointer(pointer, "content", chosen, "schema")
    type_ = _body_type(reg, kind, media.get("schema"), file, schema_pointer, op_class)
    inner, nullable = strip_none(type_)
    fields: tuple[Field, ...] = ()
    model_name = inner.name if isinstance(inner, ModelRef) else None
    if model_name is not None and kind in ("json", "multipart", "form") and not nullable:
        model = reg.models[model_name]
        fields = tuple(f for f in model.fields if not f.read_only)
        fields = _with_media_examples(reg, fields, media, file)
        if model.extra == "allow":
            fields += _undeclared_required(reg, media.get("schema"), file, model.fields)
    body = Body(
        content_type="application/json" if kind == "json" and "*" in chosen else chosen,
        kind=kind,
        type=inner,
        required=value.get("required") is True,
        flattened=bool(fields) or (model_name is not None and not nullable),
        fields=fields,
        argument="request",
        description=describe(value),
        model=model_name,
        encoding=_encoding(media),
        files=tuple(f.wire_name for f in fields if contains(f.type, "file")),
        alternatives=tuple(ct for ct in sorted(content) if ct != chosen),
        styles=_styles(media, kind, _is_31(reg)),
        example=_whole_example(reg, kind, media, file),
    )
    return with_choices(body, content, chosen, _is_31(reg))


def _whole_example(reg: SchemaRegistry, kind: str, media: dict[str, Any], file: str) -> Example:
    """Docs example of a JSON body: the media type's example, else one built from the schema."""
    if kind != "json" or media.get("schema") is None:
        return Example("None", present=False)
    value = _media_example(media)
    source = example_source(reg.spec, media["schema"], file, (value is not None, value))
    return Example(source, present=value is not None)


def _media(content: dict[str, Any], content_type: str) -> dict[str, Any]:
    media = content[content_type]
    return media if isinstance(media, dict) else {}


def _is_31(reg: SchemaRegistry) -> bool:
    return str(reg.spec.data.get("openapi", "")).startswith("3.1")


def with_choices(body: Body, content: dict[str, Any], chosen: str, v31: bool) -> Body:
    """The body with the other media types a caller may pick (same arguments, other encoding).

    Structured bodies (JSON, multipart, form) offer the structured media types whose
    schema is the same; raw bodies (binary, text) offer every raw media type. A media
    type with a wildcard (`image/*`) is set per call in the Content-Type header.
    """
    from .operations import content_kind

    structured = body.kind in _STRUCTURED
    choices = []
    for content_type in body.alternatives:
        kind = content_kind(content_type)
        if structured != (kind in _STRUCTURED) or kind == "sse":
            continue
        media = _media(content, content_type)
        if structured and (
            "*" in content_type or media.get("schema") != _media(content, chosen).get("schema")
        ):
            continue
        choices.append(
            replace(
                body,
                content_type=content_type,
                kind=kind,
                encoding=_encoding(media),
                styles=_styles(media, kind, v31),
                alternatives=(),
            )
        )
    wildcard = not structured and any("*" in b.content_type for b in (body, *choices))
    if not choices and not wildcard:
        return body
    offered = [b.content_type for b in (body, *choices)]
    if wildcard:
        default = "application/octet-stream" if body.content_type == "*/*" else ""
        annotation = "str"
    else:
        default = body.content_type
        annotation = "Literal[" + ", ".join(py_str(ct) for ct in offered) + "]"
    return replace(
        body,
        choices=tuple(choices),
        choice_mode="header" if wildcard else "operation",
        choice_default=default,
        choice_annotation=annotation,
    )


def _undeclared_required(
    reg: SchemaRegistry, schema: Any, file: str, fields: tuple[Field, ...]
) -> tuple[Field, ...]:
    """Arguments for properties the schema requires but does not describe (typed Any).

    JSON Schema allows `required: [x]` without `x` under `properties`; the model keeps
    such a value as an extra property, and the method must let the caller pass it.
    """
    from .examples import resolve

    resolved, resolved_file = resolve(reg.spec, schema, file)
    if not isinstance(resolved, dict):
        return ()
    wanted: list[str] = list(resolved.get("required") or ())
    for part in resolved.get("allOf") or ():
        member, _ = resolve(reg.spec, part, resolved_file)
        if isinstance(member, dict):
            wanted.extend(member.get("required") or ())
    known = {f.wire_name for f in fields}
    extra = sorted({str(w) for w in wanted if isinstance(w, str) and w not in known})
    location = reg.spec.locate(resolved_file, "")
    return tuple(
        Field(
            name=names.field_name(wire),
            wire_name=wire,
            type=AnyType(),
            required=True,
            nullable=False,
            description="Required by the API; its schema does not describe this property.",
            location=location,
        )
        for wire in extra
    )


def _styles(media: dict[str, Any], kind: str, v31: bool) -> tuple[tuple[str, str, bool, bool], ...]:
    """Per-property serialisation of form bodies (and, in OpenAPI 3.1, of multipart ones)."""
    encoding = media.get("encoding")
    if kind not in ("form", "multipart") or not isinstance(encoding, dict):
        return ()
    out = []
    for name in sorted(encoding):
        entry = encoding[name]
        if not isinstance(entry, dict):
            continue
        explicit = any(k in entry for k in ("style", "explode", "allowReserved"))
        if not explicit or (kind == "multipart" and not v31):
            continue
        style = str(entry.get("style") or "form")
        explode = entry.get("explode")
        out.append(
            (
                str(name),
                style,
                bool(explode) if isinstance(explode, bool) else style == "form",
                entry.get("allowReserved") is True,
            )
        )
    return tuple(out)


_STRUCTURED = frozenset({"json", "multipart", "form"})


def _body_type(
    reg: SchemaRegistry, kind: str, schema: Any, file: str, pointer: str, op_class: str
) -> TypeRef:
    if kind == "binary":
        return Primitive("stream")
    if kind == "text":
        return Primitive("str")
    if schema is None:
        return Primitive("stream") if kind == "binary" else reg.convert({}, file, pointer, "")
    return reg.convert(schema, file, pointer, op_class + "RequestBody")


def _encoding(media: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    encoding = media.get("encoding")
    if not isinstance(encoding, dict):
        return ()
    pairs = []
    for name in sorted(encoding):
        entry = encoding[name]
        if isinstance(entry, dict) and isinstance(entry.get("contentType"), str):
            pairs.append((str(name), entry["contentType"]))
    return tuple(pairs)


def _media_example(media: dict[str, Any]) -> Any:
    if "example" in media:
        return media["example"]
    examples = media.get("examples")
    if isinstance(examples, dict):
        for item in examples.values():
            if isinstance(item, dict) and "value" in item:
                return item["value"]
    return None


def _with_media_examples(
    reg: SchemaRegistry, fields: tuple[Field, ...], media: dict[str, Any], file: str
) -> tuple[Field, ...]:
    example = _media_example(media)
    if not isinstance(example, dict):
        return fields
    out = []
    for original in fields:
        field = original
        if field.wire_name in example:
            value = example[field.wire_name]
            schema, schema_file = _field_schema(reg, media.get("schema"), file, field.wire_name)
            source = example_source(reg.spec, schema, schema_file, (True, value))
            field = replace(field, example=value, has_example=True, example_source=source)
        out.append(field)
    return tuple(out)


def _field_schema(reg: SchemaRegistry, schema: Any, file: str, wire: str) -> tuple[Any, str]:
    from .examples import properties, resolve

    resolved, resolved_file = resolve(reg.spec, schema, file)
    if not isinstance(resolved, dict):
        return None, file
    return properties(reg.spec, resolved, resolved_file, 0).get(wire, (None, file))
