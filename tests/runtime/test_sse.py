"""Tests for the SSE decoder and event streams in templates/sdk/_runtime/sse.py."""

import asyncio
import codecs
import importlib
import json
import re
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "templates" / "sdk") not in sys.path:
    sys.path.insert(0, str(ROOT / "templates" / "sdk"))

sse = importlib.import_module("_runtime.sse")
AsyncEventStream = sse.AsyncEventStream
EventStream = sse.EventStream
ServerSentEvent = sse.ServerSentEvent
SSEDecoder = sse.SSEDecoder
aiter_events = sse.aiter_events
iter_events = sse.iter_events

Event = ServerSentEvent


def parse(text: str) -> list[ServerSentEvent]:
    """All events of a complete stream given as one chunk."""
    return list(iter_events([text]))


def parse_pieces(pieces: list[str]) -> list[ServerSentEvent]:
    return list(iter_events(pieces))


# --- the WHATWG examples -----------------------------------------------------------


def test_multiline_data_is_joined_with_newlines() -> None:
    stream = "data: YHOO\ndata: +2\ndata: 10\n\n"
    assert parse(stream) == [Event(data="YHOO\n+2\n10")]


def test_comments_ids_and_unterminated_last_event() -> None:
    stream = (
        ": test stream\n"
        "\n"
        "data: first event\n"
        "id: 1\n"
        "\n"
        "data:second event\n"
        "id\n"
        "\n"
        "data:  third event\n"
    )
    assert parse(stream) == [
        Event(data="first event", id="1"),
        Event(data="second event", id=""),  # "id" alone resets the last event ID
    ]  # the third has no blank line after it and is discarded


def test_empty_data_lines() -> None:
    stream = "data\n\ndata\ndata\n\ndata:"
    assert parse(stream) == [Event(data=""), Event(data="\n")]


def test_space_after_colon_is_optional() -> None:
    assert parse("data:test\n\ndata: test\n\n") == [
        Event(data="test"),
        Event(data="test"),
    ]


def test_only_one_leading_space_is_removed() -> None:
    assert parse("data:  two\n\n") == [Event(data=" two")]


def test_event_types() -> None:
    stream = (
        "event: add\ndata: 73857293\n\n"
        "event: remove\ndata: 2153\n\n"
        "event: add\ndata: 113411\n\n"
    )
    assert parse(stream) == [
        Event("add", "73857293"),
        Event("remove", "2153"),
        Event("add", "113411"),
    ]


# --- line endings, BOM, fields -----------------------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r", "\r\n"])
def test_each_line_ending(eol: str) -> None:
    stream = f"event: e{eol}data: a{eol}data: b{eol}{eol}data: c{eol}{eol}"
    assert parse(stream) == [Event("e", "a\nb"), Event(data="c")]


def test_mixed_line_endings() -> None:
    assert parse("data: a\rdata: b\r\ndata: c\n\r\n") == [Event(data="a\nb\nc")]


def test_leading_bom_is_dropped_once() -> None:
    assert parse("\ufeffdata: a\n\n") == [Event(data="a")]
    # A second BOM is part of the field name, so the line is an unknown field.
    assert parse("\ufeff\ufeffdata: a\n\n") == []
    assert parse("data: \ufeffa\n\n") == [Event(data="\ufeffa")]


def test_bom_in_its_own_chunk() -> None:
    assert parse_pieces(["", "\ufeff", "data: a\n\n"]) == [Event(data="a")]


def test_event_without_data_is_not_dispatched_and_resets_type() -> None:
    assert parse("event: ping\n\ndata: x\n\n") == [Event("message", "x")]


def test_field_without_colon_has_empty_value() -> None:
    assert parse("data\n\n") == [Event(data="")]
    assert parse("event\ndata: x\n\n") == [Event("message", "x")]


def test_unknown_fields_and_comments_are_ignored() -> None:
    assert parse("foo: bar\n:comment\n: another\ndata: x\nDATA: y\n\n") == [Event(data="x")]


def test_id_persists_and_nul_is_ignored() -> None:
    stream = "id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid: 8\n\ndata: d\n\n"
    assert [(e.data, e.id) for e in parse(stream)] == [
        ("a", "7"),
        ("b", "7"),
        ("c", "7"),
        ("d", "8"),  # an id in a block without data still updates the last ID
    ]


def test_no_id_means_none() -> None:
    assert parse("data: a\n\n")[0].id is None


def test_retry_field() -> None:
    decoder = SSEDecoder()
    events = decoder.feed("retry: 1500\ndata: a\n\ndata: b\n\n")
    assert [(e.data, e.retry) for e in events] == [("a", 1500), ("b", None)]
    assert decoder.retry == 1500
    # Invalid values are ignored.
    for bad in ("10a", "-1", "", "  5", "1.5", "\u0663"):
        events = decoder.feed(f"retry:{bad}\ndata: x\n\n")
        assert events[0].retry is None, bad
    assert decoder.retry == 1500
    # A retry in a block without data is reported with the next event.
    assert decoder.feed("retry: 10\n\ndata: y\n\n")[0].retry == 10


def test_flush_discards_incomplete_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed("data: a\n") == []
    assert decoder.flush() == []
    assert decoder.feed("data: b") == []
    assert decoder.flush() == []
    # Nothing of the discarded events leaks into a later one; a new stream may again
    # start with a BOM, and the last event ID and retry survive (for reconnecting).
    assert decoder.feed("id: 9\nretry: 5\nevent: e\ndata: c") == []
    assert decoder.flush() == []
    assert decoder.feed("\ufeffdata: d\n\n") == [Event(data="d", id="9")]
    assert (decoder.last_event_id, decoder.retry) == ("9", 5)


def test_crlf_split_across_chunks() -> None:
    decoder = SSEDecoder()
    assert decoder.feed("data: a\r") == []
    assert decoder.feed("\ndata: b\r") == []
    assert decoder.feed("\n\r") == [Event(data="a\nb")]
    assert decoder.feed("\n") == []  # the LF after the dispatching CR is its tail
    assert decoder.feed("data: c\r\r") == [Event(data="c")]


def test_cr_dispatches_without_waiting_for_more_input() -> None:
    assert SSEDecoder().feed("data: a\r\r") == [Event(data="a")]


def test_lone_cr_then_data_line() -> None:
    assert parse_pieces(["data: a\r", "data: b\r", "\r"]) == [Event(data="a\nb")]


def test_other_unicode_line_breaks_are_data() -> None:
    assert parse("data: a\u2028b\x0bc\x85d\n\n") == [Event(data="a\u2028b\x0bc\x85d")]


def test_aiter_events() -> None:
    async def chunks() -> AsyncIterator[str]:
        for piece in ("data: a", "\n\nda", "ta: b\n", "\n"):
            yield piece

    async def collect() -> list[ServerSentEvent]:
        return [event async for event in aiter_events(chunks())]

    assert asyncio.run(collect()) == [Event(data="a"), Event(data="b")]


# --- splitting property ------------------------------------------------------------

texts = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12)
fields = st.one_of(
    st.tuples(st.sampled_from(["data", "event", "id", "retry", ":", "x"]), texts),
    st.tuples(st.just("retry"), st.integers(0, 10**6).map(str)),
    st.just(("", "")),  # blank line
)


@st.composite
def streams(draw: st.DrawFn) -> str:
    """A stream of random field lines with random line endings (CR, LF, CRLF)."""
    lines = draw(st.lists(fields, max_size=25))
    prefix = draw(st.sampled_from(["", "\ufeff"]))
    out = [prefix]
    for name, value in lines:
        eol = draw(st.sampled_from(["\n", "\r", "\r\n"]))
        if name == ":":
            out.append(f":{value}{eol}")
        elif name:
            sep = draw(st.sampled_from([":", ": ", ""]))
            out.append(f"{name}{sep}{value if sep else ''}{eol}")
        else:
            out.append(eol)
    return "".join(out)


def split_at(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(cut, len(text)) for cut in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


def reference(stream: str) -> list[ServerSentEvent]:
    """The WHATWG algorithm written plainly over a complete stream, for comparison."""
    stream = stream.removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", stream)[:-1]  # the last piece has no line end
    events, data, kind, last_id, retry = [], [], "", None, None
    for line in lines:
        if not line:
            if data:
                events.append(Event(kind or "message", "\n".join(data), last_id, retry))
                retry = None
            data, kind = [], ""
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ") if ":" in line else ""
        if name == "data":
            data.append(value)
        elif name == "event":
            kind = value
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and re.fullmatch("[0-9]+", value):
            retry = int(value)
    return events


@given(streams(), st.lists(st.integers(0, 400), max_size=20))
def test_any_text_split_gives_the_same_events(stream: str, cuts: list[int]) -> None:
    whole = parse(stream)
    assert whole == reference(stream)
    assert parse_pieces(split_at(stream, cuts)) == whole
    assert parse_pieces(list(stream)) == whole  # one character at a time


@given(streams(), st.lists(st.integers(0, 800), max_size=20))
def test_any_byte_split_gives_the_same_events(stream: str, cuts: list[int]) -> None:
    raw = stream.encode("utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    pieces = [decoder.decode(part) for part in split_at_bytes(raw, cuts)]
    assert parse_pieces(pieces) == parse(stream)


def split_at_bytes(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(raw)) for cut in cuts})
    return [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]


# --- EventStream over httpx --------------------------------------------------------


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in the given pieces; records whether it was closed."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces
        self.sent = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.sent += 1
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            self.sent += 1
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Chunk(BaseModel):
    n: int
    text: str = ""


BODY = [
    b": keep-alive\n\n",
    b'data: {"n": 1, "text": "caf',
    b"\xc3",  # "é" split across chunks
    b'\xa9"}\n\ndata: {"n": 2}\r',
    b'\n\r\ndata: {"n": 3}\n\n',
    b"data: [DONE]\n\n",
    b'data: {"n": 4}\n\n',
]


def open_stream(pieces: list[bytes]) -> tuple[httpx.Response, Chunks]:
    body = Chunks(pieces)

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=body)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    request = client.build_request("GET", "https://example.test/events")
    return client.send(request, stream=True), body


def decode_chunk(event: ServerSentEvent) -> Chunk:
    return Chunk.model_validate_json(event.data)


def test_event_stream_full_iteration_closes_response() -> None:
    response, body = open_stream(BODY[:5])
    stream = EventStream(response, decode_chunk)
    assert stream.response is response
    assert list(stream) == [Chunk(n=1, text="caf\u00e9"), Chunk(n=2), Chunk(n=3)]
    assert response.is_closed and body.closed
    assert list(stream) == []


def test_event_stream_stops_at_sentinel() -> None:
    response, body = open_stream(BODY)
    with EventStream(response, decode_chunk, sentinel="[DONE]") as stream:
        assert [chunk.n for chunk in stream] == [1, 2, 3]
        assert response.is_closed and body.closed
    assert body.sent == len(BODY) - 1  # the event after the sentinel was never read


def test_event_stream_break_inside_with_closes() -> None:
    response, body = open_stream(BODY)
    with EventStream(response, decode_chunk, sentinel="[DONE]") as stream:
        for chunk in stream:
            assert chunk.n == 1
            break
        assert not response.is_closed
    assert response.is_closed and body.closed
    with pytest.raises(StopIteration):
        next(stream)


def test_event_stream_close_before_iterating() -> None:
    response, body = open_stream(BODY)
    stream = EventStream(response, decode_chunk)
    stream.close()
    stream.close()  # idempotent
    assert response.is_closed and body.closed
    assert list(stream) == []


def test_event_stream_closes_when_decode_raises() -> None:
    response, body = open_stream(BODY)
    stream = EventStream(response, decode_chunk)  # "[DONE]" is not valid JSON
    with pytest.raises(ValueError):
        list(stream)
    assert response.is_closed and body.closed


def test_event_stream_passes_events_to_decode() -> None:
    response, _ = open_stream([b"event: delta\nid: 4\ndata: x\n\n"])
    assert list(EventStream(response, lambda event: event)) == [Event("delta", "x", "4")]


def test_event_stream_decodes_utf8_regardless_of_charset() -> None:
    response, _ = open_stream(["data: \u00e9\n\n".encode()])
    response.headers["content-type"] = "text/event-stream; charset=latin-1"
    assert list(EventStream(response, lambda event: event.data)) == ["\u00e9"]


def test_event_stream_on_read_response() -> None:
    body = b'data: {"n": 5}\n\n'
    response = httpx.Response(200, content=body)
    assert list(EventStream(response, decode_chunk)) == [Chunk(n=5)]
    assert response.is_closed


# --- AsyncEventStream --------------------------------------------------------------


async def aopen_stream(pieces: list[bytes]) -> tuple[httpx.Response, Chunks]:
    body = Chunks(pieces)

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=body)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    request = client.build_request("GET", "https://example.test/events")
    return await client.send(request, stream=True), body


def test_async_event_stream_full_iteration_closes_response() -> None:
    async def run() -> None:
        response, body = await aopen_stream(BODY[:5])
        stream = AsyncEventStream(response, decode_chunk)
        assert stream.response is response
        assert [chunk.n async for chunk in stream] == [1, 2, 3]
        assert response.is_closed and body.closed

    asyncio.run(run())


def test_async_event_stream_sentinel_and_break() -> None:
    async def run() -> None:
        response, body = await aopen_stream(BODY)
        async with AsyncEventStream(response, decode_chunk, "[DONE]") as stream:
            async for chunk in stream:
                assert chunk.n == 1
                break
            assert not response.is_closed
        assert response.is_closed and body.closed
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()

        response, body = await aopen_stream(BODY)
        stream = AsyncEventStream(response, decode_chunk, "[DONE]")
        assert [chunk.n async for chunk in stream] == [1, 2, 3]
        assert response.is_closed and body.closed

    asyncio.run(run())


def test_async_event_stream_closes_when_decode_raises() -> None:
    async def run() -> None:
        response, body = await aopen_stream(BODY)
        stream = AsyncEventStream(response, lambda event: json.loads(event.data)["n"])
        with pytest.raises(ValueError):
            _ = [n async for n in stream]
        assert response.is_closed and body.closed

    asyncio.run(run())


def test_async_event_stream_aclose_before_iterating() -> None:
    async def run() -> None:
        response, body = await aopen_stream(BODY)
        stream = AsyncEventStream(response, decode_chunk)
        await stream.aclose()
        await stream.aclose()
        assert response.is_closed and body.closed
        assert [chunk async for chunk in stream] == []

    asyncio.run(run())
