"""Security schemes: which credentials a request carries, and where.

A requirement (one entry of an operation's `security` list) is a tuple of scheme keys
that must all be used together; the empty tuple means the operation may be called
anonymously. The first requirement whose every credential is configured wins;
requirements that would need one header twice for two different credentials (say
basic and bearer, both in Authorization) cannot be sent and are skipped.

OAuth2 client credentials (RFC 6749 section 4.4): the token is fetched from the token
URL with HTTP Basic client authentication (section 2.3.1), cached, and fetched again
`refresh_margin` seconds before it expires. Sync calls fetch it with the sync httpx
client; async calls fetch it with the async client before building the request
(`prepare_async`), so the event loop never blocks.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

import httpx

from .errors import APIError, SDKError
from .params import cookie_param, query_param


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


class ClientCredentials:
    """An OAuth2 client-credentials grant: a cached access token, refreshed before expiry."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scopes: tuple[str, ...] = (),
        refresh_margin: float = 60.0,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = scopes
        self.refresh_margin = refresh_margin
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def cached(self) -> str | None:
        """The current token, or None when there is none or it is about to expire."""
        if self._token is not None and time.monotonic() < self._expires_at:
            return self._token
        return None

    def token(self, http: httpx.Client, base_url: str) -> str:
        """A valid access token, fetched with `http` when the cached one is stale."""
        with self._lock:
            current = self.cached()
            if current is not None:
                return current
            response = http.send(self._request(http, base_url))
            try:
                response.read()
            finally:
                response.close()
            return self._store(response)

    async def token_async(self, http: httpx.AsyncClient, base_url: str) -> str:
        """Async variant of token()."""
        current = self.cached()
        if current is not None:
            return current
        response = await http.send(self._request(http, base_url))
        try:
            await response.aread()
        finally:
            await response.aclose()
        return self._store(response)

    def _request(self, http: httpx.Client | httpx.AsyncClient, base_url: str) -> httpx.Request:
        url = self.token_url
        if "://" not in url:  # relative to the API's server URL
            url = urljoin(base_url.rstrip("/") + "/", url.lstrip("/"))
        form = "grant_type=client_credentials"
        if self.scopes:
            form += "&scope=" + quote(" ".join(self.scopes), safe="")
        pair = f"{quote(self.client_id, safe='')}:{quote(self.client_secret, safe='')}"
        secret = base64.b64encode(pair.encode()).decode("ascii")
        headers = {
            "authorization": f"Basic {secret}",
            "content-type": "application/x-www-form-urlencoded",
            "accept": "application/json",
        }
        return http.build_request("POST", url, headers=headers, content=form.encode())

    def _store(self, response: httpx.Response) -> str:
        if not response.is_success:
            raise APIError("OAuth2 token request failed", response)
        try:
            payload = response.json()
            token = str(payload["access_token"])
        except (ValueError, KeyError, TypeError) as problem:
            raise APIError(f"OAuth2 token response has no access_token ({problem!r})",
                           response) from problem
        lifetime = payload.get("expires_in")
        if isinstance(lifetime, int | float) and not isinstance(lifetime, bool):
            margin = min(self.refresh_margin, float(lifetime) / 2)
            self._expires_at = time.monotonic() + float(lifetime) - margin
        else:
            self._expires_at = float("inf")
        self._token = token
        return token


def _value(scheme: Scheme, credential: Any) -> str:
    if scheme.kind == "basic":
        user, password = credential
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {token}"
    if scheme.kind in ("bearer", "oauth2", "openid"):
        text = str(credential)
        return text if text.lower().startswith("bearer ") else f"Bearer {text}"
    return str(credential)


def _sendable(
    requirement: tuple[str, ...], schemes: Mapping[str, Scheme], credentials: Mapping[str, Any]
) -> bool:
    """False when two schemes of the requirement need one header or cookie for two
    different credentials (say basic and bearer, both in Authorization); the same
    token for two OAuth2 schemes is sent once."""
    seen: dict[tuple[str, str], Any] = {}
    for key in requirement:
        scheme = schemes[key]
        slot = (scheme.location_in, scheme.name.lower() if scheme.location_in == "header"
                else scheme.name)
        credential = (scheme.kind == "basic", credentials[key])
        if slot in seen and seen[slot] != credential:
            return False
        seen[slot] = credential
    return True


def choose(
    requirements: tuple[tuple[str, ...], ...],
    schemes: Mapping[str, Scheme],
    credentials: Mapping[str, Any],
) -> tuple[str, ...]:
    """The requirement to satisfy: the first one fully configured and sendable, else ()."""
    for requirement in requirements:
        if (
            requirement
            and all(credentials.get(key) is not None for key in requirement)
            and _sendable(requirement, schemes, credentials)
        ):
            return requirement
    return ()


def apply(
    requirements: tuple[tuple[str, ...], ...],
    schemes: Mapping[str, Scheme],
    credentials: Mapping[str, Any],
    http: httpx.Client | httpx.AsyncClient | None = None,
    base_url: str = "",
) -> Applied:
    """Headers, query pieces and cookies of the chosen requirement (nothing if none fits).

    An OAuth2 client-credentials credential yields its cached token; with a sync
    `http` client a stale token is fetched first (async callers run prepare_async).
    """
    requirement = choose(requirements, schemes, credentials)
    if not requirement:
        return NOTHING
    headers: list[tuple[str, str]] = []
    query: list[list[str]] = []
    cookies: list[str] = []
    for key in requirement:
        scheme = schemes[key]
        credential = credentials[key]
        if isinstance(credential, ClientCredentials):
            token = credential.cached()
            if token is None and isinstance(http, httpx.Client):
                token = credential.token(http, base_url)
            if token is None:
                raise SDKError("no OAuth2 token: call prepare_async() before building")
            credential = token
        value = _value(scheme, credential)
        if scheme.location_in == "query":
            query.append(query_param(scheme.name, value))
        elif scheme.location_in == "cookie":
            cookies.append(cookie_param(scheme.name, value) or f"{scheme.name}=")
        elif all(name.lower() != scheme.name.lower() for name, _ in headers):
            headers.append((scheme.name, value))
    return Applied(tuple(headers), tuple(query), tuple(cookies))


async def prepare_async(
    requirements: tuple[tuple[str, ...], ...],
    schemes: Mapping[str, Scheme],
    credentials: Mapping[str, Any],
    http: httpx.AsyncClient,
    base_url: str,
) -> None:
    """Fetch the OAuth2 tokens the chosen requirement needs (async, before building)."""
    for key in choose(requirements, schemes, credentials):
        credential = credentials[key]
        if isinstance(credential, ClientCredentials) and credential.cached() is None:
            await credential.token_async(http, base_url)
