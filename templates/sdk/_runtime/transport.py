"""Timeouts and the direct construction of httpx requests (the cheap part of every call)."""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx

from .unset import UNSET, Unset

__all__ = [
    "DEFAULT_TIMEOUT",
    "Timeout",
    "new_request",
    "timeout_extension",
    "to_httpx_timeout",
]


@dataclass(frozen=True, slots=True)
class Timeout:
    """Timeouts in milliseconds; None means no limit for that phase.

    ``connect_ms`` bounds opening a connection; ``read_ms`` bounds every wait for data
    from the server (for a streamed response: the wait for each chunk, not the whole
    stream); ``write_ms`` and ``pool_ms`` (waiting for a free pooled connection)
    default to ``read_ms``.
    """

    read_ms: int | None = 60_000
    connect_ms: int | None = 10_000
    write_ms: int | None | Unset = UNSET
    pool_ms: int | None | Unset = UNSET
    httpx_timeout: httpx.Timeout = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        read = _seconds(self.read_ms)
        write = read if isinstance(self.write_ms, Unset) else _seconds(self.write_ms)
        pool = read if isinstance(self.pool_ms, Unset) else _seconds(self.pool_ms)
        value = httpx.Timeout(
            connect=_seconds(self.connect_ms), read=read, write=write, pool=pool
        )
        object.__setattr__(self, "httpx_timeout", value)


def _seconds(ms: int | None) -> float | None:
    return None if ms is None else ms / 1000


def to_httpx_timeout(
    value: int | float | Timeout | httpx.Timeout | None,
) -> httpx.Timeout | None:
    """An httpx.Timeout from milliseconds (every phase), a Timeout, or an httpx.Timeout."""
    if value is None:
        return None
    if isinstance(value, Timeout):
        return value.httpx_timeout
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(value / 1000)


def timeout_extension(value: int | Timeout | httpx.Timeout) -> dict[str, float | None]:
    """The "timeout" request extension httpx reads, for a per-call timeout."""
    timeout = to_httpx_timeout(value)
    assert timeout is not None
    return timeout.as_dict()


DEFAULT_TIMEOUT = Timeout().httpx_timeout

# Parsed URLs (immutable) of recent calls: most operations call the same URL every time.
_URLS: dict[str, httpx.URL] = {}
_URL_CACHE_SIZE = 512
_JOIN_LIMIT = 4 * 1024 * 1024


def new_request(
    http: httpx.Client | httpx.AsyncClient,
    method: str,
    url: str,
    headers: dict[str, str],
    timeout: dict[str, float | None],
    extra: dict[str, Any],
) -> httpx.Request:
    """What http.build_request makes, for a fraction of its cost.

    build_request re-merges the client's headers, cookies, params and base URL through
    several intermediate objects on every call. For an absolute URL and a client with
    no default params or cookies only the headers need merging: the client's defaults
    (those we do not set) first, then ours, as httpx orders them. Small multipart
    bodies are joined up front: httpx would write each part piece by piece (a dozen
    small socket writes) and the joined bytes replay as they are on a retry.
    """
    if "files" in extra:
        encoded = encode_parts(extra["files"])
        if encoded is not None:
            body, content_type = encoded
            extra = {"content": body}
            if not any(name.lower() == "content-type" for name in headers):
                headers = {**headers, "content-type": content_type}
    if http.params or http.cookies or not url.startswith(("https://", "http://")):
        request = http.build_request(
            method, url, headers=headers, extensions={"timeout": timeout}, **extra
        )
    else:
        ours = {name.lower() for name in headers}
        merged = [(k, v) for k, v in http.headers.multi_items() if k not in ours]
        merged.extend(headers.items())
        parsed = _URLS.get(url)
        if parsed is None:
            if len(_URLS) >= _URL_CACHE_SIZE:
                _URLS.clear()
            parsed = _URLS[url] = httpx.URL(url)
        request = httpx.Request(
            method, parsed, headers=merged, extensions={"timeout": timeout}, **extra
        )
    if "files" in extra and _small(request):
        request.read()
    return request


# As httpx (and the HTML standard) escape names in Content-Disposition parameters.
_FORM_ESCAPES = {'"': "%22", "\\": "\\\\"}
_FORM_ESCAPES.update({chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B})
_FORM_ESCAPE = re.compile("|".join(re.escape(c) for c in _FORM_ESCAPES))


def _form_param(name: str, value: str) -> bytes:
    escaped = _FORM_ESCAPE.sub(lambda m: _FORM_ESCAPES[m.group(0)], value)
    return f'{name}="{escaped}"'.encode()


def encode_parts(parts: Any) -> tuple[bytes, str] | None:
    """A multipart/form-data body and its Content-Type, byte for byte as httpx writes it.

    Only for parts held in memory (``(filename, bytes[, content_type])`` tuples, as
    encode.py makes them); None otherwise, and httpx streams the parts. httpx builds a
    field object per part and writes each piece separately; joining here costs a
    fraction and leaves one buffer that goes out in one write and replays on retry.
    """
    if not isinstance(parts, list):
        return None
    boundary = os.urandom(16).hex().encode("ascii")
    chunks: list[bytes] = []
    for name, value in parts:
        if not isinstance(value, tuple) or len(value) not in (2, 3):
            return None
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) == 3 else None
        if isinstance(content, str):
            content = content.encode()
        if not isinstance(content, bytes) or not isinstance(name, str):
            return None
        if content_type is None and filename:
            content_type = (
                mimetypes.guess_type(filename)[0] or "application/octet-stream"
            )
        head = b"Content-Disposition: form-data; " + _form_param("name", name)
        if filename:
            head += b"; " + _form_param("filename", filename)
        if content_type is not None:
            head += b"\r\nContent-Type: " + content_type.encode()
        chunks.extend((b"--", boundary, b"\r\n", head, b"\r\n\r\n", content, b"\r\n"))
    chunks.extend((b"--", boundary, b"--\r\n"))
    return b"".join(chunks), "multipart/form-data; boundary=" + boundary.decode("ascii")


def _small(request: httpx.Request) -> bool:
    """True for a body of known length up to 4 MiB (worth joining into one buffer)."""
    length = request.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) <= _JOIN_LIMIT


def with_credentials(url: str, pieces: tuple[list[str], ...]) -> str:
    """A next-page URL with the query credentials it does not carry yet."""
    present = {name for name, _ in httpx.URL(url).params.multi_items()}
    missing = [
        piece
        for group in pieces
        for piece in group
        if unquote(piece.split("=", 1)[0]) not in present
    ]
    if not missing:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(missing)
