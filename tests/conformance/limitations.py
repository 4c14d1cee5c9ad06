"""Known limitations of Prism 5.16 as an oracle: narrow, documented, reported as such.

Each entry names a request the OpenAPI document allows but Prism cannot handle. A
match is printed as `LIMIT` with the reason and is never counted as accepted; every
predicate checks the exact shape of the failure, so any other rejection still fails.
What the SDK sends in these cases is pinned byte for byte by tests/wire/.

1. Multipart parts are read as one text value each (prism-http validator/body.js,
   parseMultipartFormDataParams): the last of repeated parts wins and an
   `application/json` part is not parsed. So an array property (sent, as OpenAPI
   says, as one part per item) fails with "must be array", and an object property
   (sent as an `application/json` part) with "must be object" (seen on
   specs/router.yaml, `orq` part of POST /v2/router/images/edits).
2. Multipart and form bodies with an `encoding` entry: Prism tests the raw part
   value for URI reserved characters ("Reserved characters used in request body"),
   although multipart parts are not URI-encoded (RFC 7578), so any JSON part or
   comma-delimited part with an encoding entry fails.
3. Event streams: with `Accept: text/event-stream` and an object-shaped example,
   Prism answers 500 NO_COMPLEX_OBJECT_TEXT ("Cannot serialise complex objects as
   text") after accepting the request: it cannot render an SSE response.
4. Path parameters holding a "," (simple/label/matrix arrays and objects): Prism's
   URI-template matcher returns a list and its path deserializer then crashes the
   whole server (TypeError `startsWith`/`split` is not a function).
5. spaceDelimited/pipeDelimited query parameters (or body properties) with an object
   schema (OpenAPI defines `R%20100%20G%20200` / `R%7C100%7CG%7C200`): Prism's
   delimited deserializer throws "only applicable to array parameter", which crashes
   the whole server.
6. Operations documenting only 1XX responses: Prism sends the 1XX as if it were the
   final response; 1XX responses are interim (RFC 9110 section 15.2), so the HTTP
   client waits for a final response that never comes.

7. A header parameter named Accept: OpenAPI says such a definition "SHALL be
   ignored" (the SDK derives Accept from the documented responses), but Prism
   validates the Accept header against its schema (say an enum of single types).

Besides Prism's limits, a spec can ask for the impossible:

S1. Every security requirement of the operation needs one header twice (say HTTP basic
    and OAuth2 together, both in Authorization); no request can satisfy it, and the SDK
    sends none of them.
S2. A raw body (octet-stream, text) whose schema is `type: object` (Swagger 2's
    `type: file` converted); raw bytes never validate as a JSON object.
S3. A path that differs from another only after "#" (`/blobs/#mode=chunk`): the "#"
    starts a fragment, which is not sent, so Prism checks the request against the
    other operation of the same wire path.
S5. An application/x-www-form-urlencoded body whose schema is an array: form bodies
    are name=value pairs, so no encoding exists; the SDK raises a TypeError saying so.
S6. A required Content-Length (or Transfer-Encoding) header parameter: the HTTP client
    frames the body itself, so the SDK does not send these as parameters.
S7. A `format: binary` property inside a JSON body: binary data has no JSON form
    (`format: byte`, base64, is the JSON way); Prism wants a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import httpx

from generator.ir.nodes import Operation

_NOT_PARSED = re.compile(r"must be (object|array)$")
_NO_UNION = re.compile(r"must match (exactly one schema in oneOf|a schema in anyOf)$")
_RESERVED = "Reserved characters used in request body"
PATH_CRASHES = (
    "TypeError: parameters[name].startsWith is not a function",
    "TypeError: value.split is not a function",
)
DELIMITED_CRASH = "delimited style is only applicable to array parameter"


@dataclass(frozen=True)
class Limitation:
    """Why Prism could not judge a request, and which arguments caused it.

    `culprits` are (source, wire name) pairs: "body-field" or a parameter location. A
    second call without them (when they are all optional) shows the rest is accepted.
    """

    reason: str
    culprits: frozenset[tuple[str, str]] = frozenset()


def known_limitation(
    op: Operation,
    request: httpx.Request,
    response: httpx.Response,
    errors: list[dict[str, Any]],
) -> Limitation | None:
    """The limitation this exchange matches, if any."""
    parts = multipart_parts(request)
    unparsed = unparsed_parts(response, errors, parts) if parts else set()
    if unparsed:
        return Limitation(
            "Prism limitation 1: it reads multipart parts as single text values",
            frozenset(("body-field", name) for name in unparsed),
        )
    reserved = _reserved_only(request, response, errors)
    if reserved:
        return Limitation(
            "Prism limitation 2: it checks multipart/form parts for URI reserved characters",
            frozenset(("body-field", name) for name in reserved),
        )
    if _sse_not_rendered(request, response):
        return Limitation("Prism limitation 3: it cannot render text/event-stream responses (500)")
    if errors and all(v.get("location") == ["request", "header", "accept"] for v in errors):
        return Limitation("Prism limitation 7: it validates Accept against an ignored parameter")
    return None


def crash_limitation(op: Operation, request: httpx.Request, prism_log: str) -> Limitation | None:
    """The limitation when Prism died in one of its known crashes."""
    if "," in request.url.path and any(s in prism_log for s in PATH_CRASHES):
        return Limitation("Prism limitation 4: a ',' in a path parameter crashes Prism (restarted)")
    styles = ("spaceDelimited", "pipeDelimited")
    delimited = {
        ("query", p.wire_name)
        for p in op.parameters
        if p.location_in == "query" and p.style in styles
    }
    if op.body is not None:
        delimited |= {
            ("body-field", name) for name, style, _, _ in op.body.styles if style in styles
        }
    if DELIMITED_CRASH in prism_log and delimited:
        return Limitation(
            "Prism limitation 5: an object in a delimited style crashes Prism (restarted)",
            frozenset(delimited),
        )
    return None


def interim_only(op: Operation) -> Limitation | None:
    """Limitation 6, when every documented response of `op` is a 1XX."""
    statuses = [r.status for r in op.responses]
    if statuses and all(s.startswith("1") for s in statuses):
        return Limitation("Prism limitation 6: it sends a 1XX status as a final response")
    return None


def unsatisfiable(
    op: Operation, schemes: dict[str, tuple[str, str]], errors: list[dict[str, Any]]
) -> Limitation | None:
    """S1: no security requirement of `op` can be sent (scheme key -> (in, name)) and
    Prism objected to the security only (401, or 500 when no 401 is documented)."""
    if not op.security or any(not r for r in op.security):
        return None
    if any(v.get("location") != ["request"] for v in errors):
        return None
    for requirement in op.security:
        slots = [schemes.get(key, ("", key)) for key in requirement]
        normalised = [(where, name.lower() if where == "header" else name) for where, name in slots]
        if len(set(normalised)) == len(normalised):
            return None
    return Limitation("spec limitation S1: every security requirement needs one header twice")


def spec_limitation(
    op: Operation, body_schema: Any, errors: list[dict[str, Any]]
) -> Limitation | None:
    """S2 or S3 (see the module docstring), when they explain every violation."""
    rest = [v for v in errors if v.get("location") != ["request"]]  # security: S1's part
    if (
        op.body is not None
        and op.body.kind in ("binary", "text")
        and isinstance(body_schema, dict)
        and body_schema.get("type") == "object"
        and rest
        and all(v.get("location") == ["request", "body"] for v in rest)
    ):
        return Limitation("spec limitation S2: a raw body whose schema is an object")
    if "#" in op.path and rest:
        return Limitation("spec limitation S3: the path differs from another only after '#'")
    framing = ("content-length", "transfer-encoding")
    if rest and all(
        v.get("location") == ["request", "header"]
        and any(f"property '{h}'" in str(v.get("message")) for h in framing)
        for v in rest
    ):
        return Limitation("spec limitation S6: a framing header declared as a parameter")
    if op.body is not None and op.body.kind == "json" and rest:
        binary = {
            str(v["location"][2])
            for v in rest
            if len(v.get("location", ())) == 3
            and v["location"][:2] == ["request", "body"]
            and v["location"][2] in op.body.files
            and str(v.get("message", "")).endswith("must be string")
        }
        if len(binary) == len({str(v["location"]) for v in rest}):
            return Limitation(
                "spec limitation S7: binary properties in a JSON body",
                frozenset(("body-field", name) for name in binary),
            )
    return None


def multipart_parts(request: httpx.Request) -> dict[str, str]:
    """Part name -> its Content-Type ("" for a text part) in a multipart request."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/"):
        return {}
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.read())
    parts: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            parts[name] = part.get("content-type") or ""
    return parts


def unparsed_parts(
    response: httpx.Response, errors: list[dict[str, Any]], parts: dict[str, str]
) -> set[str]:
    """The parts Prism read as plain text; empty unless that explains every violation.

    A part fails "must be object/array"; a JSON part validated against a oneOf/anyOf
    of objects fails "must match exactly one schema in oneOf" (the text matches none).
    """
    if not 400 <= response.status_code < 500 or not errors:
        return set()
    names = set()
    for violation in errors:
        location = [str(p) for p in violation.get("location", ())]
        message = str(violation.get("message", ""))
        if location[:2] != ["request", "body"] or len(location) != 3 or location[2] not in parts:
            return set()
        json_part = parts[location[2]].startswith("application/json")
        if not (_NOT_PARSED.search(message) or (json_part and _NO_UNION.search(message))):
            return set()
        names.add(location[2])
    return names


def _reserved_only(
    request: httpx.Request, response: httpx.Response, errors: list[dict[str, Any]]
) -> set[str]:
    """The body properties flagged for reserved characters, when that is all Prism said."""
    content_type = request.headers.get("content-type", "")
    if not 400 <= response.status_code < 500 or not errors:
        return set()
    if not content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
        return set()
    if not all(str(v.get("message")) == _RESERVED for v in errors):
        return set()
    return {str(v["location"][-1]) for v in errors if v.get("location")}


def _sse_not_rendered(request: httpx.Request, response: httpx.Response) -> bool:
    if "text/event-stream" not in request.headers.get("accept", ""):
        return False
    if response.status_code != 500:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("type", "")).endswith("NO_COMPLEX_OBJECT_TEXT")
