"""Remote `$ref` documents: fetched only from URL prefixes the user allowed, with limits.

With no allowed prefixes (the default) the generator never opens a connection.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .limits import Limits
from .shown import quoted

_SCHEMES = ("http", "https")


def is_url(text: str) -> bool:
    """True for an absolute http(s) URL."""
    return urlsplit(text).scheme.lower() in _SCHEMES


def normalise(url: str) -> str:
    """The URL without its fragment, scheme and host lower-cased (the identity of a document)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def allowed(url: str, limits: Limits) -> bool:
    """True when `url` is under one of the allowed prefixes (whole path segments only)."""
    url = normalise(url)
    for given in limits.allowed_urls:
        prefix = normalise(given)
        if url == prefix or (
            url.startswith(prefix) and (prefix.endswith("/") or url[len(prefix)] in "/?")
        ):
            return True
    return False


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed URL."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if not allowed(newurl, self.limits):
            raise ValueError(
                f"{quoted(req.full_url)} redirects to {quoted(newurl)}, which is not allowed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, limits: Limits) -> bytes:
    """The body at `url` (raises ValueError: not allowed, unreachable, or too large)."""
    if not allowed(url, limits):
        raise ValueError(
            f"remote reference {quoted(url)} is not fetched; download it next to the spec"
            + (" or allow its URL" if limits.allowed_urls else "")
        )
    opener = urllib.request.build_opener(_Redirects(limits))
    request = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    try:
        with opener.open(request, timeout=limits.fetch_timeout) as response:
            body: bytes = response.read(limits.max_document_bytes + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise ValueError(f"cannot fetch {quoted(url)}: {reason}") from None
    if len(body) > limits.max_document_bytes:
        raise ValueError(
            f"{quoted(url)} is larger than the limit of {limits.max_document_bytes} bytes"
        )
    return body
