"""Turn an operation's arguments into the parts of an httpx request (URL, headers, body).

Parameters with `content: application/json` instead of a schema (style "json" here)
are sent as compact JSON text, percent-encoded where their location needs it.
Form bodies (application/x-www-form-urlencoded) use each property's `encoding`
style (default form, exploded) and percent-encode everything outside RFC 3986
unreserved, the "," of non-exploded lists included, as WHATWG form serialisation
does. Multipart bodies follow OpenAPI's defaults (files are file parts, objects and
arrays of objects are JSON parts, arrays repeat the part); a property with an
`encoding` style (OpenAPI 3.1 documents) is split into text parts by that style.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .files import File
from .operation import Body, Operation, Param
from pydantic_core import to_jsonable_python

from .params import (
    build_query,
    cookie_param,
    header_param,
    json_text,
    part_values,
    path_param,
    query_param,
    scalar_text,
)

JSON_MEDIA = "application/json"
_FORM = Param("", "form", True, False)


def url_path(op: Operation[Any], path: Mapping[str, Any] | None) -> str:
    """The operation's path with every `{name}` replaced by its encoded value."""
    text = op.path
    if path:
        for param in op.path_params:
            value = path[param.name]
            if param.style == "json":
                encoded = path_param(param.name, json_text(value))
            else:
                encoded = path_param(param.name, value, param.style, param.explode)
            text = text.replace("{" + param.name + "}", encoded)
    return text


def query_string(op: Operation[Any], query: Mapping[str, Any] | None,
                 extra: list[list[str]]) -> str:
    """Encoded query string (without "?"): the path's own query, parameters, credentials."""
    pieces = [[op.fixed_query], *extra] if op.fixed_query else list(extra)
    if query:
        for param in op.query:
            value = query.get(param.name)
            if value is not None:
                if param.style == "json":
                    pieces.append(query_param(param.name, json_text(value)))
                else:
                    pieces.append(query_param(param.name, value, param.style, param.explode,
                                              param.allow_reserved))
    return build_query(pieces)


def header_values(op: Operation[Any], headers: Mapping[str, Any] | None,
                  cookies: Mapping[str, Any] | None, out: dict[str, str]) -> None:
    """Add header and cookie parameters to `out` (a dict of header name -> value)."""
    if headers:
        for param in op.headers:
            value = headers.get(param.name)
            if value is None:
                continue
            if param.style == "json":
                value = json_text(value)
            text = header_param(value, param.explode)
            if text is not None:
                out[param.name] = text
    if cookies:
        entries = []
        for param in op.cookies:
            value = cookies.get(param.name)
            if value is None:
                continue
            if param.style == "json":
                value = json_text(value)
            entry = cookie_param(param.name, value, param.explode)
            if entry is not None:
                entries.append(entry)
        if entries:
            previous = out.get("cookie")
            out["cookie"] = "; ".join([previous, *entries] if previous else entries)


def body_arguments(body: Body, value: Any, headers: dict[str, str]) -> dict[str, Any]:
    """Keyword arguments for httpx's build_request that carry the encoded body."""
    if body.kind == "json":
        headers.setdefault("content-type", body.content_type)
        content = body.schema.dump_json(value) if body.schema is not None else _json(value)
        return {"content": content}
    if body.kind == "multipart":
        data = body.schema.dump_python(value) if body.schema is not None else value
        if body.files:
            # pydantic would turn file objects into iterators: keep the caller's values.
            data = {**data, **_given_files(body, value)}
        return {"files": multipart_parts(body, data)}
    if body.kind == "form":
        data = body.schema.dump_python(value) if body.schema is not None else value
        headers.setdefault("content-type", "application/x-www-form-urlencoded")
        return {"content": form_text(data, body.styles).encode()}
    headers.setdefault("content-type", body.content_type)
    if body.kind == "text" and isinstance(value, str):
        return {"content": value.encode()}
    return {"content": value}


def _json(value: Any) -> bytes:
    """Compact JSON; dates, UUIDs, decimals and models as pydantic writes them in JSON."""
    return json.dumps(
        to_jsonable_python(value, by_alias=True), separators=(",", ":"), ensure_ascii=False
    ).encode()


def _text(value: Any) -> str:
    """A scalar multipart part: as in a query (true/false, ISO dates, enum values)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return scalar_text(value)


def multipart_parts(body: Body, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """httpx `files=` entries: files as file parts, objects as JSON parts, scalars as text.

    Following OpenAPI's multipart defaults: a binary property is a file part, an array
    of files repeats the part, an object or array is one JSON part (or the content type
    named in `encoding`), an array of scalars repeats a text part, and anything else is
    a text part. A property with an `encoding` style is split by that style.
    """
    parts: list[tuple[str, Any]] = []
    for name, value in data.items():
        if value is None:
            continue
        if name in body.files:
            items = value if isinstance(value, list) else [value]
            content_type = body.encoding.get(name)
            parts.extend((name, _file_part(item, content_type)) for item in items)
            continue
        style = body.styles.get(name)
        if style is not None:
            pairs = part_values(name, value, style.style, style.explode)
            parts.extend((key, (None, text.encode())) for key, text in pairs)
            continue
        content_type = body.encoding.get(name)
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value) and (
            content_type is None
        ):
            parts.extend((name, (None, _text(item).encode())) for item in value)
        elif isinstance(value, dict | list):
            parts.append((name, (None, _json(value), content_type or JSON_MEDIA)))
        elif content_type is not None:
            parts.append((name, (None, _text(value).encode(), content_type)))
        else:
            parts.append((name, (None, _text(value).encode())))
    return parts


def _given_files(body: Body, value: Any) -> dict[str, Any]:
    """The file properties of a multipart body as the caller gave them, by wire name."""
    if isinstance(value, Mapping):
        return {k: value[k] for k in body.files if value.get(k) is not None}
    out: dict[str, Any] = {}
    for name, info in getattr(type(value), "model_fields", {}).items():
        wire = info.alias or name
        if wire in body.files and getattr(value, name, None) is not None:
            out[wire] = getattr(value, name)
    return out


def _file_part(item: Any, content_type: str | None = None) -> tuple[str, Any, str]:
    file = item if isinstance(item, File) else File.model_validate(item)
    content = file.content
    if hasattr(content, "seek") and hasattr(content, "tell"):
        content.seek(0)
    chosen = file.content_type or _concrete(content_type) or "application/octet-stream"
    return (file.file_name, content, chosen)


def _concrete(content_type: str | None) -> str | None:
    """An encoding content type usable as a part's Content-Type (no wildcards, no lists)."""
    if content_type is None or "*" in content_type or "," in content_type:
        return None
    return content_type


def form_text(data: Mapping[str, Any], styles: Mapping[str, Param] | None = None) -> str:
    """application/x-www-form-urlencoded text of an object, property by property."""
    if not isinstance(data, Mapping):
        raise TypeError(
            "an application/x-www-form-urlencoded body is name=value pairs: it needs an "
            f"object, not {type(data).__name__} (the API's schema for it is not an object)"
        )
    pieces = []
    for name, value in data.items():
        if value is None:
            continue
        param = (styles or {}).get(name, _FORM)
        encoded = query_param(str(name), value, param.style, param.explode, param.allow_reserved)
        if not param.allow_reserved:
            encoded = [piece.replace(",", "%2C") for piece in encoded]
        pieces.append(encoded)
    return build_query(pieces)


def with_content_type(
    http_headers: Mapping[str, str] | None, content_type: str
) -> dict[str, str]:
    """The call's extra headers with the body's Content-Type (a media type the caller chose)."""
    return {**(http_headers or {}), "content-type": content_type}
