"""Security schemes -> client constructor arguments and environment variables."""

from __future__ import annotations

from typing import Any

from . import names
from .nodes import SecurityScheme
from .schemas import SchemaRegistry

_KINDS = {"bearer", "basic", "api_key", "oauth2", "openid"}


def _kind(scheme: dict[str, Any]) -> str | None:
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        return "basic" if http == "basic" else "bearer"
    if kind == "apiKey":
        return "api_key"
    if kind == "oauth2":
        return "oauth2"
    if kind == "openIdConnect":
        return "openid"
    return None


def _argument_names(key: str, kind: str, single: bool, token_url: str) -> tuple[str, ...]:
    """Constructor arguments of a scheme: a secret, a user and password, or client keys."""
    base = "" if single else names.snake(key, prefix="auth") + "_"
    if kind == "basic":
        return (f"{base}username", f"{base}password")
    if kind == "oauth2" and token_url:
        return (f"{base}client_id", f"{base}client_secret")
    if kind in ("oauth2", "openid"):
        return ("access_token",) if single else (names.snake(key, prefix="auth"),)
    return ("api_key",) if single else (names.snake(key, prefix="auth"),)


def build_security(reg: SchemaRegistry, env_prefix: str) -> tuple[SecurityScheme, ...]:
    """One SecurityScheme per supported entry of `components/securitySchemes`, sorted by key."""
    components = reg.spec.data.get("components") or {}
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(raw, dict):
        return ()
    found: list[tuple[str, dict[str, Any], str]] = []
    for key in sorted(raw):
        scheme = raw[key]
        if isinstance(scheme, dict) and "$ref" in scheme:
            try:
                scheme = reg.spec.resolve(str(scheme["$ref"]), reg.spec.root_key).value
            except ValueError:
                continue
        kind = _kind(scheme) if isinstance(scheme, dict) else None
        if kind is not None:
            found.append((str(key), scheme, kind))
    scope = names.Scope(
        (
            "server_url",
            "client",
            "async_client",
            "retry_config",
            "timeout_ms",
            "hooks",
            "debug_logger",
            "self",
            "server",
            "url_params",
            "server_index",
            "server_variables",
        )
    )
    schemes = []
    for key, scheme, kind in found:
        token_url = _token_url(scheme)
        wanted = _argument_names(key, kind, len(found) == 1, token_url)
        arguments = tuple(scope.claim(a) for a in wanted)
        schemes.append(
            SecurityScheme(
                key=key,
                kind=kind,
                arguments=arguments,
                env_vars=tuple(f"{env_prefix}_{a.upper()}" for a in arguments),
                location_in=str(scheme.get("in", "header")),
                param_name=str(scheme.get("name", "Authorization")),
                token_url=token_url,
                scopes=_scopes(scheme),
                description=str(scheme.get("description") or ""),
            )
        )
    return tuple(schemes)


def _token_url(scheme: dict[str, Any]) -> str:
    flows = scheme.get("flows")
    if isinstance(flows, dict):
        flow = flows.get("clientCredentials")
        if isinstance(flow, dict) and isinstance(flow.get("tokenUrl"), str):
            return str(flow["tokenUrl"])
    return ""


def _scopes(scheme: dict[str, Any]) -> tuple[str, ...]:
    flows = scheme.get("flows")
    if isinstance(flows, dict):
        flow = flows.get("clientCredentials")
        if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
            return tuple(sorted(str(s) for s in flow["scopes"]))
    return ()


def requirements(value: Any) -> tuple[tuple[str, ...], ...]:
    """Security requirement alternatives as tuples of scheme keys (`()` means anonymous)."""
    if not isinstance(value, list):
        return ()
    out = []
    for entry in value:
        if isinstance(entry, dict):
            out.append(tuple(sorted(str(k) for k in entry)))
    return tuple(out)
