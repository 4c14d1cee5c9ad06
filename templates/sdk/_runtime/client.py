"""The transport: build a request, send it with retries and hooks, map the response.

Hot path (one call, first attempt succeeds): encode the request, run the hooks if any,
send, read and parse. Retry bookkeeping, body replay checks, logging and idempotency
keys only cost anything when they are configured or a retry is actually considered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from urllib.parse import unquote

import httpx

from .encode import body_arguments, header_values, query_string, url_path
from .errors import SDKError
from .hooks import Hooks
from .operation import Operation, server_for
from .pagination import AsyncPage, Call, Page, Pagination, items_of, next_call
from .attempts import Attempts, connection_error
from .responses import async_result, sync_result
from .retries import RetryConfig
from .security import Scheme, apply, prepare_async
from .unset import UNSET, Unset

T = TypeVar("T")

__all__ = ["DEFAULT_RETRIES", "DEFAULT_TIMEOUT", "ClientState", "Timeout"]


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


DEFAULT_TIMEOUT = Timeout().httpx_timeout
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
            url = _with_credentials(url, applied.query)
        timeout = (
            self._timeout if timeout_ms is None else _timeout_extension(timeout_ms)
        )
        request = _new_request(http, op.method, url, out, timeout, extra)
        if "files" in extra and _small(request):
            # httpx streams multipart bodies part by part (a dozen small socket writes);
            # joined once, a small body goes out in one write and replays as bytes.
            request.read()
        return request

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
        response = self._send(http, op, request, body, config, idempotency)
        try:
            return cast(T, sync_result(op, response, self.hooks))
        except BaseException:
            response.close()
            raise

    def _attempts(
        self,
        op: Operation[Any],
        request: httpx.Request,
        body: Any,
        config: RetryConfig | None,
        idempotency: str | None,
    ) -> Attempts | None:
        """Retry bookkeeping, or None when this request is never retried."""
        if config is None or not config.enabled:
            return None
        if idempotency is not None and idempotency not in request.headers:
            import uuid

            request.headers[idempotency] = str(uuid.uuid4())
        return Attempts(config, request, op.body, body, idempotency)

    def _send(
        self,
        http: httpx.Client,
        op: Operation[Any],
        request: httpx.Request,
        body: Any,
        config: RetryConfig | None,
        idempotency: str | None,
    ) -> httpx.Response:
        """Send with retries; the response is open, its body read unless it is streamed."""
        attempts = self._attempts(op, request, body, config, idempotency)
        before = self.hooks.before_request
        logger = self.logger
        started = time.monotonic()
        attempt = 1
        while True:
            if before:
                request = self.hooks.run_before(request)
            if logger is not None:
                _log_start(self, request, attempt)
            try:
                response = http.send(request, stream=True)
            except httpx.TransportError as error:
                delay = attempts.after_error(error) if attempts is not None else None
                self._log_end(request, None, error, attempt, started, delay)
                if delay is None:
                    replacement = (
                        self.hooks.run_error(None, error)
                        if self.hooks.after_error
                        else None
                    )
                    raise (replacement or connection_error(error, request)) from error
                time.sleep(delay)
                attempt += 1
                continue
            delay = None
            if attempts is not None and attempts.config.matcher.matches(
                response.status_code
            ):
                delay = attempts.after_status(response)
            if delay is None:
                try:
                    if not _streamed(op, response):
                        response.read()
                except httpx.TransportError as error:
                    response.close()
                    delay = (
                        attempts.after_error(error) if attempts is not None else None
                    )
                    if delay is None:
                        self._log_end(request, None, error, attempt, started, None)
                        raise connection_error(error, request) from error
                else:
                    self._log_end(request, response, None, attempt, started, None)
                    return response
            response.close()
            self._log_end(request, response, None, attempt, started, delay)
            time.sleep(delay)
            attempt += 1

    def _log_end(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        error: BaseException | None,
        attempt: int,
        started: float,
        delay: float | None,
    ) -> None:
        if self.logger is not None:
            from .logs import log_outcome

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
        response = await self._send_async(http, op, request, body, config, idempotency)
        try:
            return cast(T, await async_result(op, response, self.hooks))
        except BaseException:
            await response.aclose()
            raise

    async def _send_async(
        self,
        http: httpx.AsyncClient,
        op: Operation[Any],
        request: httpx.Request,
        body: Any,
        config: RetryConfig | None,
        idempotency: str | None,
    ) -> httpx.Response:
        """Async twin of _send."""
        attempts = self._attempts(op, request, body, config, idempotency)
        before = self.hooks.before_request
        logger = self.logger
        started = time.monotonic()
        attempt = 1
        while True:
            if before:
                request = self.hooks.run_before(request)
            if logger is not None:
                _log_start(self, request, attempt)
            try:
                response = await http.send(request, stream=True)
            except httpx.TransportError as error:
                delay = attempts.after_error(error) if attempts is not None else None
                self._log_end(request, None, error, attempt, started, delay)
                if delay is None:
                    replacement = (
                        self.hooks.run_error(None, error)
                        if self.hooks.after_error
                        else None
                    )
                    raise (replacement or connection_error(error, request)) from error
                await asyncio.sleep(delay)
                attempt += 1
                continue
            delay = None
            if attempts is not None and attempts.config.matcher.matches(
                response.status_code
            ):
                delay = attempts.after_status(response)
            if delay is None:
                try:
                    if not _streamed(op, response):
                        await response.aread()
                except httpx.TransportError as error:
                    await response.aclose()
                    delay = (
                        attempts.after_error(error) if attempts is not None else None
                    )
                    if delay is None:
                        self._log_end(request, None, error, attempt, started, None)
                        raise connection_error(error, request) from error
                else:
                    self._log_end(request, response, None, attempt, started, None)
                    return response
            await response.aclose()
            self._log_end(request, response, None, attempt, started, delay)
            await asyncio.sleep(delay)
            attempt += 1

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
        response = self._send(http, op, request, call.body, config, call.idempotency)
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
        response = await self._send_async(
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


def _with_credentials(url: str, pieces: tuple[list[str], ...]) -> str:
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


def _timeout_extension(value: int | Timeout) -> dict[str, float | None]:
    timeout = to_httpx_timeout(value)
    assert timeout is not None
    return timeout.as_dict()


def _new_request(
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
    (those we do not set) first, then ours, as httpx orders them.
    """
    if http.params or http.cookies or not url.startswith(("https://", "http://")):
        return http.build_request(
            method, url, headers=headers, extensions={"timeout": timeout}, **extra
        )
    ours = {name.lower() for name in headers}
    merged = [(k, v) for k, v in http.headers.multi_items() if k not in ours]
    merged.extend(headers.items())
    parsed = _URLS.get(url)
    if parsed is None:
        if len(_URLS) >= _URL_CACHE_SIZE:
            _URLS.clear()
        parsed = _URLS[url] = httpx.URL(url)
    return httpx.Request(
        method, parsed, headers=merged, extensions={"timeout": timeout}, **extra
    )


# Parsed URLs (immutable) of recent calls: most operations call the same URL every time.
_URLS: dict[str, httpx.URL] = {}
_URL_CACHE_SIZE = 512


_JOIN_LIMIT = 4 * 1024 * 1024


def _small(request: httpx.Request) -> bool:
    """True for a body of known length up to 4 MiB (worth joining into one buffer)."""
    length = request.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) <= _JOIN_LIMIT


def _streamed(op: Operation[Any], response: httpx.Response) -> bool:
    """True when the call returns the response as a stream (SSE or binary download)."""
    if not response.is_success:
        return False
    result = op.match(response.status_code, response.headers.get("content-type"))
    return (
        result is not None and result.error is None and result.kind in ("sse", "binary")
    )


def _log_start(state: ClientState, request: httpx.Request, attempt: int) -> None:
    from .logs import log_request

    assert state.logger is not None
    log_request(state.logger, request, attempt, state.secret_params)
