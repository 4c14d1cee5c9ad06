"""Security schemes: which credentials a request carries, and where."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .params import query_param


@dataclass(frozen=True, slots=True)
class Scheme:
    """One security scheme: kind (bearer, basic, api_key, oauth2, openid) and placement."""

    kind: str
    location_in: str = "header"
    name: str = "Authorization"


@dataclass(frozen=True, slots=True)
class Applied:
    """What the chosen credentials add to a request."""

    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[list[str], ...] = ()
    cookies: tuple[str, ...] = ()


NOTHING = Applied()


def _value(scheme: Scheme, credential: Any) -> str:
    if scheme.kind == "basic":
        user, password = credential
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {token}"
    if scheme.kind in ("bearer", "oauth2", "openid"):
        text = str(credential)
        return text if text.lower().startswith("bearer ") else f"Bearer {text}"
    return str(credential)


def apply(
    requirements: tuple[tuple[str, ...], ...],
    schemes: Mapping[str, Scheme],
    credentials: Mapping[str, Any],
) -> Applied:
    """Credentials for the first requirement whose every scheme has a credential.

    A requirement is a tuple of scheme keys that must all be used together; an empty
    tuple means the operation may be called anonymously.
    """
    for requirement in requirements:
        if not all(credentials.get(key) is not None for key in requirement):
            continue
        headers: list[tuple[str, str]] = []
        query: list[list[str]] = []
        cookies: list[str] = []
        for key in requirement:
            scheme = schemes[key]
            value = _value(scheme, credentials[key])
            if scheme.location_in == "query":
                query.append(query_param(scheme.name, value))
            elif scheme.location_in == "cookie":
                cookies.append(f"{scheme.name}={value}")
            else:
                headers.append((scheme.name, value))
        return Applied(tuple(headers), tuple(query), tuple(cookies))
    return NOTHING
