"""Turn an operation's arguments into the parts of an httpx request (URL, headers, body)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .files import File
from .operation import Body, Operation
from .params import build_query, cookie_param, header_param, path_param, query_param

JSON_MEDIA = "application/json"


def url_path(op: Operation[Any], path: Mapping[str, Any] | None) -> str:
    """The operation's path with every `{name}` replaced by its encoded value."""
    text = op.path
    if path:
        for param in op.path_params:
            text = text.replace(
                "{" + param.name + "}",
                path_param(param.name, path[param.name], param.style, param.explode),
            )
    return text


def query_string(op: Operation[Any], query: Mapping[str, Any] | None,
                 extra: list[list[str]]) -> str:
    """Encoded query string (without "?") of the operation's query parameters."""
    pieces = list(extra)
    if query:
        for param in op.query:
            value = query.get(param.name)
            if value is not None:
                if param.style == "json":
                    pieces.append(query_param(param.name, json.dumps(value)))
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
            text = header_param(value, param.explode) if value is not None else None
            if text is not None:
                out[param.name] = text
    if cookies:
        entries = []
        for param in op.cookies:
            value = cookies.get(param.name)
            entry = cookie_param(param.name, value, param.explode) if value is not None else None
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
        return {"files": multipart_parts(body, data)}
    if body.kind == "form":
        data = body.schema.dump_python(value) if body.schema is not None else value
        headers.setdefault("content-type", "application/x-www-form-urlencoded")
        return {"content": form_text(data).encode()}
    headers.setdefault("content-type", body.content_type)
    if body.kind == "text" and isinstance(value, str):
        return {"content": value.encode()}
    return {"content": value}


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def multipart_parts(body: Body, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """httpx `files=` entries: files as file parts, objects as JSON parts, scalars as text.

    Following OpenAPI's multipart defaults: a binary property is a file part, an array
    of files repeats the part, an object or array is one JSON part (or the content type
    named in `encoding`), and anything else is a text part.
    """
    parts: list[tuple[str, Any]] = []
    for name, value in data.items():
        if value is None:
            continue
        if name in body.files:
            items = value if isinstance(value, list) else [value]
            parts.extend((name, _file_part(item)) for item in items)
            continue
        content_type = body.encoding.get(name)
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value) and (
            content_type is None
        ):
            parts.extend((name, (None, _text(item).encode())) for item in value)
        elif isinstance(value, dict | list):
            payload = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
            parts.append((name, (None, payload, content_type or JSON_MEDIA)))
        elif content_type is not None:
            parts.append((name, (None, _text(value).encode(), content_type)))
        else:
            parts.append((name, (None, _text(value).encode())))
    return parts


def _file_part(item: Any) -> tuple[str, Any, str]:
    file = item if isinstance(item, File) else File.model_validate(item)
    content = file.content
    if hasattr(content, "seek") and hasattr(content, "tell"):
        content.seek(0)
    return (file.file_name, content, file.content_type or "application/octet-stream")


def form_text(data: Mapping[str, Any]) -> str:
    """application/x-www-form-urlencoded text; arrays repeat the key, objects explode."""
    pieces = [query_param(str(name), value) for name, value in data.items() if value is not None]
    return build_query(pieces)
