"""The transport: build a request, send it with retries and hooks, map the response."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import httpx

from .encode import body_arguments, header_values, query_string, url_path
from .errors import APIConnectionError, APITimeoutError
from .hooks import Hooks
from .logs import log_attempt, log_request
from .operation import Operation
from .responses import async_result, sync_result
from .retries import RetryConfig, RetryState, parse_retry_after
from .security import Scheme, apply
from .unset import UNSET, Unset

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_RETRIES = RetryConfig(max_attempts=3)


class ClientState:
    """Configuration and connections shared by a client and all of its resource groups."""

    def __init__(
        self,
        *,
        server_url: str,
        schemes: Mapping[str, Scheme],
        credentials: Mapping[str, Any],
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        retry_config: RetryConfig | None = DEFAULT_RETRIES,
        timeout_ms: int | None = None,
        hooks: Hooks | None = None,
        user_agent: str = "sdkforge",
        logger: logging.Logger | None = None,
        idempotency_header: str | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.schemes = schemes
        self.credentials = dict(credentials)
        self.retry_config = retry_config
        self.timeout = httpx.Timeout(timeout_ms / 1000) if timeout_ms else DEFAULT_TIMEOUT
        self.hooks = hooks if hooks is not None else Hooks()
        self.logger = logger
        self.user_agent = user_agent
        self.idempotency_header = idempotency_header
        self._client = client
        self._async_client = async_client
        self._owns_client = client is None
        self._owns_async_client = async_client is None

    # -- connections ---------------------------------------------------------------------
    @property
    def client(self) -> httpx.Client:
        """The sync httpx client (created on first use unless one was given)."""
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=True)
        return self._client

    @property
    def async_client(self) -> httpx.AsyncClient:
        """The async httpx client (created on first use unless one was given)."""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=True)
        return self._async_client

    def close(self) -> None:
        """Close the sync connections this client opened (a client you gave stays open)."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close every connection this client opened."""
        self.close()
        if self._async_client is not None and self._owns_async_client:
            await self._async_client.aclose()
            self._async_client = None

    # -- requests ------------------------------------------------------------------------
    def build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        op: Operation[Any],
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: Any,
        server_url: str | None,
        http_headers: Mapping[str, str] | None,
        accept: str | None,
        timeout_ms: int | None,
    ) -> httpx.Request:
        """The httpx request for one call (encoded path, query, headers and body)."""
        base = server_url or (op.servers[0] if op.servers else self.server_url)
        applied = apply(op.security, self.schemes, self.credentials)
        out: dict[str, str] = {"accept": accept or op.accept, "user-agent": self.user_agent}
        for name, value in applied.headers:
            out[name] = value
        if applied.cookies:
            out["cookie"] = "; ".join(applied.cookies)
        header_values(op, headers, cookies, out)
        extra: dict[str, Any] = {}
        if op.body is not None and body is not UNSET and body is not None:
            extra = body_arguments(op.body, body, out)
        if http_headers:
            out.update(http_headers)
        url = base.rstrip("/") + url_path(op, path)
        query_text = query_string(op, query, list(applied.query))
        if query_text:
            url += "?" + query_text
        timeout = httpx.Timeout(timeout_ms / 1000) if timeout_ms else self.timeout
        return http.build_request(op.method, url, headers=out, timeout=timeout, **extra)

    def _retry_config(self, op: Operation[Any], retries: RetryConfig | Unset | None
                      ) -> RetryConfig | None:
        if isinstance(retries, RetryConfig):
            return retries
        if retries is None:
            return None
        if op.retries is not None and self.retry_config is DEFAULT_RETRIES:
            return RetryConfig.from_mapping(op.retries)
        return self.retry_config

    def _may_retry(self, config: RetryConfig | None, request: httpx.Request) -> bool:
        if config is None or not config.enabled:
            return False
        has_key = bool(self.idempotency_header) and self.idempotency_header in request.headers
        return config.allows_method(request.method, has_key)

    def request(self, op: Operation[T], *, path: Mapping[str, Any] | None = None,
                query: Mapping[str, Any] | None = None, headers: Mapping[str, Any] | None = None,
                cookies: Mapping[str, Any] | None = None, body: Any = UNSET,
                retries: RetryConfig | Unset | None = UNSET, timeout_ms: int | None = None,
                server_url: str | None = None, http_headers: Mapping[str, str] | None = None,
                accept: str | None = None) -> T:
        """Call an operation synchronously and return its parsed result."""
        http = self.client
        request = self.build(http, op, path, query, headers, cookies, body, server_url,
                             http_headers, accept, timeout_ms)
        request = self.hooks.run_before(request)
        config = self._retry_config(op, retries)
        response = self._send(http, request, config if self._may_retry(config, request) else None)
        return cast(T, sync_result(op, response, self.hooks))

    def _send(self, http: httpx.Client, request: httpx.Request,
              config: RetryConfig | None) -> httpx.Response:
        state: RetryState | None = None
        started = time.monotonic()
        log_request(self.logger, request)
        while True:
            try:
                response = http.send(request, stream=True)
            except httpx.TransportError as error:
                state = state or (RetryState(config, started) if config else None)
                delay = _connection_delay(config, state)
                log_attempt(self.logger, request, None, started, delay)
                if delay is None:
                    self.hooks.run_error(None, error)
                    raise _connection_error(error, request) from error
                time.sleep(delay)
                continue
            if config is not None and config.retries_status(response.status_code):
                state = state or RetryState(config, started)
                delay = state.next_delay(time.monotonic(), parse_retry_after(
                    response.headers, time.time()))
                log_attempt(self.logger, request, response, started, delay)
                if delay is not None:
                    response.close()
                    time.sleep(delay)
                    continue
            log_attempt(self.logger, request, response, started, None)
            return response

    async def request_async(self, op: Operation[T], *, path: Mapping[str, Any] | None = None,
                            query: Mapping[str, Any] | None = None,
                            headers: Mapping[str, Any] | None = None,
                            cookies: Mapping[str, Any] | None = None, body: Any = UNSET,
                            retries: RetryConfig | Unset | None = UNSET,
                            timeout_ms: int | None = None, server_url: str | None = None,
                            http_headers: Mapping[str, str] | None = None,
                            accept: str | None = None) -> T:
        """Call an operation asynchronously and return its parsed result."""
        http = self.async_client
        request = self.build(http, op, path, query, headers, cookies, body, server_url,
                             http_headers, accept, timeout_ms)
        request = self.hooks.run_before(request)
        config = self._retry_config(op, retries)
        response = await self._send_async(
            http, request, config if self._may_retry(config, request) else None
        )
        return cast(T, await async_result(op, response, self.hooks))

    async def _send_async(self, http: httpx.AsyncClient, request: httpx.Request,
                          config: RetryConfig | None) -> httpx.Response:
        state: RetryState | None = None
        started = time.monotonic()
        log_request(self.logger, request)
        while True:
            try:
                response = await http.send(request, stream=True)
            except httpx.TransportError as error:
                state = state or (RetryState(config, started) if config else None)
                delay = _connection_delay(config, state)
                log_attempt(self.logger, request, None, started, delay)
                if delay is None:
                    self.hooks.run_error(None, error)
                    raise _connection_error(error, request) from error
                await asyncio.sleep(delay)
                continue
            if config is not None and config.retries_status(response.status_code):
                state = state or RetryState(config, started)
                delay = state.next_delay(time.monotonic(), parse_retry_after(
                    response.headers, time.time()))
                log_attempt(self.logger, request, response, started, delay)
                if delay is not None:
                    await response.aclose()
                    await asyncio.sleep(delay)
                    continue
            log_attempt(self.logger, request, response, started, None)
            return response


def _connection_delay(config: RetryConfig | None, state: RetryState | None) -> float | None:
    if config is None or state is None or not config.retry_connection_errors:
        return None
    return state.next_delay(time.monotonic(), None)


def _connection_error(error: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"request timed out: {error!r}", request)
    return APIConnectionError(f"connection failed: {error!r}", request)


