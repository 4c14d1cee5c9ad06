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
from generator.ir.types import ListOf, ModelRef, TypeRef
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


def body_schema(data: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    """The object schema of an operation's first JSON or form request body."""
    content = _deref(data, op["requestBody"])["content"]
    media = next(m for m in ("application/json", "multipart/form-data") if m in content)
    return content[media]["schema"]


def nested_mismatches(
    api: Api, data: dict[str, Any], type_: TypeRef, schema: Any, where: str, depth: int = 3
) -> list[str]:
    """Fields of the model behind `type_` whose (required, nullable) differ from `schema`'s
    properties, followed `depth` models down (through lists)."""
    schema = _deref(data, schema)
    if isinstance(type_, ListOf) and isinstance(schema, dict) and "items" in schema:
        return nested_mismatches(api, data, type_.item, schema["items"], where + "[]", depth)
    models = {m.name: m for m in api.models}
    if depth == 0 or not isinstance(type_, ModelRef) or type_.name not in models:
        return []
    if not isinstance(schema, dict) or not (schema.get("properties") or schema.get("allOf")):
        return []  # a union or an alias: its members are models of their own
    props, required = _object(data, schema)
    model = models[type_.name]
    actual = {f.wire_name: (f.required, f.nullable) for f in model.fields}
    expected = {
        wire: (
            wire in required and _deref(data, prop).get("readOnly") is not True,
            admits_null(data, prop),
        )
        for wire, prop in props.items()
    }
    problems = []
    if actual != expected:
        problems.append(
            f"{where} ({model.name}): {sorted(set(expected.items()) ^ set(actual.items()))}"
        )
    for f in model.fields:
        problems += nested_mismatches(
            api, data, f.type, props[f.wire_name], f"{where}.{f.wire_name}", depth - 1
        )
    return problems


def body_mismatches(spec: LoadedSpec, api: Api, method: str, path: str) -> list[str]:
    """`nested_mismatches` for every object-typed body argument of one operation."""
    data = spec.data
    op = by_route(api)[(method.upper(), path)][1]
    props, _ = _object(data, body_schema(data, data["paths"][path][method]))
    problems = []
    for argument in op.arguments:
        if argument.source == "body-field":
            prop = props[argument.wire_name]
            problems += nested_mismatches(api, data, argument.type, prop, argument.wire_name)
    return problems


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


def test_create_image_edit_nested_models_follow_the_spec(orq) -> None:
    spec, api = orq
    problems = body_mismatches(spec, api, "post", "/v2/router/images/edits")
    assert not problems, "\n".join(problems[:20])
    _, op = by_route(api)[("POST", "/v2/router/images/edits")]
    args = {a.wire_name: a for a in op.arguments}
    models = {m.name: m for m in api.models}

    def model_fields(type_: TypeRef) -> dict[str, Any]:
        assert isinstance(type_, ModelRef), type_
        return {f.wire_name: f for f in models[type_.name].fields}

    fallbacks = args["fallbacks"].type
    assert isinstance(fallbacks, ListOf)
    assert model_fields(fallbacks.item)["model"].required
    assert set(model_fields(args["retry"].type)) == {"count", "on_codes"}
    cache = model_fields(args["cache"].type)
    assert cache["type"].required and cache["type"].const and not cache["ttl"].required
    assert model_fields(args["timeout"].type)["call_timeout"].required
    contact = model_fields(model_fields(args["orq"].type)["contact"].type)
    assert contact["id"].required


def test_chat_completions_nested_models_follow_the_spec(orq) -> None:
    spec, api = orq
    problems = body_mismatches(spec, api, "post", "/v2/router/chat/completions")
    assert not problems, "\n".join(problems[:20])
