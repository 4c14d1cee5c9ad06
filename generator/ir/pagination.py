"""Paginated operations and idempotency headers: what the runtime needs, decided from the spec.

`x-speakeasy-pagination` and our `x-sdkforge-pagination` share one shape:

    type: offsetLimit | cursor | url | link      (also offset | page)
    inputs:  [{name, in: parameters | requestBody, type: offset | page | cursor | limit}]
    outputs: {results, nextCursor, nextUrl, numPages, hasMore}   (JSONPath into the reply)

JSONPaths (`$.data[-1].id`, `$['a'].b[0]`, `$.data[(@.length-1)]`) are resolved against
the reply's models here, so the runtime follows attribute names and never parses a path.
A configuration the SDK cannot honour is a located warning, and the operation is then
generated as a plain (unpaginated) call.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..load import join_pointer
from .nodes import Operation, Pagination, Step
from .schemas import SchemaRegistry
from .types import BUILTIN_NAMES, AliasRef, ListOf, ModelRef, TypeRef, annotation, strip_none

RULE = "pagination-unsupported"
PAGES_DOC = "../../README.md#pagination"  # from docs/sdks/<group>/README.md
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})
_KINDS = {"offsetlimit", "offset", "page", "cursor", "url", "link"}
_INPUT_TYPES = {"offset", "page", "cursor", "limit"}
# One step of the JSONPath subset: .name, ['name'] / ["name"], [3], [-1], [(@.length-1)]
_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_$][\w$-]*)"""
    r"""|\[\s*(?:'(?P<sq>[^']*)'|"(?P<dq>[^"]*)"|(?P<index>-?\d+)"""
    r"""|\(\s*@\.length\s*-\s*(?P<back>\d+)\s*\))\s*\]"""
)


class PaginationProblem(ValueError):
    """A pagination config the SDK cannot honour (reported as a warning)."""


def parse_path(text: Any) -> tuple[Step, ...]:
    """Steps (wire keys and indexes) of a JSONPath in the supported subset."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise PaginationProblem(f"{text!r} is not a JSONPath starting with '$'")
    steps: list[Step] = []
    position = 1
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None:
            raise PaginationProblem(f"unsupported JSONPath {text!r} at {text[position:]!r}")
        if match.group("index") is not None:
            steps.append(int(match.group("index")))
        elif match.group("back") is not None:
            steps.append(-int(match.group("back")))
        else:
            steps.append(match.group("name") or match.group("sq") or match.group("dq") or "")
        position = match.end()
    return tuple(steps)


def _resolved(reg: SchemaRegistry, type_: TypeRef | None) -> TypeRef | None:
    """The type behind aliases and nullability (None when unknown)."""
    for _ in range(32):
        if type_ is None:
            return None
        type_, _nullable = strip_none(type_)
        if isinstance(type_, AliasRef) and type_.name in reg.aliases:
            type_ = reg.aliases[type_.name].type
            continue
        return type_
    return None


def resolve_path(
    reg: SchemaRegistry, root: TypeRef | None, steps: tuple[Step, ...]
) -> tuple[tuple[Step, ...], TypeRef | None]:
    """Steps by Python attribute name where a model field is known, and the type reached."""
    out: list[Step] = []
    current = root
    for step in steps:
        current = _resolved(reg, current)
        if isinstance(step, int):
            out.append(step)
            current = current.item if isinstance(current, ListOf) else None
            continue
        model = reg.models.get(current.name) if isinstance(current, ModelRef) else None
        field = next((f for f in model.fields if f.wire_name == step), None) if model else None
        out.append(field.name if field is not None else step)
        current = field.type if field is not None else None
    return tuple(out), current


def _inputs(op: Operation, raw: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Input type -> (wire name, where: query | header | body)."""
    found: dict[str, tuple[str, str]] = {}
    for entry in raw.get("inputs") or ():
        if not isinstance(entry, dict) or entry.get("type") not in _INPUT_TYPES:
            raise PaginationProblem(f"input {entry!r} needs a type of {sorted(_INPUT_TYPES)}")
        name, where = str(entry.get("name", "")), entry.get("in", "parameters")
        if where == "requestBody":
            body = op.body
            if body is None or not body.flattened or name not in {f.wire_name for f in body.fields}:
                raise PaginationProblem(f"the request body has no property {name!r}")
            found[entry["type"]] = (name, "body")
            continue
        param = next((p for p in op.parameters if p.wire_name == name), None)
        if param is None or param.location_in not in ("query", "header"):
            raise PaginationProblem(f"no query or header parameter named {name!r}")
        found[entry["type"]] = (name, param.location_in)
    return found


def _kind(raw: dict[str, Any], inputs: dict[str, tuple[str, str]]) -> str:
    kind = str(raw.get("type", "")).lower()
    if kind not in _KINDS:
        raise PaginationProblem(f"unknown pagination type {raw.get('type')!r}")
    if kind == "offsetlimit":
        kind = "page" if "page" in inputs else "offset"
    needed = {"offset": "offset", "page": "page", "cursor": "cursor"}.get(kind)
    if needed is not None and needed not in inputs:
        raise PaginationProblem(f"{kind} pagination needs an input of type {needed!r}")
    return kind


def _results_path(outputs: dict[str, Any], reg: SchemaRegistry, reply: TypeRef) -> Any:
    """The results JSONPath: given, implied by `$.x[-1]...` of nextCursor, or the only array."""
    if "results" in outputs:
        return outputs["results"]
    cursor = outputs.get("nextCursor")
    if isinstance(cursor, str):
        steps = parse_path(cursor)
        for index, step in enumerate(steps):
            if isinstance(step, int):
                return "$" + "".join(
                    f"['{s}']" if isinstance(s, str) else f"[{s}]" for s in steps[:index]
                )
    model = _resolved(reg, reply)
    fields = reg.models[model.name].fields if isinstance(model, ModelRef) else ()
    arrays = [f for f in fields if isinstance(_resolved(reg, f.type), ListOf)]
    if len(arrays) != 1:
        raise PaginationProblem("say where the items are with outputs.results")
    return f"$['{arrays[0].wire_name}']"


def _reply_type(op: Operation) -> TypeRef:
    replies = [r for r in op.responses if not r.is_error and r.kind != "empty"]
    if len(replies) != 1 or replies[0].kind != "json" or replies[0].type is None:
        raise PaginationProblem("a paginated operation needs exactly one JSON success reply")
    return replies[0].type


def _path(
    reg: SchemaRegistry, reply: TypeRef, outputs: dict[str, Any], key: str
) -> tuple[Step, ...]:
    if key not in outputs:
        return ()
    return resolve_path(reg, reply, parse_path(outputs[key]))[0]


def build_pagination(reg: SchemaRegistry, raw: dict[str, Any], op: Operation) -> Pagination:
    """The Pagination node for one operation's config (raises PaginationProblem)."""
    if not isinstance(raw, dict):
        raise PaginationProblem("the pagination extension must be a mapping")
    inputs = _inputs(op, raw)
    kind = _kind(raw, inputs)
    outputs = raw.get("outputs") or {}
    if not isinstance(outputs, dict):
        raise PaginationProblem("outputs must be a mapping of JSONPaths")
    reply = _reply_type(op)
    results, item = resolve_path(reg, reply, parse_path(_results_path(outputs, reg, reply)))
    listed = _resolved(reg, item)
    if not isinstance(listed, ListOf):
        raise PaginationProblem("outputs.results must point to an array of the reply")
    if kind == "cursor" and "nextCursor" not in outputs:
        raise PaginationProblem("cursor pagination needs outputs.nextCursor")
    if kind == "url" and "nextUrl" not in outputs:
        raise PaginationProblem("url pagination needs outputs.nextUrl")
    cursor_input = inputs.get(kind, ("", "query"))
    limit = inputs.get("limit", ("", "query"))
    return Pagination(
        kind=kind,
        results=results,
        input=cursor_input[0],
        input_in=cursor_input[1],
        limit=limit[0],
        limit_in=limit[1],
        next_cursor=_path(reg, reply, outputs, "nextCursor"),
        next_url=_path(reg, reply, outputs, "nextUrl"),
        num_pages=_path(reg, reply, outputs, "numPages"),
        has_more=_path(reg, reply, outputs, "hasMore"),
        item_annotation=annotation(listed.item, BUILTIN_NAMES),
        item_type=listed.item,
    )


def idempotency_header(raw_op: dict[str, Any], op: Operation) -> str:
    """The wire name of the operation's idempotency header parameter, or ""."""
    named = raw_op.get("x-sdkforge-idempotency-header")
    for param in op.parameters:
        if param.location_in != "header":
            continue
        if param.wire_name == named or param.wire_name.lower() in IDEMPOTENCY_HEADERS:
            return param.wire_name
    return ""


def with_pagination(
    reg: SchemaRegistry, raw_op: dict[str, Any], op: Operation, file: str, pointer: str
) -> Operation:
    """The operation with its pagination plan and idempotency header (warning on bad config)."""
    op = replace(op, idempotency_header=idempotency_header(raw_op, op))
    key = "x-sdkforge-pagination" if "x-sdkforge-pagination" in raw_op else "x-speakeasy-pagination"
    if key not in raw_op:
        return op
    try:
        plan = build_pagination(reg, raw_op[key], op)
    except PaginationProblem as problem:
        reg.warn(
            file,
            join_pointer(pointer, key),
            RULE,
            f"{problem}; the operation is generated without pagination",
            "see the Pagination section of the README for the supported shapes",
        )
        return op
    page_doc = f"[Page]({PAGES_DOC}) of {op.return_doc}"
    return replace(op, pagination=plan, return_doc=page_doc)
