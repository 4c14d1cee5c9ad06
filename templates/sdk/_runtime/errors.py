"""Exceptions raised by the SDK; every one derives from SDKError."""

from __future__ import annotations

from typing import Any

import httpx


class SDKError(Exception):
    """Base class of every error the SDK raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIError(SDKError):
    """The server answered with an error status (or a response the operation does not document).

    Carries the status code, the headers, the raw body text and the httpx response.
    """

    def __init__(self, message: str, response: httpx.Response, body: str | None = None) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.raw_response = response
        self.body = body if body is not None else _text(response)
        super().__init__(f"{message}: Status {self.status_code}. Body: {_short(self.body)}")


class APIStatusError(APIError):
    """An error response documented by the operation; `data` holds its parsed body.

    Generated subclasses (one per error model of the spec, in the package's `errors`
    module) narrow `data` to that model; they are raised only when the body parsed.
    """

    data: Any = None

    def __init__(
        self, message: str, response: httpx.Response, body: str | None = None, data: Any = None
    ) -> None:
        super().__init__(message, response, body)
        self.data = data


class ResponseValidationError(SDKError):
    """A success response whose body does not match the documented schema."""

    def __init__(self, message: str, response: httpx.Response, cause: Exception) -> None:
        self.raw_response = response
        self.status_code = response.status_code
        self.body = _text(response)
        self.cause = cause
        super().__init__(f"{message}: {cause}")


class APIConnectionError(SDKError):
    """The request could not be sent or no response arrived (after every retry)."""

    def __init__(self, message: str, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (after every retry)."""


def _text(response: httpx.Response) -> str:
    try:
        return response.text
    except (httpx.ResponseNotRead, httpx.StreamError, UnicodeDecodeError):
        return ""


def _short(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
