"""A mock of an OpenAPI spec on loopback: checks each request against the spec, answers from
the spec's own examples (or values synthesised from its schemas).

Built for running the docs' snippets: a request the spec would reject is answered with 422
and recorded as a violation, so a snippet that calls the API wrongly fails its test.
"""

from __future__ import annotations

import ast
import json
import re
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from generator.ir.examples import example_source, resolve
from generator.load import load

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Route:
    """One operation: how to match it, what it requires, what it answers."""

    method: str
    template: str
    pattern: re.Pattern[str]
    required: dict[str, list[str]]  # "query" / "header" / "cookie" -> wire names
    body_required: bool
    body_types: dict[str, list[str]]  # media type -> required top-level properties
    security: list[list[tuple[str, str, str]]]  # alternatives of (kind, location, name)
    status: int
    content_type: str
    body: bytes


@dataclass
class Seen:
    """A request the mock received, with what was wrong with it."""

    method: str
    path: str
    operation: str
    violations: list[str] = field(default_factory=list)


class MockApi:
    """Routes built once from a spec; `start()` serves them on 127.0.0.1."""

    def __init__(self, spec_path: Path) -> None:
        self.spec = load(spec_path)
        self.routes = list(self._routes())
        self.bases = _base_paths(self.spec.data)
        self.seen: list[Seen] = []
        self._server: ThreadingHTTPServer | None = None

    # --- building -----------------------------------------------------------------------
    def _deref(self, value: Any) -> Any:
        return resolve(self.spec, value, self.spec.root_key)[0]

    def _routes(self) -> Any:
        data = self.spec.data
        schemes = self._deref(data.get("components", {})).get("securitySchemes", {})
        for template, raw in sorted(data.get("paths", {}).items()):
            item = self._deref(raw)
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield self._route(method, template, item, op, data, schemes)

    def _route(
        self,
        method: str,
        template: str,
        item: dict[str, Any],
        op: dict[str, Any],
        data: dict[str, Any],
        schemes: dict[str, Any],
    ) -> Route:
        required: dict[str, list[str]] = {"query": [], "header": [], "cookie": []}
        for entry in [*item.get("parameters", []), *op.get("parameters", [])]:
            param = self._deref(entry)
            where = param.get("in")
            if param.get("required") and where in required:
                required[where].append(str(param["name"]))
        body = self._deref(op.get("requestBody", {}))
        body_types = {
            media.split(";")[0].strip().lower(): self._required_properties(spec.get("schema"))
            for media, spec in body.get("content", {}).items()
        }
        security = op.get("security", data.get("security", []))
        alternatives = [
            [_credential(self._deref(schemes.get(name, {}))) for name in requirement]
            for requirement in security
        ]
        status, content_type, payload = self._answer(op)
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        return Route(
            method.upper(),
            template,
            re.compile(pattern + "/?"),
            required,
            bool(body.get("required")),
            body_types,
            alternatives,
            status,
            content_type,
            payload,
        )

    def _required_properties(self, schema: Any) -> list[str]:
        schema = self._deref(schema)
        if not isinstance(schema, dict):
            return []
        properties = schema.get("properties", {})
        names = [  # readOnly properties are required in responses only
            n
            for n in schema.get("required", [])
            if not self._deref(properties.get(n, {})).get("readOnly")
        ]
        for part in schema.get("allOf", []):
            names.extend(self._required_properties(part))
        return names

    def _answer(self, op: dict[str, Any]) -> tuple[int, str, bytes]:
        responses = op.get("responses", {})
        success = sorted(s for s in responses if str(s).startswith("2"))
        if not success:
            return 200, "application/json", b"{}"
        status = success[0]
        response = self._deref(responses[status])
        code = int(status) if str(status).isdigit() else 200
        for media, spec in response.get("content", {}).items():
            return code, media, self._payload(media, spec)
        return code, "", b""

    def _payload(self, media: str, spec: dict[str, Any]) -> bytes:
        kind = media.split(";")[0].strip().lower()
        value = self._example(spec)
        if kind == "text/event-stream":
            event = value.get("data", value) if isinstance(value, dict) else value
            text = f"data: {json.dumps(event)}\n\n"
            sentinel = spec.get("x-speakeasy-sse-sentinel")
            if isinstance(sentinel, str):
                text += f"data: {sentinel}\n\n"
            return text.encode()
        if kind == "application/json" or kind.endswith("+json"):
            return json.dumps(value).encode()
        if kind.startswith("text/"):
            return str(value if isinstance(value, str) else "text").encode()
        return b"\x89binary content"

    def _example(self, media: dict[str, Any]) -> Any:
        if "example" in media:
            return media["example"]
        examples = media.get("examples")
        if isinstance(examples, dict) and examples:
            first = self._deref(examples[sorted(examples)[0]])
            if isinstance(first, dict) and "value" in first:
                return first["value"]
        source = example_source(self.spec, media.get("schema"), self.spec.root_key)
        try:
            value = ast.literal_eval(source)
        except (ValueError, SyntaxError):
            return None
        return value.decode("latin-1") if isinstance(value, bytes) else value

    # --- serving ------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Any:
        """(status, content type, body) for one request; records it with its violations."""
        path = urlsplit(target).path  # still percent-encoded: `%2F` stays inside its segment
        for base in self.bases:
            if base and path.startswith(base):
                path = path[len(base) :] or "/"
                break
        route = next(
            (r for r in self.routes if r.method == method and r.pattern.fullmatch(path)), None
        )
        if route is None:
            self.seen.append(Seen(method, path, "", [f"no operation for {method} {path}"]))
            return 404, "application/json", b'{"message": "no such operation"}'
        seen = Seen(method, path, route.template, _violations(route, target, headers, body))
        self.seen.append(seen)
        if seen.violations:
            return 422, "application/json", json.dumps({"violations": seen.violations}).encode()
        return route.status, route.content_type, route.body

    def start(self) -> str:
        """Serve on a free loopback port; returns the base URL."""
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, media, payload = mock.handle(self.command, self.path, headers, body)
                self.send_response(status)
                if media:
                    self.send_header("content-type", media)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _base_paths(data: dict[str, Any]) -> list[str]:
    """Path prefixes of the spec's servers (`https://x/v1` -> `/v1`), longest first."""
    found = {""}
    for server in data.get("servers", []) or []:
        url = str(server.get("url", ""))
        found.add(urlsplit(url).path.rstrip("/") if "://" in url else url.rstrip("/"))
    return sorted(found, key=len, reverse=True)


def _credential(scheme: dict[str, Any]) -> tuple[str, str, str]:
    kind = scheme.get("type", "")
    if kind == "apiKey":
        return "apiKey", scheme.get("in", "header"), str(scheme.get("name", "")).lower()
    return kind, "header", "authorization"


def _violations(route: Route, target: str, headers: dict[str, str], body: bytes) -> list[str]:
    problems = []
    query = {k.split("[")[0] for k, _ in parse_qsl(urlsplit(target).query, True)}
    cookies = {c.split("=")[0].strip() for c in headers.get("cookie", "").split(";")}
    present = {"query": query, "header": set(headers), "cookie": cookies}
    for where, names in route.required.items():
        for name in names:
            key = name.lower() if where == "header" else name
            if key not in present[where]:
                problems.append(f"required {where} parameter {name!r} is missing")
    if route.security and not any(
        all(
            name in present.get(where, set()) or (where == "header" and name in headers)
            for _, where, name in alternative
        )
        for alternative in route.security
    ):
        problems.append("no credentials for any of the operation's security requirements")
    problems.extend(_body_violations(route, headers, body))
    return problems


def _body_violations(route: Route, headers: dict[str, str], body: bytes) -> list[str]:
    if not body:
        return ["the request body is required"] if route.body_required else []
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in route.body_types:
        return [f"content type {media!r} is not one of {sorted(route.body_types)}"]
    if media == "application/json" or media.endswith("+json"):
        try:
            value = json.loads(body)
        except ValueError:
            return ["the body is not JSON"]
        names = set(value) if isinstance(value, dict) else set()
    elif media == "multipart/form-data":
        head = f"Content-Type: {headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        names = {
            str(p.get_param("name", header="content-disposition")) for p in message.iter_parts()
        }
    elif media == "application/x-www-form-urlencoded":
        names = {k for k, _ in parse_qsl(body.decode(), True)}
    else:
        return []
    return [
        f"required body property {n!r} is missing"
        for n in route.body_types[media]
        if n not in names
    ]
