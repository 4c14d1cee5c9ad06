"""Paginated operations: the page objects a call returns and how the next request is made.

A :class:`Pagination` (built once at import by generated code) says where a reply
keeps its items and how the next page is asked for:

- ``offset``: the ``input`` parameter advances by the number of items received;
- ``page``: the ``input`` parameter counts pages (from 1);
- ``cursor``: the ``input`` parameter takes the value found at ``next_cursor``;
- ``url``: the next page is the URL found at ``next_url`` in the reply;
- ``link``: the next page is the RFC 8288 ``Link: <...>; rel="next"`` header's URL.

Paths into a reply are tuples of attribute names (str) and list indexes (int, negative
from the end), resolved against the parsed models by the generator. Iteration stops at
an empty page, a short page (fewer items than the ``limit`` asked for), the reported
page count, a false ``has_more``, a missing cursor or URL, or a cursor or URL that
repeats the one just used (a server bug that would otherwise loop forever).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

import httpx

from .errors import SDKError
from .unset import UNSET

__all__ = ["AsyncPage", "Call", "Page", "Pagination", "find", "next_call", "next_link"]

R = TypeVar("R")
I = TypeVar("I")  # noqa: E741 - the conventional name of an item type

Step = str | int
_KINDS = frozenset({"offset", "page", "cursor", "url", "link"})
_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL_NEXT = re.compile(
    r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Pagination:
    """How one operation pages: kind, inputs (wire names and where) and reply paths."""

    kind: str
    results: tuple[Step, ...] = ()
    input: str = ""
    input_in: str = "query"  # query | body | header
    limit: str = ""
    limit_in: str = "query"
    next_cursor: tuple[Step, ...] = ()
    next_url: tuple[Step, ...] = ()
    num_pages: tuple[Step, ...] = ()
    has_more: tuple[Step, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown pagination kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Call:
    """The arguments of one request of a paginated call (copied, never mutated)."""

    path: Mapping[str, Any] | None = None
    query: Mapping[str, Any] | None = None
    headers: Mapping[str, Any] | None = None
    cookies: Mapping[str, Any] | None = None
    body: Any = None
    retries: Any = UNSET
    timeout_ms: Any = None
    server_url: str | None = None
    http_headers: Mapping[str, str] | None = None
    accept: str | None = None
    url: str | None = None  # a next-page URL; replaces path and query when set
    idempotency: str | None = None
    refused: str | None = None  # why this next page must not be fetched


def find(value: Any, steps: tuple[Step, ...]) -> Any:
    """The value at a path of attribute names / keys and indexes, or None if absent."""
    for step in steps:
        if value is None:
            return None
        if isinstance(step, int):
            if not isinstance(value, list | tuple) or not -len(value) <= step < len(
                value
            ):
                return None
            value = value[step]
        elif isinstance(value, Mapping):
            value = value.get(step)
        else:
            value = getattr(value, step, None)
    return value


def items_of(pagination: Pagination, result: Any) -> list[Any]:
    """The items of one page (an empty list when the reply has none)."""
    found = find(result, pagination.results)
    return list(found) if isinstance(found, list | tuple) else []


def next_link(header: str | None) -> str | None:
    """The target of the first ``rel="next"`` link of an RFC 8288 Link header."""
    if not header:
        return None
    for match in _LINK.finditer(header):
        for rel in _REL_NEXT.finditer(match.group(2)):
            value = rel.group(1) if rel.group(1) is not None else rel.group(2)
            if "next" in value.lower().split():
                return match.group(1).strip()
    return None


def _value(call: Call, where: str, name: str) -> Any:
    source = (
        call.body
        if where == "body"
        else call.headers if where == "header" else call.query
    )
    return source.get(name) if isinstance(source, Mapping) else None


def _with_input(call: Call, where: str, name: str, value: Any) -> Call:
    """A copy of call with one input set (the caller's dicts stay untouched)."""
    if where == "body":
        if not isinstance(call.body, Mapping):
            raise SDKError(
                "this operation pages through its body, which must be a mapping"
            )
        return replace(call, body={**call.body, name: value})
    if where == "header":
        return replace(call, headers={**(call.headers or {}), name: value})
    return replace(call, query={**(call.query or {}), name: value})


def _counted(
    pagination: Pagination, call: Call, result: Any, count: int
) -> Call | None:
    """Next call of offset and page pagination, or None after the last page."""
    if count == 0:
        return None
    limit = (
        _value(call, pagination.limit_in, pagination.limit)
        if pagination.limit
        else None
    )
    if isinstance(limit, int) and not isinstance(limit, bool) and count < limit:
        return None
    current = _value(call, pagination.input_in, pagination.input)
    if pagination.kind == "offset":
        offset = current if isinstance(current, int) else 0
        return _with_input(call, pagination.input_in, pagination.input, offset + count)
    page = current if isinstance(current, int) else 1
    pages = find(result, pagination.num_pages) if pagination.num_pages else None
    if isinstance(pages, int) and page >= pages:
        return None
    return _with_input(call, pagination.input_in, pagination.input, page + 1)


def _followed(call: Call, response: httpx.Response, target: Any) -> Call | None:
    """The call that fetches a next-page URL (same origin only: credentials go with it)."""
    if not isinstance(target, str) or not target.strip():
        return None
    current = response.request.url
    url = current.join(target.strip())
    if (url.scheme, url.host, url.port) != (current.scheme, current.host, current.port):
        # Raised when that page is asked for: the pages before it stay usable.
        why = f"refusing to follow a next-page URL to another origin: {url.host}"
        return replace(call, refused=why)
    if url == current:
        return None
    return replace(call, url=str(url))


def next_call(
    pagination: Pagination, call: Call, result: Any, response: httpx.Response
) -> Call | None:
    """The call for the page after `result`, or None when `result` was the last page."""
    count = len(items_of(pagination, result))
    if pagination.has_more and find(result, pagination.has_more) is False:
        return None
    kind = pagination.kind
    if kind in ("offset", "page"):
        return _counted(pagination, call, result, count)
    if kind == "link":
        return _followed(call, response, next_link(response.headers.get("link")))
    if pagination.results and count == 0:
        return None
    if kind == "url":
        return _followed(call, response, find(result, pagination.next_url))
    cursor = find(result, pagination.next_cursor)
    if (
        cursor is None
        or cursor == ""
        or cursor == _value(call, pagination.input_in, pagination.input)
    ):
        return None
    return _with_input(call, pagination.input_in, pagination.input, cursor)


class Page(Generic[R, I]):
    """One page of a paginated call; iterating it yields every item of every page.

    ``result`` is this page's parsed reply and ``items`` its items. Pages after this
    one are fetched lazily, one request each, and are not kept: iterating twice asks
    the server again.
    """

    __slots__ = ("_fetch", "items", "result")

    def __init__(
        self, result: R, items: list[I], fetch: Callable[[], Page[R, I]] | None
    ) -> None:
        self.result = result
        self.items = items
        self._fetch = fetch

    def has_next_page(self) -> bool:
        """True when the server may have another page."""
        return self._fetch is not None

    def next_page(self) -> Page[R, I] | None:
        """Fetch the next page (one request), or None after the last page."""
        return self._fetch() if self._fetch is not None else None

    def iter_pages(self) -> Iterator[Page[R, I]]:
        """This page, then every following page."""
        page: Page[R, I] | None = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[I]:
        for page in self.iter_pages():
            yield from page.items

    def __repr__(self) -> str:
        return f"Page(items={len(self.items)}, has_next_page={self.has_next_page()})"


class AsyncPage(Generic[R, I]):
    """Async twin of :class:`Page`: ``async for item in page`` walks every page."""

    __slots__ = ("_fetch", "items", "result")

    def __init__(
        self,
        result: R,
        items: list[I],
        fetch: Callable[[], Awaitable[AsyncPage[R, I]]] | None,
    ) -> None:
        self.result = result
        self.items = items
        self._fetch = fetch

    def has_next_page(self) -> bool:
        """True when the server may have another page."""
        return self._fetch is not None

    async def next_page(self) -> AsyncPage[R, I] | None:
        """Fetch the next page (one request), or None after the last page."""
        return await self._fetch() if self._fetch is not None else None

    async def iter_pages(self) -> AsyncIterator[AsyncPage[R, I]]:
        """This page, then every following page."""
        page: AsyncPage[R, I] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[I]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        return (
            f"AsyncPage(items={len(self.items)}, has_next_page={self.has_next_page()})"
        )
