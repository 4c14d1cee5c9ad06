"""Hooks: a supported way to add headers, sign requests, log, or rewrite errors."""

from __future__ import annotations

from collections.abc import Callable

import httpx

BeforeRequest = Callable[[httpx.Request], "httpx.Request | None"]
AfterSuccess = Callable[[httpx.Response], "httpx.Response | None"]
AfterError = Callable[
    ["httpx.Response | None", "BaseException | None"], "BaseException | None"
]


class Hooks:
    """Callables run around every request, for sync and async calls alike.

    Hooks are plain (synchronous) functions; async calls run the same hooks.

    - before_request(request): runs before every attempt, retries included (so a
      signature or timestamp is fresh each time); return a new request, or None to keep
      the one given (it may be changed in place, e.g. to add a header);
    - after_success(response): runs once for the final 2XX/3XX response, before it is
      parsed; may return a replacement response;
    - after_error(response, error): runs once when the call fails for good: for an
      error response (``error`` is the SDK error about to be raised) or when no response
      arrived after every retry (``response`` is None, ``error`` the transport error);
      may return an exception to raise instead.
    """

    def __init__(self) -> None:
        self.before_request: list[BeforeRequest] = []
        self.after_success: list[AfterSuccess] = []
        self.after_error: list[AfterError] = []

    def register_before_request(self, hook: BeforeRequest) -> None:
        """Add a before-request hook."""
        self.before_request.append(hook)

    def register_after_success(self, hook: AfterSuccess) -> None:
        """Add an after-success hook."""
        self.after_success.append(hook)

    def register_after_error(self, hook: AfterError) -> None:
        """Add an after-error hook."""
        self.after_error.append(hook)

    def run_before(self, request: httpx.Request) -> httpx.Request:
        """Apply every before-request hook in order."""
        for hook in self.before_request:
            request = hook(request) or request
        return request

    def run_success(self, response: httpx.Response) -> httpx.Response:
        """Apply every after-success hook in order."""
        for hook in self.after_success:
            response = hook(response) or response
        return response

    def run_error(
        self, response: httpx.Response | None, error: BaseException | None
    ) -> BaseException | None:
        """Apply every after-error hook; the last exception a hook returns wins."""
        replacement: BaseException | None = None
        for hook in self.after_error:
            replacement = hook(response, error) or replacement
        return replacement
