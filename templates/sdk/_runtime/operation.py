"""Static descriptions of operations, built once at import by generated code."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from .errors import APIStatusError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Param:
    """A path, query, header or cookie parameter: wire name and serialisation style."""

    name: str
    style: str = "form"
    explode: bool = True
    allow_reserved: bool = False


class Schema:
    """A type to validate/serialise with pydantic, built on first use (imports stay cheap)."""

    __slots__ = ("_adapter", "_type")

    def __init__(self, type_: Any) -> None:
        self._type = type_
        self._adapter: pydantic.TypeAdapter[Any] | None = None

    @property
    def adapter(self) -> pydantic.TypeAdapter[Any]:
        """The pydantic TypeAdapter for this type."""
        if self._adapter is None:
            self._adapter = pydantic.TypeAdapter(self._type)
        return self._adapter

    def parse_json(self, data: bytes) -> Any:
        """Validate a JSON document."""
        if isinstance(self._type, type) and issubclass(self._type, pydantic.BaseModel):
            return self._type.model_validate_json(data)
        return self.adapter.validate_json(data)

    def validate(self, value: Any) -> Any:
        """Validate a Python value (dicts become models)."""
        if isinstance(self._type, type) and issubclass(self._type, pydantic.BaseModel):
            if isinstance(value, self._type):
                return value
            return self._type.model_validate(value)
        return self.adapter.validate_python(value)

    def dump_json(self, value: Any) -> bytes:
        """JSON bytes by wire names, leaving out what was never set."""
        validated = self.validate(value)
        if isinstance(validated, pydantic.BaseModel):
            return validated.__pydantic_serializer__.to_json(
                validated, by_alias=True, exclude_unset=True
            )
        return self.adapter.dump_json(validated, by_alias=True, exclude_unset=True)

    def dump_python(self, value: Any) -> Any:
        """Plain Python data by wire names (models become dicts, files stay objects)."""
        validated = self.validate(value)
        if isinstance(validated, pydantic.BaseModel):
            return validated.model_dump(by_alias=True, exclude_unset=True)
        return self.adapter.dump_python(validated, by_alias=True, exclude_unset=True)


@dataclass(frozen=True, slots=True)
class Body:
    """How a request body is encoded: json | multipart | form | binary | text."""

    kind: str
    content_type: str
    schema: Schema | None = None
    encoding: Mapping[str, str] = field(default_factory=dict)
    files: frozenset[str] = frozenset()
    styles: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    """One documented response: status ("200", "2XX", "default"), media type and parser."""

    status: str
    content_type: str | None
    kind: str  # json | sse | binary | text | empty
    schema: Schema | None = None
    error: type[APIStatusError] | None = None
    sentinel: str | None = None


@dataclass(frozen=True, slots=True)
class Server:
    """A server URL template and its variables: name -> (default, allowed values)."""

    url: str
    variables: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def resolve(self, values: Mapping[str, str] | None = None) -> str:
        """The URL with every `{variable}` replaced (given value, else its default)."""
        given = dict(values or {})
        url = self.url
        for name, (default, allowed) in self.variables.items():
            value = str(given.pop(name, default))
            if allowed and value not in allowed:
                options = ", ".join(repr(a) for a in allowed)
                raise ValueError(f"server variable {name!r} must be one of {options}, "
                                 f"not {value!r}")
            url = url.replace("{" + name + "}", value)
        if given:
            known = ", ".join(sorted(self.variables)) or "none"
            raise ValueError(f"unknown server variable(s) {', '.join(sorted(given))}; "
                             f"this server has: {known}")
        return url


def pick_server(servers: tuple[Server, ...], index: int | None,
                variables: Mapping[str, str] | None) -> str:
    """The base URL for `server_index` and `server_variables` (first server by default)."""
    if not servers:
        if index not in (None, 0) or variables:
            raise ValueError("the API declares no servers: pass server_url=")
        return ""
    chosen = 0 if index is None else index
    if not 0 <= chosen < len(servers):
        raise ValueError(f"server_index must be between 0 and {len(servers) - 1}, not {index}")
    return servers[chosen].resolve(variables)


def server_for(op: Operation[Any], default: str) -> str:
    """The operation's own server (relative ones joined to `default`), else `default`."""
    if not op.servers:
        return default
    url = op.servers[0]
    if "://" in url:
        return url
    origin = httpx.URL(default) if "://" in default else None
    if origin is None:
        return url
    if url.startswith("/"):
        return f"{origin.scheme}://{origin.netloc.decode('ascii')}{url}"
    return default.rstrip("/") + "/" + url


# Characters a path template keeps as they are: RFC 3986 pchar plus "/" and the
# braces of `{name}` placeholders; "%" stays so a spec's own %XX escapes survive.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%{}"


_QUERY_SAFE = "-._~!$'()*,;:@/?"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=\-._~%{}]*")


def _path_template(path: str) -> str:
    """The path with literal characters a URL path cannot hold percent-encoded."""
    if _PLAIN_PATH.fullmatch(path):
        return path
    return quote(path, safe=_PATH_SAFE)


class Operation(Generic[T]):
    """Everything the transport needs to call one operation; T is what the call returns."""

    __slots__ = (
        "accept", "body", "cookies", "fixed_query", "headers", "method", "path", "path_params",
        "query", "results", "retries", "security", "servers", "_by_status",
    )

    def __init__(
        self,
        method: str,
        path: str,
        *,
        path_params: tuple[Param, ...] = (),
        query: tuple[Param, ...] = (),
        headers: tuple[Param, ...] = (),
        cookies: tuple[Param, ...] = (),
        body: Body | None = None,
        results: tuple[Result, ...] = (),
        security: tuple[tuple[str, ...], ...] = (),
        servers: tuple[str, ...] = (),
        retries: Mapping[str, Any] | None = None,
    ) -> None:
        self.method = method
        # A spec path is appended to the server URL: a "#..." suffix (used to tell apart
        # operations on one path) is a fragment and never sent; a "?..." part is a query.
        path = path.split("#", 1)[0]
        path, _, fixed = path.partition("?")
        self.path = _path_template(path)
        self.fixed_query = quote(fixed, safe="=&+%" + _QUERY_SAFE) if fixed else ""
        self.path_params = path_params
        self.query = query
        self.headers = headers
        self.cookies = cookies
        self.body = body
        self.results = results
        self.security = security
        self.servers = servers
        self.retries = retries
        success = [r.content_type for r in results if r.error is None and r.content_type]
        self.accept = ", ".join(dict.fromkeys(success)) or "application/json"
        self._by_status: dict[str, list[Result]] = {}
        for result in results:
            self._by_status.setdefault(result.status.upper(), []).append(result)

    def variants(self, *bodies: Body) -> dict[str, Operation[T]]:
        """Content type -> operation, for a request body offered in several media types."""
        out: dict[str, Operation[T]] = {}
        for body in (self.body, *bodies):
            if body is None:
                continue
            variant = copy.copy(self)
            variant.body = body
            out[body.content_type] = variant
        return out

    def match(self, status: int, content_type: str | None) -> Result | None:
        """The documented response for a status code and Content-Type, if any."""
        candidates = (
            self._by_status.get(str(status))
            or self._by_status.get(f"{status // 100}XX")
            or self._by_status.get("DEFAULT")
        )
        if not candidates:
            return None
        if len(candidates) == 1 or not content_type:
            return candidates[0]
        media = content_type.split(";", 1)[0].strip().lower()
        for candidate in candidates:
            if candidate.content_type and candidate.content_type.lower() == media:
                return candidate
        for candidate in candidates:
            if candidate.content_type and _compatible(candidate.content_type, media):
                return candidate
        return candidates[0]


def _compatible(pattern: str, media: str) -> bool:
    pattern = pattern.lower()
    if pattern in ("*/*", media):
        return True
    if pattern.endswith("/*"):
        return media.startswith(pattern[:-1])
    return pattern.endswith("+json") and media == "application/json"


ErrorFactory = Callable[..., APIStatusError]
