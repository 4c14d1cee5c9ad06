"""Debug logging of requests with credentials redacted."""

from __future__ import annotations

import logging
import time

import httpx

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)


def redacted_headers(headers: httpx.Headers, secret: frozenset[str] = SECRET_HEADERS
                     ) -> dict[str, str]:
    """Headers with credential values replaced (for logs and error messages)."""
    return {
        name: (REDACTED if name.lower() in secret or "token" in name.lower()
               or "secret" in name.lower() or "key" in name.lower() else value)
        for name, value in headers.items()
    }


def redacted_url(url: httpx.URL, secret_params: frozenset[str] = frozenset()) -> str:
    """The URL with query values of credential parameters replaced."""
    if not url.query or not secret_params:
        return str(url)
    params = [(k, REDACTED if k in secret_params else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


def log_request(logger: logging.Logger | None, request: httpx.Request) -> None:
    """Log the start of a request (method, URL, redacted headers) at DEBUG."""
    if logger is not None and logger.isEnabledFor(logging.DEBUG):
        logger.debug("request %s %s headers=%s", request.method, request.url,
                     redacted_headers(request.headers))


def log_attempt(logger: logging.Logger | None, request: httpx.Request,
                response: httpx.Response | None, started: float, retry_in: float | None) -> None:
    """Log the outcome of one attempt (status, elapsed, whether and when it is retried)."""
    if logger is None or not logger.isEnabledFor(logging.DEBUG):
        return
    elapsed = time.monotonic() - started
    status = response.status_code if response is not None else "connection error"
    if retry_in is None:
        logger.debug("response %s %s -> %s after %.3fs", request.method, request.url, status,
                     elapsed)
    else:
        logger.debug("response %s %s -> %s after %.3fs; retrying in %.3fs", request.method,
                     request.url, status, elapsed, retry_in)


def env_logger(variable: str, name: str) -> logging.Logger | None:
    """A DEBUG logger to stderr when the environment variable is set to a true value."""
    import os

    if os.environ.get(variable, "").strip().lower() not in ("1", "true", "yes", "on"):
        return None
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger
