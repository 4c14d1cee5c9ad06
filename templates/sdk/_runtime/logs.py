"""Debug logging of requests through `logging`, with credentials redacted.

One line per attempt start and one per outcome: method, URL, attempt number, status
(or the connection error), elapsed time and the retry delay. Authorisation headers,
cookies, API keys and credential query parameters never reach the log.
"""

from __future__ import annotations

import logging
import os
import re
import time

import httpx

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
    }
)
# Header or query names that carry credentials whatever the API calls them.
_SECRET_NAME = re.compile(
    r"auth|token|secret|passw|key|sig|session|credential|jwt|bearer", re.IGNORECASE
)
_TRUE = frozenset({"1", "true", "yes", "on", "debug"})


def is_secret(name: str, secret: frozenset[str] = SECRET_HEADERS) -> bool:
    """True for header/parameter names whose values must not be logged."""
    return name.lower() in secret or _SECRET_NAME.search(name) is not None


def redacted_headers(
    headers: httpx.Headers, secret: frozenset[str] = SECRET_HEADERS
) -> dict[str, str]:
    """Headers with credential values replaced (for logs and error messages)."""
    return {
        name: (REDACTED if is_secret(name, secret) else value)
        for name, value in headers.items()
    }


def redacted_url(url: httpx.URL, secret_params: frozenset[str] = frozenset()) -> str:
    """The URL without user info, with values of credential query parameters replaced."""
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    if not url.query:
        return str(url)
    params = [
        (name, REDACTED if name in secret_params or is_secret(name) else value)
        for name, value in url.params.multi_items()
    ]
    return str(url.copy_with(params=params))


def log_request(
    logger: logging.Logger,
    request: httpx.Request,
    attempt: int,
    secret_params: frozenset[str] = frozenset(),
) -> None:
    """Log the start of an attempt (method, redacted URL and headers) at DEBUG."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request %s %s attempt=%d headers=%s",
            request.method,
            redacted_url(request.url, secret_params),
            attempt,
            redacted_headers(request.headers),
        )


def log_outcome(
    logger: logging.Logger,
    request: httpx.Request,
    response: httpx.Response | None,
    error: BaseException | None,
    attempt: int,
    started: float,
    retry_in: float | None,
    secret_params: frozenset[str] = frozenset(),
) -> None:
    """Log how one attempt ended: status or error, elapsed time, and any retry delay."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    elapsed = time.monotonic() - started
    status: object = (
        response.status_code if response is not None else type(error).__name__
    )
    retry = "" if retry_in is None else f"; retrying in {retry_in:.3f}s"
    logger.debug(
        "response %s %s attempt=%d status=%s elapsed=%.3fs%s",
        request.method,
        redacted_url(request.url, secret_params),
        attempt,
        status,
        elapsed,
        retry,
    )


def env_logger(variable: str, name: str) -> logging.Logger | None:
    """A DEBUG logger to stderr when the environment variable is set to a true value."""
    if os.environ.get(variable, "").strip().lower() not in _TRUE:
        return None
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger
