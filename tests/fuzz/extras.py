"""The less common parts of hostile documents: unions, maps, allOf, 3.1 types, media types,
server variables, security schemes and the `x-sdkforge-*` / `x-speakeasy-*` extensions.

Each function takes the document builder (documents._Builder) and draws through it, so the
texts it uses are marked and recorded like all others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

if TYPE_CHECKING:
    from .documents import Shape, _Builder


def union(b: _Builder, depth: int) -> tuple[dict[str, Any], Shape]:
    """oneOf/anyOf of primitives, or of component refs (with a discriminator sometimes)."""
    from .documents import Shape

    keyword = b.draw(st.sampled_from(("oneOf", "anyOf")))
    objects = [name for name in b.components if b.object_components.get(name)]
    if objects and b.maybe():
        chosen = b.draw(st.lists(st.sampled_from(objects), min_size=1, max_size=3, unique=True))
        schema: dict[str, Any] = {keyword: [{"$ref": f"#/components/schemas/{n}"} for n in chosen]}
        # Which option a value lands in is pydantic's choice: no value is promised.
        return schema, Shape("none")
    options = [{"type": "string"}, {"type": "integer"}]
    if b.maybe(0.3):
        options.append({"type": "boolean"})
    values: list[Any] = ["text", 7] + ([True] if len(options) > 2 else [])
    return {keyword: options}, Shape("leaf", b.draw(st.sampled_from(values)))


def mapping(b: _Builder, depth: int) -> tuple[dict[str, Any], Shape]:
    """A typed map (`additionalProperties: schema`), keyed by hostile text."""
    from .documents import Shape

    item, shape, _ = b.schema(depth + 1)
    key = b.texts.text(b.draw, max_fragments=2)
    schema = {"type": "object", "additionalProperties": item}
    return schema, Shape("map", item=shape, value=key)


def all_of(b: _Builder, depth: int) -> tuple[dict[str, Any], Shape]:
    """allOf: a component object and an inline object; the value is both merged."""
    from .documents import Shape

    objects = [name for name in b.components if b.object_components.get(name)]
    if not b.sizes.recursive_all_of:  # only components defined earlier: no allOf cycle
        objects = [name for name in objects if name in b.components[: b.building]]
    inline, inline_shape = b.object(depth + 1)
    if not objects:
        return {"allOf": [inline]}, Shape("allof", properties=[("", inline_shape, True)])
    name = b.draw(st.sampled_from(objects))
    ref = Shape("ref", target=name)
    schema = {"allOf": [{"$ref": f"#/components/schemas/{name}"}, inline]}
    return schema, Shape("allof", properties=[("", ref, True), ("", inline_shape, True)])


def typed_31(b: _Builder) -> tuple[dict[str, Any], Shape]:
    """OpenAPI 3.1 only: `const`, or a list of types."""
    from .documents import Shape

    if b.maybe():
        value = b.texts.text(b.draw, max_fragments=2)
        return {"const": value}, Shape("leaf", value)
    return {"type": ["string", "integer"]}, Shape("leaf", 3)


def request_content(b: _Builder, body: dict[str, Any]) -> dict[str, Any]:
    """The content map of a request body: JSON, or another media type."""
    kind = b.draw(st.sampled_from(("json", "json", "multipart", "form", "binary", "text")))
    if kind == "multipart":
        file_field = b.texts.name(b.draw) or "file"
        schema = {
            "type": "object",
            "properties": {file_field: {"type": "string", "format": "binary"}, **_props(body)},
        }
        encoding = {file_field: {"contentType": "application/octet-stream"}}
        return {"multipart/form-data": {"schema": schema, "encoding": encoding}}
    if kind == "form":
        return {"application/x-www-form-urlencoded": {"schema": body}}
    if kind == "binary":
        return {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    if kind == "text":
        return {"text/plain": {"schema": {"type": "string"}}}
    return {"application/json": {"schema": body}}


def _props(body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties")
    return dict(props) if isinstance(props, dict) else {}


def response_content(b: _Builder, body: dict[str, Any]) -> dict[str, Any]:
    """The content map of a response: JSON, an event stream, bytes or text."""
    kind = b.draw(st.sampled_from(("json", "json", "json", "sse", "binary", "text")))
    if kind == "sse":
        media: dict[str, Any] = {"schema": body}
        if b.maybe():
            media["x-sdkforge-sse-sentinel"] = b.texts.text(b.draw, max_fragments=2)
        return {"text/event-stream": media}
    if kind == "binary":
        return {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    if kind == "text":
        return {"text/plain": {"schema": {"type": "string"}}}
    return {"application/json": {"schema": body}}


def server(b: _Builder) -> dict[str, Any]:
    """A server whose URL has variables (hostile names, defaults and enums)."""
    names = [b.texts.name(b.draw).translate(str.maketrans("", "", "{}/")) or "v"]
    if b.maybe():
        names.append("version")
    variables: dict[str, Any] = {}
    for name in dict.fromkeys(names):
        default = b.texts.text(b.draw, max_fragments=2)
        variable: dict[str, Any] = {"default": default}
        if b.maybe():
            variable["enum"] = [default, b.texts.text(b.draw, max_fragments=1)]
        b.describe(variable)
        variables[name] = variable
    url = "https://{" + "}.example.com/{".join(variables) + "}/api"
    return {"url": url, "variables": variables}


def security_scheme(b: _Builder) -> dict[str, Any]:
    """Any kind of security scheme, with hostile names, URLs and scopes."""
    kind = b.draw(st.sampled_from(("apiKey", "bearer", "basic", "oauth2", "openIdConnect")))
    scheme: dict[str, Any]
    if kind == "apiKey":
        where = b.draw(st.sampled_from(("header", "query", "cookie")))
        scheme = {"type": "apiKey", "in": where, "name": b.texts.name(b.draw) or "X-Key"}
    elif kind in ("bearer", "basic"):
        scheme = {"type": "http", "scheme": kind}
        if kind == "bearer" and b.maybe():
            scheme["bearerFormat"] = b.texts.text(b.draw, max_fragments=1)
    elif kind == "oauth2":
        scopes = {b.texts.name(b.draw): b.texts.text(b.draw, max_fragments=1) for _ in range(2)}
        token_url = "https://auth.example.com/" + b.texts.text(b.draw, max_fragments=1)
        flows = {"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}}
        scheme = {"type": "oauth2", "flows": flows}
    else:
        url = "https://auth.example.com/.well-known/" + b.texts.text(b.draw, max_fragments=1)
        scheme = {"type": "openIdConnect", "openIdConnectUrl": url}
    b.describe(scheme)
    return scheme


def operation_extensions(b: _Builder, operation: dict[str, Any]) -> None:
    """Hostile values for the extensions the generator reads on an operation."""
    if b.maybe(0.2):
        operation["x-sdkforge-name"] = b.texts.name(b.draw)
    if b.maybe(0.2):
        key = b.draw(st.sampled_from(("x-sdkforge-group", "x-speakeasy-group")))
        operation[key] = b.draw(st.sampled_from(("a.b", "..", ".x.", "", "class.def")))
    if b.maybe(0.1):
        operation["x-sdkforge-idempotency-header"] = b.texts.name(b.draw)
    if b.maybe(0.15):
        pagination(b, operation)
    if b.maybe(0.1):
        operation["x-sdkforge-retries"] = {
            "strategy": "backoff",
            "backoff": {"initialInterval": 1, "maxInterval": 2, "exponent": 1.5},
            "statusCodes": [b.draw(st.sampled_from(("5XX", "429", 503)))],
            "retryConnectionErrors": b.draw(st.booleans()),
        }


def discriminated(b: _Builder, depth: int) -> tuple[dict[str, Any], Shape]:
    """oneOf of inline objects tagged by a hostile property, with a hostile mapping."""
    from .documents import Shape

    tag = b.texts.name(b.draw) or "kind"
    options, mapping = [], {}
    for _ in range(b.draw(st.integers(1, 3))):
        value = b.texts.text(b.draw, max_fragments=2)
        option, _ = b.object(depth + 1)
        option.setdefault("properties", {})[tag] = {"type": "string", "enum": [value]}
        option["required"] = sorted({*option.get("required", []), tag})
        options.append(option)
        mapping[value] = value  # a mapping value that is no $ref: the spec's problem
    schema: dict[str, Any] = {"oneOf": options, "discriminator": {"propertyName": tag}}
    if b.maybe(0.3):
        schema["discriminator"]["mapping"] = mapping
    return schema, Shape("none")


def odd_object(b: _Builder, depth: int) -> tuple[dict[str, Any], Shape]:
    """Closed objects, patternProperties, readOnly/writeOnly and defaults of objects/arrays."""
    from .documents import Shape

    schema, shape = b.object(depth + 1)
    choice = b.draw(st.sampled_from(("closed", "pattern", "readonly", "default")))
    if choice == "closed":
        schema["additionalProperties"] = False
    elif choice == "pattern":
        schema["patternProperties"] = {b.texts.text(b.draw, max_fragments=1): {"type": "string"}}
        return schema, Shape("none")
    elif choice == "readonly":
        for prop in schema["properties"].values():
            prop[b.draw(st.sampled_from(("readOnly", "writeOnly")))] = True
        return schema, Shape("none")
    else:
        schema["default"] = {b.texts.text(b.draw, max_fragments=1): [None, 1, "x"]}
        return schema, Shape("none")
    return schema, shape


def pagination(b: _Builder, operation: dict[str, Any]) -> None:
    """A pagination extension with hostile (often unusable) JSONPaths and inputs."""
    paths = ("$.data", "$['a\\'b'].c[-1]", "$..x", "$", "$.data[(@.length-1)].id", "")
    operation["x-sdkforge-pagination"] = {
        "type": b.draw(st.sampled_from(("offsetLimit", "cursor", "url", "link", "page", "?"))),
        "inputs": [
            {
                "name": b.texts.name(b.draw),
                "in": b.draw(st.sampled_from(("parameters", "requestBody", "header"))),
                "type": b.draw(st.sampled_from(("offset", "page", "cursor", "limit"))),
            }
        ],
        "outputs": {
            key: b.draw(st.sampled_from(paths))
            for key in b.draw(
                st.lists(st.sampled_from(("results", "nextCursor", "nextUrl", "hasMore")))
            )
        },
    }


def webhooks(b: _Builder) -> dict[str, Any]:
    """OpenAPI 3.1 webhooks with hostile names (no SDK method; must not break anything)."""
    name = b.texts.name(b.draw) or "event"
    body = {"content": {"application/json": {"schema": b.object(1)[0]}}}
    return {name: {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}}
