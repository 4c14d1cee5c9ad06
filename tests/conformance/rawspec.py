"""The spec as written: operations, parameters, bodies, responses; arguments built from it."""

from __future__ import annotations

import json
from typing import Any

import httpx

from generator.ir.nodes import Api, Operation
from generator.load import LoadedSpec
from tests.conformance.values import BINARY, MISSING, Values

TOKEN = {"access_token": "conformance-token", "token_type": "Bearer", "expires_in": 3600}


# -- the raw spec ------------------------------------------------------------------------
class RawSpec:
    """The spec's raw operations and their parameter/body/response schemas."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.values = Values(spec)

    def deref(self, value: Any, file: str) -> tuple[Any, str]:
        """Follow `$ref`s of any object."""
        return self.values.resolve(value, file)

    def operation(self, op: Operation) -> tuple[dict[str, Any], dict[str, Any], str]:
        """(operation object, path item, file) of an IR operation."""
        root = self.spec.root_key
        item, file = self.deref(self.spec.data["paths"][op.path], root)
        return item[op.http_method.lower()], item, file

    def parameters(self, op: Operation) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """(name, in) -> (parameter object, file), operation level winning."""
        raw, item, file = self.operation(op)
        found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner in (item, raw):
            for value in owner.get("parameters") or ():
                param, param_file = self.deref(value, file)
                if isinstance(param, dict) and "name" in param:
                    found[(str(param["name"]), str(param.get("in")))] = (param, param_file)
        return found

    def request_media(self, op: Operation, content_type: str) -> tuple[dict[str, Any], str]:
        """The media type object of the request body for `content_type`."""
        raw, _, file = self.operation(op)
        body, body_file = self.deref(raw.get("requestBody"), file)
        content = body.get("content") if isinstance(body, dict) else None
        media = content.get(content_type) if isinstance(content, dict) else None
        return (media if isinstance(media, dict) else {}), body_file

    def response_schema(self, op: Operation, status: int, media: str) -> tuple[Any, str] | None:
        """The schema documented for a status code and media type (None: undocumented)."""
        raw, _, file = self.operation(op)
        responses = raw.get("responses") or {}
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                response, response_file = self.deref(responses[key], file)
                content = response.get("content") if isinstance(response, dict) else None
                if not isinstance(content, dict):
                    return None
                entry = content.get(media) or next(iter(content.values()), None)
                if isinstance(entry, dict) and "schema" in entry:
                    return entry["schema"], response_file
                return None
        return None


def examples_of(holder: dict[str, Any]) -> tuple[Any, ...]:
    """`example` and every `examples[*].value` of a parameter or media type object."""
    found = [holder["example"]] if "example" in holder else []
    examples = holder.get("examples")
    if isinstance(examples, dict):
        found.extend(e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e)
    return tuple(found)


# -- arguments ---------------------------------------------------------------------------
def arguments(raw: RawSpec, op: Operation) -> tuple[dict[str, Any], list[str]]:
    """Keyword arguments for the method of `op`, and why some could not be built."""
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    params = raw.parameters(op)
    for argument in op.arguments:
        if argument.source not in ("path", "query", "header", "cookie"):
            continue
        param, file = params[(argument.wire_name, argument.source)]
        schema, holders = param.get("schema"), [param]
        content = param.get("content")
        if schema is None and isinstance(content, dict) and content:
            media = content[sorted(content)[0]] or {}
            schema, holders = media.get("schema"), [param, media]
        examples = tuple(e for h in holders for e in examples_of(h))
        if argument.source == "header":
            examples = tuple(e for e in examples if _header_safe(e))
        value, why = raw.values.value_for(schema, file, examples, text_first=True)
        if value is MISSING:
            if argument.required:
                problems.append(f"{argument.source} parameter {argument.wire_name}: {why[0]}")
            continue
        kwargs[argument.name] = value
    if op.body is not None:
        problems.extend(_body_arguments(raw, op, kwargs))
    return kwargs, problems


def _as_file(value: Any) -> Any:
    """File contents: the spec's examples give them as text, the SDK takes bytes."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, list):
        return [_as_file(v) for v in value]
    return value


def _header_safe(value: Any) -> bool:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text.isascii() and text.isprintable()


def _body_arguments(raw: RawSpec, op: Operation, kwargs: dict[str, Any]) -> list[str]:
    assert op.body is not None
    body_args = [a for a in op.arguments if a.source in ("body", "body-field")]
    if op.body.kind == "binary":
        kwargs[body_args[0].name] = BINARY
        return []
    media, file = raw.request_media(op, op.body.content_type)
    value, why = raw.values.value_for(media.get("schema"), file, examples_of(media))
    if value is MISSING:
        needed = op.body.required or any(a.required for a in body_args)
        return [f"request body: {why[0]}"] if needed else []
    if op.body.kind == "text" and not isinstance(value, str):
        value = json.dumps(value)
    if not op.body.flattened:
        kwargs[body_args[0].name] = value
        return []
    if not isinstance(value, dict):
        return [f"request body: expected an object, built {value!r:.80}"]
    for name in op.body.files:
        if name in value:
            value[name] = _as_file(value[name])
    for argument in body_args:
        if argument.wire_name in value:
            kwargs[argument.name] = value[argument.wire_name]
    return []


# -- credentials ---------------------------------------------------------------------------
def credentials(api: Api) -> dict[str, Any]:
    """A dummy credential for every constructor argument of every security scheme."""
    out: dict[str, Any] = {}
    for scheme in api.security:
        for argument in scheme.arguments:
            out[argument] = "conformance" if scheme.kind == "basic" else "conformance-token"
    return out


def token_mounts(api: Api) -> dict[str, httpx.BaseTransport]:
    """Stand-in token endpoints for OAuth2 client-credentials schemes (Prism has none)."""
    mounts: dict[str, httpx.BaseTransport] = {}
    for scheme in api.security:
        if scheme.kind == "oauth2" and scheme.token_url.startswith(("http://", "https://")):
            origin = httpx.URL(scheme.token_url)
            key = f"{origin.scheme}://{origin.host}"
            mounts[key] = httpx.MockTransport(lambda request: httpx.Response(200, json=TOKEN))
    return mounts
