"""The real orq.ai spec (../shared/specs/real/orq.yaml) becomes the right SDK surface.

Checked on the IR (`build_api`), which decides every group, method and argument; the
full generate + compile + import + mypy run of this spec is part of `make sweep`.
The expectations are read from the spec here, independently of the generator.
`x-speakeasy-ignore: true` operations are left out on purpose (the product honours it).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator.ir.build import BuildOptions, build_api
from generator.ir.nodes import Api, Operation
from generator.load import LoadedSpec, load
from tests.conftest import shared_path

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SKIPPED_HEADERS = ("accept", "content-type", "authorization")


@pytest.fixture(scope="module")
def orq() -> tuple[LoadedSpec, Api]:
    spec = load(shared_path("specs", "real", "orq.yaml"))
    options = BuildOptions("orq_sdk", "Orq", "orq-sdk", "0.1.0", "orq.yaml")
    api, problems = build_api(spec, options)
    assert not [p for p in problems if p.severity.value == "error"]
    return spec, api


def _deref(data: dict[str, Any], value: Any) -> Any:
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        node: Any = data
        for token in value["$ref"].lstrip("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        value = node
    return value


def _object(data: dict[str, Any], schema: Any) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of an object schema, through `$ref` and `allOf`."""
    schema = _deref(data, schema)
    props: dict[str, Any] = {}
    required: set[str] = set()
    for part in schema.get("allOf") or ():
        more, needed = _object(data, part)
        props.update(more)
        required |= needed
    props.update(schema.get("properties") or {})
    required |= set(schema.get("required") or ())
    return props, required


def admits_null(data: dict[str, Any], schema: Any) -> bool:
    """True when JSON null is valid for `schema` (any dialect of nullability)."""
    if isinstance(schema, dict) and "$ref" in schema and schema.get("nullable") is True:
        return True
    schema = _deref(data, schema)
    if not isinstance(schema, dict) or not schema:
        return True
    types = schema.get("type")
    if schema.get("nullable") is True or types == "null":
        return True
    if isinstance(types, list) and "null" in types:
        return True
    if None in (schema.get("enum") or ()) or ("const" in schema and schema["const"] is None):
        return True
    options = schema.get("oneOf") or schema.get("anyOf") or ()
    return any(admits_null(data, o) for o in options)


def expected_arguments(data: dict[str, Any], item: dict[str, Any], op: dict[str, Any]) -> dict:
    """(where, wire name) -> (required, nullable) as the spec declares them."""
    found: dict[tuple[str, str], tuple[bool, bool]] = {}
    for owner in (item, op):
        for raw in owner.get("parameters") or ():
            param = _deref(data, raw)
            where, name = param["in"], param["name"]
            if where == "header" and name.lower() in SKIPPED_HEADERS:
                continue
            schema = param.get("schema", {})
            required = where == "path" or param.get("required") is True
            found[(where, name)] = (required, admits_null(data, schema))
    body = _deref(data, op.get("requestBody"))
    content = (body or {}).get("content") or {}
    for media in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
        if media in content:
            props, required = _object(data, content[media].get("schema", {}))
            for name, prop in props.items():
                if _deref(data, prop).get("readOnly") is True:
                    continue
                found[("body", name)] = (name in required, admits_null(data, prop))
            break
    return found


def actual_arguments(op: Operation) -> dict:
    """The same mapping, from the generated method's arguments."""
    found = {}
    for argument in op.arguments:
        where = "body" if argument.source.startswith("body") else argument.source
        if argument.source == "body":
            continue  # a whole, non-object body: no properties to compare
        found[(where, argument.wire_name)] = (argument.required, argument.nullable)
    return found


def spec_operations(spec: LoadedSpec) -> list[tuple[str, str, dict, dict]]:
    data = spec.data
    found = []
    for path, raw in data["paths"].items():
        item = _deref(data, raw)
        for method in METHODS:
            if isinstance(item.get(method), dict):
                found.append((method.upper(), path, item, item[method]))
    return found


def snake(name: str) -> str:
    """Python spelling of a spec name (`listVersions` -> `list_versions`), per path segment."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[^A-Za-z0-9.]+", "_", name)
    return spaced.lower()


def by_route(api: Api) -> dict[tuple[str, str], tuple[str, Operation]]:
    return {
        (op.http_method, op.path): (group.dotted, op)
        for group in api.groups()
        for op in group.operations
    }


def test_every_operation_is_generated_except_the_ignored_ones(orq) -> None:
    spec, api = orq
    routes = by_route(api)
    ignored = [o for o in spec_operations(spec) if o[3].get("x-speakeasy-ignore") is True]
    kept = [o for o in spec_operations(spec) if o[3].get("x-speakeasy-ignore") is not True]
    assert len(ignored) == 20 and len(kept) == 259
    assert {(m, p) for m, p, _, _ in kept} == set(routes)
    assert len(api.operations()) == len(kept)


def test_every_operation_sits_under_its_group_with_its_name(orq) -> None:
    spec, api = orq
    routes = by_route(api)
    wrong = []
    for method, path, _, op in spec_operations(spec):
        if op.get("x-speakeasy-ignore") is True:
            continue
        group, operation = routes[(method, path)]
        wanted_group = op.get("x-speakeasy-group")
        wanted_name = op.get("x-speakeasy-name-override")
        if wanted_group is not None and group != snake(wanted_group):
            wrong.append(f"{method} {path}: group {group}, spec {wanted_group}")
        if wanted_name is not None and operation.method_name != snake(wanted_name):
            wrong.append(f"{method} {path}: method {operation.method_name}, spec {wanted_name}")
    assert not wrong, "\n".join(wrong[:20])


def test_every_operation_takes_exactly_the_spec_arguments(orq) -> None:
    spec, api = orq
    routes = by_route(api)
    wrong = []
    for method, path, item, op in spec_operations(spec):
        if op.get("x-speakeasy-ignore") is True:
            continue
        expected = expected_arguments(spec.data, item, op)
        actual = actual_arguments(routes[(method, path)][1])
        if actual != expected:
            diff = sorted(set(expected.items()) ^ set(actual.items()))
            wrong.append(f"{method} {path}: {diff[:6]}")
    assert not wrong, "\n".join(wrong[:20])


def test_create_image_edit(orq) -> None:
    _, api = orq
    group, op = by_route(api)[("POST", "/v2/router/images/edits")]
    assert (group, op.method_name, op.operation_id) == (
        "router.images.edits",
        "create",
        "createImageEdit",
    )
    args = {a.wire_name: a for a in op.arguments}
    assert {"model", "prompt", "image", "n", "size", "quality", "response_format", "user"} <= set(
        args
    )
    # newer than the reference page: routing options at the top level
    for wire in ("name", "fallbacks", "retry", "cache", "load_balancer", "timeout"):
        assert wire in args and not args[wire].required, wire
    assert args["model"].required and args["prompt"].required
    assert args["n"].nullable and not args["n"].required and args["n"].default == "UNSET"
    assert not args["user"].nullable and args["user"].default == "None"
    orq_type = args["orq"].type
    model = next(m for m in api.models if m.name == getattr(orq_type, "name", None))
    fields = {f.wire_name: f for f in model.fields}
    assert {"name", "contact", "identity", "retry", "fallbacks", "cache", "timeout"} <= set(fields)
    assert not any(f.required for f in fields.values())


def test_chat_completions(orq) -> None:
    _, api = orq
    group, op = by_route(api)[("POST", "/v2/router/chat/completions")]
    assert (group, op.method_name) == ("router.chat.completions", "create")
    args = {a.wire_name: a for a in op.arguments}
    assert args["messages"].required and args["model"].required
    assert [a.name for a in op.arguments[:2]] == ["messages", "model"]
    for wire in ("temperature", "max_tokens", "stop", "top_p"):
        assert args[wire].nullable and not args[wire].required, wire
    assert op.streaming == "flag" and op.stream_flag == "stream"
    messages = args["messages"].annotation
    assert messages.startswith("list[") and "|" in messages  # a union of message kinds
