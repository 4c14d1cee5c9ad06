"""The attempt loop: send a request, retry what the policy allows, log each attempt.

The response comes back open; its body is already read unless the operation streams it
(server-sent events, binary downloads), so a connection dropped mid-response is retried
like any connection error and never reaches the parser half-read.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

from .attempts import Attempts, connection_error
from .hooks import Hooks
from .operation import Operation
from .retries import RetryConfig

__all__ = ["Sender", "streamed"]


def streamed(op: Operation[Any], response: httpx.Response) -> bool:
    """True when the call returns the response as a stream (SSE or binary download)."""
    if not response.is_success:
        return False
    result = op.match(response.status_code, response.headers.get("content-type"))
    return (
        result is not None and result.error is None and result.kind in ("sse", "binary")
    )


def attempts_for(
    op: Operation[Any],
    request: httpx.Request,
    body: Any,
    config: RetryConfig | None,
    idempotency: str | None,
) -> Attempts | None:
    """Retry bookkeeping (and the idempotency key), or None when nothing is retried."""
    if config is None or not config.enabled:
        return None
    if idempotency is not None and idempotency not in request.headers:
        import uuid

        request.headers[idempotency] = str(uuid.uuid4())
    return Attempts(config, request, op.body, body, idempotency)


class Sender:
    """Sends requests for one client: its hooks, debug logger and redaction list."""

    __slots__ = ("hooks", "logger", "secret_params")

    def __init__(
        self, hooks: Hooks, logger: logging.Logger | None, secret_params: frozenset[str]
    ) -> None:
        self.hooks = hooks
        self.logger = logger
        self.secret_params = secret_params

    def _failed(
        self, error: httpx.TransportError, request: httpx.Request
    ) -> BaseException:
        """The exception for a transport failure after every retry (hooks may replace it)."""
        replacement = (
            self.hooks.run_error(None, error) if self.hooks.after_error else None
        )
        return replacement or connection_error(error, request)

    def _log(
        self,
        request: httpx.Request,
        outcome: httpx.Response | BaseException | None,
        attempt: int,
        started: float,
        delay: float | None,
    ) -> None:
        """One debug line: an attempt starts (outcome None) or ends."""
        from .logs import log_outcome, log_request

        assert self.logger is not None
        if outcome is None:
            log_request(self.logger, request, attempt, self.secret_params)
            return
        response = outcome if isinstance(outcome, httpx.Response) else None
        error = outcome if isinstance(outcome, BaseException) else None
        log_outcome(
            self.logger,
            request,
            response,
            error,
            attempt,
            started,
            delay,
            self.secret_params,
        )

    def send(
        self,
        http: httpx.Client,
        op: Operation[Any],
        request: httpx.Request,
        body: Any,
        config: RetryConfig | None,
        idempotency: str | None,
    ) -> httpx.Response:
        """Send with retries; raises APIConnectionError/APITimeoutError after the last one."""
        attempts = attempts_for(op, request, body, config, idempotency)
        logging_on = self.logger is not None
        started = time.monotonic()
        attempt = 1
        while True:
            if self.hooks.before_request:
                request = self.hooks.run_before(request)
            if logging_on:
                self._log(request, None, attempt, started, None)
            response: httpx.Response | None = None
            try:
                response = http.send(request, stream=True)
                delay = _status_delay(attempts, response)
                if delay is None:
                    if not streamed(op, response):
                        response.read()
                    if logging_on:
                        self._log(request, response, attempt, started, None)
                    return response
                response.close()
                outcome: httpx.Response | httpx.TransportError = response
            except httpx.TransportError as error:
                if response is not None:
                    response.close()
                delay = attempts.after_error(error) if attempts is not None else None
                if delay is None:
                    if logging_on:
                        self._log(request, error, attempt, started, None)
                    raise self._failed(error, request) from error
                outcome = error
            if logging_on:
                self._log(request, outcome, attempt, started, delay)
            time.sleep(delay)
            attempt += 1

    async def send_async(
        self,
        http: httpx.AsyncClient,
        op: Operation[Any],
        request: httpx.Request,
        body: Any,
        config: RetryConfig | None,
        idempotency: str | None,
    ) -> httpx.Response:
        """Async twin of send."""
        attempts = attempts_for(op, request, body, config, idempotency)
        logging_on = self.logger is not None
        started = time.monotonic()
        attempt = 1
        while True:
            if self.hooks.before_request:
                request = self.hooks.run_before(request)
            if logging_on:
                self._log(request, None, attempt, started, None)
            response: httpx.Response | None = None
            try:
                response = await http.send(request, stream=True)
                delay = _status_delay(attempts, response)
                if delay is None:
                    if not streamed(op, response):
                        await response.aread()
                    if logging_on:
                        self._log(request, response, attempt, started, None)
                    return response
                await response.aclose()
                outcome: httpx.Response | httpx.TransportError = response
            except httpx.TransportError as error:
                if response is not None:
                    await response.aclose()
                delay = attempts.after_error(error) if attempts is not None else None
                if delay is None:
                    if logging_on:
                        self._log(request, error, attempt, started, None)
                    raise self._failed(error, request) from error
                outcome = error
            if logging_on:
                self._log(request, outcome, attempt, started, delay)
            await _sleep(delay)
            attempt += 1


def _status_delay(attempts: Attempts | None, response: httpx.Response) -> float | None:
    """Seconds before retrying a response with a retryable status; None to keep it."""
    if attempts is None or not attempts.config.matcher.matches(response.status_code):
        return None
    return attempts.after_status(response)


async def _sleep(seconds: float) -> None:
    """asyncio.sleep, imported on first use: a sync client never loads asyncio (~20 ms)."""
    import asyncio

    await asyncio.sleep(seconds)
