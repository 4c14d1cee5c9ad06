"""Server-Sent Events: the WHATWG event-stream parser and typed streams over httpx.

The decoder implements "Interpreting an event stream" from the HTML standard: lines
end with CRLF, LF or CR; one leading BOM is dropped; lines starting with ":" are
comments; ``event``, ``data``, ``id`` and ``retry`` are the fields; a blank line
dispatches the event, unless no ``data`` line was seen. An event still incomplete when
the stream ends is discarded, as the standard requires.

A stream that stalls longer than the read timeout (which applies to each chunk) or
breaks off raises APITimeoutError / APIConnectionError from the iteration, and the
response is closed whichever way iteration ends.
"""

import codecs
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from .attempts import connection_error

__all__ = [
    "AsyncEventStream",
    "EventStream",
    "SSEDecoder",
    "ServerSentEvent",
    "aiter_events",
    "iter_events",
]

T = TypeVar("T")

_LINE_END = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event.

    ``id`` is the stream's last event ID when the event was dispatched (it persists
    across events until the server sends a new ``id``); None if none was ever sent.
    ``retry`` is the reconnection time in ms sent since the previous dispatched event.
    """

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Incremental event-stream parser: feed text chunks, get finished events.

    Chunks may split lines anywhere, including between the CR and LF of a CRLF.
    ``last_event_id`` and ``retry`` (ms) hold the latest ``id`` and ``retry`` values
    the server sent; they survive :meth:`flush`, as a reconnecting client needs them.
    """

    __slots__ = (
        "_buffer",
        "_data",
        "_event",
        "_retry",
        "_skip_lf",
        "_started",
        "last_event_id",
        "retry",
    )

    def __init__(self) -> None:
        self._buffer = ""  # text after the last line end, waiting for its end
        self._started = False  # BOM check done
        self._skip_lf = False  # previous chunk ended in CR: an LF first is its tail
        self._data: list[str] = []
        self._event = ""
        self._retry: int | None = None
        self.last_event_id: str | None = None
        self.retry: int | None = None  # the stream's reconnection time, ms

    def feed(self, chunk: str) -> list[ServerSentEvent]:
        """Parse one chunk of text and return the events it completed, in order."""
        if not chunk:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[0] == "\n":
                chunk = chunk[1:]
        if not self._started:
            self._started = True
            if chunk[:1] == _BOM:
                chunk = chunk[1:]
        text = self._buffer + chunk if self._buffer else chunk
        if "\r" in text:
            # A final CR ends its line now; an LF opening the next chunk is its tail.
            self._skip_lf = text[-1] == "\r"
            lines = _LINE_END.split(text)
        else:
            lines = text.split("\n")
        self._buffer = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            if line:
                self._field(line)
            else:
                self._dispatch(events)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: discard any incomplete event; always returns [].

        The standard drops an event not closed by a blank line; the list return keeps
        call sites uniform. Afterwards the decoder is ready for a new stream.
        """
        self._buffer = ""
        self._data = []
        self._event = ""
        self._retry = None
        self._skip_lf = False
        self._started = False
        return []

    def _field(self, line: str) -> None:
        """Apply one non-blank line to the event being built."""
        name, colon, value = line.partition(":")
        if colon:
            if not name:
                return  # comment
            if value[:1] == " ":
                value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = self._retry = int(value)

    def _dispatch(self, events: list[ServerSentEvent]) -> None:
        """Blank line: emit the event if it has data, then start a new one."""
        data, event = self._data, self._event
        self._data = []
        self._event = ""
        if not data:
            return
        events.append(
            ServerSentEvent(
                event or "message", "\n".join(data), self.last_event_id, self._retry
            )
        )
        self._retry = None


def iter_events(chunks: Iterable[str]) -> Iterator[ServerSentEvent]:
    """Events parsed from an iterable of text chunks."""
    decoder = SSEDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.flush()


async def aiter_events(chunks: AsyncIterable[str]) -> AsyncIterator[ServerSentEvent]:
    """Events parsed from an async iterable of text chunks."""
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.flush():
        yield event


def _utf8_decoder() -> codecs.IncrementalDecoder:
    """Event streams are UTF-8 whatever charset is declared; bad bytes become U+FFFD."""
    return codecs.getincrementaldecoder("utf-8")(errors="replace")


class EventStream(Generic[T]):
    """Iterator of typed events over a streaming httpx.Response.

    ``decode`` turns each event into the value yielded. Iteration stops before an event
    whose data equals ``sentinel`` (e.g. "[DONE]"). The response is closed when the
    stream ends, at the sentinel, when ``decode`` raises (the error propagates), on
    :meth:`close` and when a ``with`` block exits.
    """

    __slots__ = ("_decode", "_events", "_response", "_sentinel")

    def __init__(
        self,
        response: httpx.Response,
        decode: Callable[[ServerSentEvent], T],
        sentinel: str | None = None,
    ) -> None:
        self._response = response
        self._decode = decode
        self._sentinel = sentinel
        self._events = self._iterate()

    @property
    def response(self) -> httpx.Response:
        """The underlying response (headers, status)."""
        return self._response

    def _iterate(self) -> Generator[T, None, None]:
        """Decode the body; the finally clause closes the response on every exit."""
        decoder = SSEDecoder()
        text = _utf8_decoder()
        try:
            for raw in self._response.iter_bytes():
                for event in decoder.feed(text.decode(raw)):
                    if event.data == self._sentinel:
                        return
                    yield self._decode(event)
        except httpx.TransportError as error:
            raise connection_error(error, None) from error
        finally:
            self._response.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._events)

    def close(self) -> None:
        """Stop iterating and release the connection; safe to call more than once."""
        self._events.close()
        self._response.close()

    def __enter__(self) -> "EventStream[T]":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEventStream(Generic[T]):
    """Async iterator of typed events over a streaming httpx.Response.

    Same contract as :class:`EventStream`, with :meth:`aclose` and ``async with``.
    """

    __slots__ = ("_decode", "_events", "_response", "_sentinel")

    def __init__(
        self,
        response: httpx.Response,
        decode: Callable[[ServerSentEvent], T],
        sentinel: str | None = None,
    ) -> None:
        self._response = response
        self._decode = decode
        self._sentinel = sentinel
        self._events = self._iterate()

    @property
    def response(self) -> httpx.Response:
        """The underlying response (headers, status)."""
        return self._response

    async def _iterate(self) -> AsyncGenerator[T, None]:
        """Decode the body; the finally clause closes the response on every exit."""
        decoder = SSEDecoder()
        text = _utf8_decoder()
        try:
            async for raw in self._response.aiter_bytes():
                for event in decoder.feed(text.decode(raw)):
                    if event.data == self._sentinel:
                        return
                    yield self._decode(event)
        except httpx.TransportError as error:
            raise connection_error(error, None) from error
        finally:
            await self._response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        """Stop iterating and release the connection; safe to call more than once."""
        await self._events.aclose()
        await self._response.aclose()

    async def __aenter__(self) -> "AsyncEventStream[T]":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
