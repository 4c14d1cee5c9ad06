"""Paths, operations, servers and security of hostile documents (see documents.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from . import extras
from .hostile import component_names

if TYPE_CHECKING:
    from .documents import _Builder


_PATH_UNSAFE = str.maketrans("", "", "{}/?#")


def _segment(b: _Builder) -> str:
    """A literal path segment: hostile text without the characters that structure a path."""
    text = b.texts.text(b.draw, max_fragments=2).translate(_PATH_UNSAFE)
    b.texts.prose.append(text)
    return text


def _parameter(b: _Builder, name: str, where: str) -> dict[str, Any]:
    schema, _, _ = b.leaf() if where == "path" or b.maybe(0.7) else b.schema(2)
    parameter: dict[str, Any] = {"name": name, "in": where, "schema": schema}
    if where == "path" or b.maybe(0.3):
        parameter["required"] = True
    b.describe(parameter)
    return parameter


def _operation(b: _Builder, method: str, path_params: list[str], ids: set[str]) -> dict[str, Any]:
    draw = b.draw
    operation: dict[str, Any] = {}
    if b.maybe(0.8):
        operation_id = b.texts.name(draw)
        if operation_id not in ids:
            ids.add(operation_id)
            operation["operationId"] = operation_id
    b.describe(operation, "summary")
    b.describe(operation)
    if b.maybe(0.4):
        operation["tags"] = [b.texts.name(draw)]
    seen = {(name, "path") for name in path_params}
    parameters = [_parameter(b, name, "path") for name in path_params]
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(("query", "header", "cookie")))
        name = b.texts.name(draw)
        if name and (name, where) not in seen:
            seen.add((name, where))
            parameters.append(_parameter(b, name, where))
    if parameters:
        operation["parameters"] = parameters
    if method in ("post", "put", "patch") and b.maybe(0.8):
        operation["requestBody"] = {"content": extras.request_content(b, _body(b))}
        if b.maybe():
            operation["requestBody"]["required"] = True
    operation["responses"] = _responses(b)
    extras.operation_extensions(b, operation)
    if b.maybe(0.3):
        operation["deprecated"] = True
    return operation


def _body(b: _Builder) -> dict[str, Any]:
    if b.components and b.maybe(0.6):
        return {"$ref": f"#/components/schemas/{b.draw(st.sampled_from(b.components))}"}
    return b.object(1)[0]


def _responses(b: _Builder) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status in b.draw(
        st.lists(
            st.sampled_from(("200", "201", "204", "4XX", "default")),
            min_size=1,
            max_size=3,
            unique=True,
        )
    ):
        response: dict[str, Any] = {"description": b.texts.text(b.draw)}
        if status != "204" and b.maybe(0.8):
            response["content"] = extras.response_content(b, _body(b))
        if b.maybe(0.2):
            header, _, _ = b.leaf()
            response["headers"] = {b.texts.name(b.draw) or "X": {"schema": header}}
        responses[status] = response
    return responses


def paths(b: _Builder) -> dict[str, Any]:
    """`paths`: templated paths with hostile segments and parameters, 1-3 methods each."""
    paths: dict[str, Any] = {}
    ids: set[str] = set()
    for index in range(b.draw(st.integers(1, b.sizes.paths))):
        params = []
        for _ in range(b.draw(st.integers(0, 2))):
            name = b.texts.name(b.draw).translate(_PATH_UNSAFE)
            if name and name not in params:
                params.append(name)
        literal = _segment(b) if b.maybe() else "items"
        path = f"/p{index}/{literal}" + "".join(f"/{{{name}}}" for name in params)
        methods = b.draw(
            st.lists(
                st.sampled_from(("get", "post", "put", "delete", "patch")),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        paths[path] = {method: _operation(b, method, params, ids) for method in methods}
    return paths


def servers(b: _Builder) -> list[dict[str, Any]]:
    """`servers`: hostile URLs, some with variables."""
    servers = []
    for _ in range(b.draw(st.integers(0, 2))):
        if b.maybe(0.3):
            servers.append(extras.server(b))
            continue
        text = b.texts.text(b.draw, max_fragments=3)
        url = text if b.maybe(0.3) else f"https://api.example.com/{text}"
        server: dict[str, Any] = {"url": url}
        b.texts.prose.append(url)
        b.describe(server)
        servers.append(server)
    return servers


def security(b: _Builder, components: dict[str, Any]) -> list[dict[str, list[str]]]:
    """Security schemes into `components`, and the requirement that uses all of them."""
    keys = b.draw(st.lists(component_names(), min_size=1, max_size=3, unique=True))
    components["securitySchemes"] = {key: extras.security_scheme(b) for key in keys}
    return [{key: []} for key in keys]
