"""Responses of an operation: documented statuses and media types, error classes, returns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..load import join_pointer
from . import names
from .examples import resolve
from .nodes import Operation, Response
from .operations import SDK_DOCS_LINK, RawOperation, content_kind, resolve_object
from .schemas import SchemaRegistry, describe
from .types import ModelRef, Primitive, TypeRef, annotation, doc_type, strip_none


def build_responses(reg: SchemaRegistry, raw: RawOperation, op_class: str) -> tuple[Response, ...]:
    """Every documented response, success and error, in status order."""
    responses = raw.op.get("responses")
    if not isinstance(responses, dict):
        return ()
    statuses = sorted(str(s) for s in responses)
    success = [s for s in statuses if s[:1] == "2"]
    built: list[Response] = []
    for status in statuses:
        where = join_pointer(raw.pointer, "responses", status)
        value, file, pointer = resolve_object(reg, responses[status], raw.file, where)
        is_error = not (status[:1] in "123" or (status == "default" and not success))
        suffix = (
            ("Response" + status.upper() if len(success) > 1 else "ResponseBody")
            if not is_error
            else status.upper() + "ErrorBody"
        )
        built.extend(_responses_for(reg, value, file, pointer, status, is_error, op_class + suffix))
    return tuple(built)


def _responses_for(
    reg: SchemaRegistry,
    value: dict[str, Any],
    file: str,
    pointer: str,
    status: str,
    is_error: bool,
    hint: str,
) -> list[Response]:
    description = describe(value)
    content = value.get("content")
    if not isinstance(content, dict) or not content:
        return [Response(status, None, "empty", None, description, is_error)]
    out = []
    for content_type in sorted(content):
        media = content[content_type] if isinstance(content[content_type], dict) else {}
        kind = content_kind(content_type)
        if kind in ("json", "text") and is_binary_schema(reg, media.get("schema"), file):
            kind = "binary"  # the body is the file itself, whatever the media type says
        type_: TypeRef | None = None
        if kind in ("json", "sse"):
            schema = media.get("schema")
            where = join_pointer(pointer, "content", content_type, "schema")
            type_ = reg.convert(schema, file, where, hint) if schema is not None else None
            if kind == "sse" and type_ is not None:
                type_ = _sse_data(reg, schema, file, type_)
        elif kind == "text":
            type_ = Primitive("str")
        sentinel = media.get("x-sdkforge-sse-sentinel", media.get("x-speakeasy-sse-sentinel"))
        out.append(
            Response(
                status,
                content_type,
                kind,
                type_,
                description,
                is_error,
                sentinel=sentinel if isinstance(sentinel, str) else None,
            )
        )
    return out


def is_binary_schema(reg: SchemaRegistry, schema: Any, file: str) -> bool:
    """True for `type: string, format: binary` (or a 3.1 string with contentMediaType)."""
    resolved, _ = resolve(reg.spec, schema, file)
    if not isinstance(resolved, dict):
        return False
    kind = resolved.get("type")
    if kind != "string" and not (isinstance(kind, list) and "string" in kind):
        return False
    if resolved.get("format") == "binary":
        return True
    return "contentMediaType" in resolved and "contentEncoding" not in resolved


# Names of the runtime's own errors, which generated error classes may not take.
RUNTIME_ERRORS = (
    "SDKError",
    "APIError",
    "APIStatusError",
    "APIConnectionError",
    "APITimeoutError",
    "ResponseValidationError",
)


def with_error_classes(
    entries: list[tuple[tuple[str, ...], Operation]],
    taken: tuple[str, ...] = (),
) -> tuple[list[tuple[tuple[str, ...], Operation]], tuple[tuple[str, str, str], ...]]:
    """Name one error class per model documented as an error body; set them on responses.

    Returns the operations with `error_class` filled in and (class, model, statuses)
    rows for the package's errors module, in the order the models are first met.
    """
    # `taken`: model and alias names; resources import both, so an error class never reuses one
    scope = names.Scope((*RUNTIME_ERRORS, *taken))
    classes: dict[str, str] = {}
    statuses: dict[str, list[str]] = {}
    out = []
    for path, op in entries:
        responses = []
        for original in op.responses:
            response = original
            inner = strip_none(response.type)[0] if response.type is not None else None
            if response.is_error and isinstance(inner, ModelRef):
                model = inner.name
                if model not in classes:
                    # `NotFound` -> NotFoundError; `BasicError` -> BasicErrorException (the
                    # model's own name is taken: resources import the model and the class).
                    suffix = "Exception" if model.endswith("Error") else "Error"
                    wanted = model + suffix
                    classes[model] = scope.claim(wanted, sep="")
                seen = statuses.setdefault(model, [])
                if response.status.upper() not in seen:
                    seen.append(response.status.upper())
                response = replace(response, error_class=classes[model])
            responses.append(response)
        out.append((path, replace(op, responses=tuple(responses))))
    rows = tuple((cls, model, ", ".join(statuses[model])) for model, cls in classes.items())
    return out, rows


def _sse_data(reg: SchemaRegistry, schema: Any, file: str, type_: TypeRef) -> TypeRef:
    """The type of an event's `data` when the spec wraps events as `{data: X}`."""
    inner, _ = strip_none(type_)
    if isinstance(inner, ModelRef):
        model = reg.models.get(inner.name)
        if model is not None:
            data = [f for f in model.fields if f.wire_name == "data"]
            if data and all(f.wire_name in ("data", "event", "id", "retry") for f in model.fields):
                return data[0].type
    return type_


@dataclass(frozen=True, slots=True)
class Returns:
    """What a method returns, spelled for the sync and the async variant."""

    sync: str
    async_: str
    plain: str
    stream: str
    async_stream: str
    doc: str


def return_annotation(
    responses: tuple[Response, ...], shadowed: frozenset[str] = frozenset()
) -> Returns:
    """Return annotations of the success responses (plain part, stream part, docs text)."""
    plain: list[str] = []
    items: list[str] = []
    for response in responses:
        if response.is_error:
            continue
        if response.kind == "sse":
            items.append(
                annotation(response.type, shadowed) if response.type is not None else "Any"
            )
        elif response.kind == "binary":
            plain.append("BinaryResponse")
        elif response.kind == "empty" or response.type is None:
            plain.append("None")
        else:
            plain.append(annotation(response.type, shadowed))
    plain = list(dict.fromkeys(plain)) or ["None"]
    item = " | ".join(dict.fromkeys(items))
    stream = f"EventStream[{item}]" if items else ""
    async_stream = f"AsyncEventStream[{item}]" if items else ""
    plain_text = " | ".join(plain)
    if not items:
        return Returns(plain_text, plain_text, plain_text, "", "", _return_doc(responses))
    if plain == ["None"]:
        return Returns(
            stream, async_stream, plain_text, stream, async_stream, _return_doc(responses)
        )
    return Returns(
        f"{plain_text} | {stream}",
        f"{plain_text} | {async_stream}",
        plain_text,
        stream,
        async_stream,
        _return_doc(responses),
    )


def _return_doc(responses: tuple[Response, ...]) -> str:
    parts = []
    for response in responses:
        if response.is_error:
            continue
        if response.kind == "sse" and response.type is not None:
            parts.append(f"EventStream[{doc_type(response.type, '', SDK_DOCS_LINK).strip('*')}]")
        elif response.kind == "binary":
            parts.append("BinaryResponse")
        elif response.type is not None:
            parts.append(doc_type(response.type, "", SDK_DOCS_LINK))
    return ", ".join(dict.fromkeys(parts)) or "None"
