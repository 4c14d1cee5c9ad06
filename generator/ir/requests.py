"""Request bodies: pick the content type, type the body, flatten object bodies into arguments."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..load import join_pointer
from .examples import example_source
from .nodes import Body, Field
from .schemas import SchemaRegistry, describe
from .types import ModelRef, Primitive, TypeRef, contains, strip_none

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
    media = content[chosen] if isinstance(content[chosen], dict) else {}
    schema_pointer = join_pointer(pointer, "content", chosen, "schema")
    type_ = _body_type(reg, kind, media.get("schema"), file, schema_pointer, op_class)
    inner, nullable = strip_none(type_)
    fields: tuple[Field, ...] = ()
    model_name = inner.name if isinstance(inner, ModelRef) else None
    if model_name is not None and kind in ("json", "multipart", "form") and not nullable:
        model = reg.models[model_name]
        fields = tuple(f for f in model.fields if not f.read_only)
        fields = _with_media_examples(reg, fields, media, file)
    return Body(
        content_type=chosen,
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
    )


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
