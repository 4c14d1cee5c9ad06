"""The client's shared state: configuration, connections, and one call from arguments to result.

Hot path (one call, first attempt succeeds): encode the request (transport.py), run the
hooks if any, send and read (sending.py), parse (responses.py). Retry bookkeeping, body
replay checks, logging and idempotency keys only cost anything when they are
configured or a retry is actually considered.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import httpx

from .encode import body_arguments, header_values, query_string, url_path
from .errors import SDKError
from .hooks import Hooks
from .operation import Operation, server_for
from .pagination import AsyncPage, Call, Page, Pagination, items_of, next_call
from .responses import async_result, sync_result
from .retries import RetryConfig
from .security import Scheme, apply, prepare_async
from .sending import Sender
from .transport import (
    DEFAULT_TIMEOUT,
    Timeout,
    new_request,
    timeout_extension,
    to_httpx_timeout,
    with_credentials,
)
from .unset import UNSET, Unset

T = TypeVar("T")

__all__ = [
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "ClientState",
    "Timeout",
    "to_httpx_timeout",
]


DEFAULT_RETRIES = RetryConfig(max_attempts=3)
_SPEC_RETRIES: dict[Operation[Any], RetryConfig] = {}


def _spec_retries(op: Operation[Any]) -> RetryConfig:
    """The operation's retry policy from the spec, converted once."""
    config = _SPEC_RETRIES.get(op)
    if config is None:
        config = _SPEC_RETRIES[op] = RetryConfig.from_mapping(op.retries or {})
    return config


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
        timeout_ms: int | Timeout | None = None,
        hooks: Hooks | None = None,
        user_agent: str = "sdkforge",
        logger: logging.Logger | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.schemes = schemes
        self.credentials = dict(credentials)
        self.retry_config = retry_config
        self.timeout = to_httpx_timeout(timeout_ms) or DEFAULT_TIMEOUT
        self._timeout = self.timeout.as_dict()  # the request extension, built once
        self.hooks = hooks if hooks is not None else Hooks()
        self.logger = logger
        self.user_agent = user_agent
        # Query parameters that carry credentials, redacted in debug logs.
        self.secret_params = frozenset(
            s.name for s in schemes.values() if s.location_in == "query"
        )
        self.sender = Sender(self.hooks, logger, self.secret_params)
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
            self._async_client = httpx.AsyncClient(
                timeout=self.timeout, follow_redirects=True
            )
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
        timeout_ms: int | Timeout | None,
        url: str | None = None,
    ) -> httpx.Request:
        """The httpx request for one call (encoded path, query, headers and body)."""
        applied = apply(
            op.security, self.schemes, self.credentials, http, self.server_url
        )
        out: dict[str, str] = {
            "accept": accept or op.accept,
            "user-agent": self.user_agent,
        }
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
        if url is None:
            base = server_url or server_for(op, self.server_url)
            url = base.rstrip("/") + url_path(op, path)
            query_text = query_string(op, query, list(applied.query))
            if query_text:
                url += "?" + query_text
        elif applied.query:
            url = with_credentials(url, applied.query)
        timeout = self._timeout if timeout_ms is None else timeout_extension(timeout_ms)
        return new_request(http, op.method, url, out, timeout, extra)

    def config_for(
        self, op: Operation[Any], retries: RetryConfig | Unset | None
    ) -> RetryConfig | None:
        """The retry policy of one call: per call, then client, then spec, then default."""
        if retries is None or isinstance(retries, RetryConfig):
            return retries
        if op.retries is not None and self.retry_config is DEFAULT_RETRIES:
            return _spec_retries(op)
        return self.retry_config

    def request(
        self,
        op: Operation[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        retries: RetryConfig | Unset | None = UNSET,
        timeout_ms: int | Timeout | None = None,
        server_url: str | None = None,
        http_headers: Mapping[str, str] | None = None,
        accept: str | None = None,
        idempotency: str | None = None,
    ) -> T:
        """Call an operation synchronously and return its parsed result."""
        http = self._client or self.client
        request = self.build(
            http,
            op,
            path,
            query,
            headers,
            cookies,
            body,
            server_url,
            http_headers,
            accept,
            timeout_ms,
        )
        config = self.config_for(op, retries)
        response = self.sender.send(http, op, request, body, config, idempotency)
        try:
            return cast(T, sync_result(op, response, self.hooks))
        except BaseException:
            response.close()
            raise

    async def request_async(
        self,
        op: Operation[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        retries: RetryConfig | Unset | None = UNSET,
        timeout_ms: int | Timeout | None = None,
        server_url: str | None = None,
        http_headers: Mapping[str, str] | None = None,
        accept: str | None = None,
        idempotency: str | None = None,
    ) -> T:
        """Call an operation asynchronously and return its parsed result."""
        http = self._async_client or self.async_client
        await prepare_async(
            op.security, self.schemes, self.credentials, http, self.server_url
        )
        request = self.build(
            http,
            op,
            path,
            query,
            headers,
            cookies,
            body,
            server_url,
            http_headers,
            accept,
            timeout_ms,
        )
        config = self.config_for(op, retries)
        response = await self.sender.send_async(
            http, op, request, body, config, idempotency
        )
        try:
            return cast(T, await async_result(op, response, self.hooks))
        except BaseException:
            await response.aclose()
            raise

    # -- pagination ----------------------------------------------------------------------
    def paginate(
        self, op: Operation[T], pagination: Pagination, **arguments: Any
    ) -> Page[T, Any]:
        """Call a paginated operation; the page fetches the pages after it on demand."""
        return self._page(op, pagination, Call(**arguments))

    def _page(
        self, op: Operation[T], pagination: Pagination, call: Call
    ) -> Page[T, Any]:
        if call.refused:
            raise SDKError(call.refused)
        http = self._client or self.client
        request = self._build_call(http, op, call)
        config = self.config_for(op, call.retries)
        response = self.sender.send(
            http, op, request, call.body, config, call.idempotency
        )
        try:
            result = cast(T, sync_result(op, response, self.hooks))
        finally:
            response.close()
        following = next_call(pagination, call, result, response)
        fetch = None
        if following is not None:

            def fetch() -> Page[T, Any]:
                return self._page(op, pagination, following)

        return Page(result, items_of(pagination, result), fetch)

    async def paginate_async(
        self, op: Operation[T], pagination: Pagination, **arguments: Any
    ) -> AsyncPage[T, Any]:
        """Async twin of paginate."""
        return await self._page_async(op, pagination, Call(**arguments))

    async def _page_async(
        self, op: Operation[T], pagination: Pagination, call: Call
    ) -> AsyncPage[T, Any]:
        if call.refused:
            raise SDKError(call.refused)
        http = self._async_client or self.async_client
        await prepare_async(
            op.security, self.schemes, self.credentials, http, self.server_url
        )
        request = self._build_call(http, op, call)
        config = self.config_for(op, call.retries)
        response = await self.sender.send_async(
            http, op, request, call.body, config, call.idempotency
        )
        try:
            result = cast(T, await async_result(op, response, self.hooks))
        finally:
            await response.aclose()
        following = next_call(pagination, call, result, response)
        fetch = None
        if following is not None:

            async def fetch() -> AsyncPage[T, Any]:
                return await self._page_async(op, pagination, following)

        return AsyncPage(result, items_of(pagination, result), fetch)

    def _build_call(
        self, http: httpx.Client | httpx.AsyncClient, op: Operation[Any], call: Call
    ) -> httpx.Request:
        return self.build(
            http,
            op,
            call.path,
            call.query,
            call.headers,
            call.cookies,
            UNSET if call.body is None else call.body,
            call.server_url,
            call.http_headers,
            call.accept,
            call.timeout_ms,
            call.url,
        )
