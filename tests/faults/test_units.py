"""Unit tests of the runtime's pure parts (pagination steps, Link headers, redaction,
timeouts, body replay) and of the generator's reading of pagination configs."""

from __future__ import annotations

import importlib
import io
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.ir.build import BuildOptions, build_api
from generator.ir.pagination import PaginationProblem, parse_path
from generator.load import load

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "templates" / "sdk") not in sys.path:
    sys.path.insert(0, str(ROOT / "templates" / "sdk"))

pagination = importlib.import_module("_runtime.pagination")
logs = importlib.import_module("_runtime.logs")
client = importlib.import_module("_runtime.client")
attempts = importlib.import_module("_runtime.attempts")
operation = importlib.import_module("_runtime.operation")


# --- runtime: pagination -------------------------------------------------------------


class Reply:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def test_find_follows_attributes_keys_and_indexes() -> None:
    reply = Reply(data=[Reply(id="a"), Reply(id="b")], meta={"next": "n"})
    assert pagination.find(reply, ("data", -1, "id")) == "b"
    assert pagination.find(reply, ("data", 0, "id")) == "a"
    assert pagination.find(reply, ("meta", "next")) == "n"
    assert pagination.find(reply, ("data", 5, "id")) is None
    assert pagination.find(reply, ("missing", 0)) is None
    assert pagination.find(Reply(data=[]), ("data", -1, "id")) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://a.test/x?page=2>; rel="next"', "https://a.test/x?page=2"),
        ('<https://a.test/1>; rel="prev", <https://a.test/3>; rel=next', "https://a.test/3"),
        ('<https://a.test/3>; rel="last next"', "https://a.test/3"),
        ('<https://a.test/3>; title="next"; rel="last"', None),
        ('<https://a.test/3>; REL="Next"', "https://a.test/3"),
        ("", None),
        (None, None),
        ("garbage", None),
    ],
)
def test_next_link(header: str | None, expected: str | None) -> None:
    assert pagination.next_link(header) == expected


def _response(url: str = "https://api.test/items?page=1") -> httpx.Response:
    return httpx.Response(200, request=httpx.Request("GET", url))


def test_offset_pages_advance_by_items_and_stop_short() -> None:
    plan = pagination.Pagination("offset", ("items",), "offset", "query", "limit")
    call = pagination.Call(query={"limit": 2})
    following = pagination.next_call(plan, call, Reply(items=[1, 2]), _response())
    assert following is not None and following.query == {"limit": 2, "offset": 2}
    assert call.query == {"limit": 2}  # the caller's arguments are not changed
    assert pagination.next_call(plan, following, Reply(items=[3]), _response()) is None
    assert pagination.next_call(plan, call, Reply(items=[]), _response()) is None


def test_cursor_stops_on_missing_repeated_or_has_more_false() -> None:
    plan = pagination.Pagination(
        "cursor", ("items",), "after", next_cursor=("next",), has_more=("more",)
    )
    call = pagination.Call(query={"after": "c1"})
    assert pagination.next_call(plan, call, Reply(items=[1], next=None), _response()) is None
    assert pagination.next_call(plan, call, Reply(items=[1], next="c1"), _response()) is None
    stopped = Reply(items=[1], next="c2", more=False)
    assert pagination.next_call(plan, call, stopped, _response()) is None
    going = pagination.next_call(plan, call, Reply(items=[1], next="c2"), _response())
    assert going is not None and going.query == {"after": "c2"}


def test_next_urls_resolve_relative_and_refuse_other_origins() -> None:
    plan = pagination.Pagination("url", ("items",), next_url=("next",))
    call = pagination.Call()
    relative = pagination.next_call(plan, call, Reply(items=[1], next="?page=2"), _response())
    assert relative is not None and relative.url == "https://api.test/items?page=2"
    foreign = Reply(items=[1], next="https://other.test/items?page=2")
    refused = pagination.next_call(plan, call, foreign, _response())
    assert refused is not None and "another origin" in (refused.refused or "")


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError):
        pagination.Pagination("sideways")


# --- runtime: redaction, timeouts, replay --------------------------------------------


def test_redacted_url_hides_credentials() -> None:
    url = httpx.URL("https://user:pw@api.test/x?api_key=s1&q=cats&access_token=t&sig=z")
    text = logs.redacted_url(url, frozenset({"api_key"}))
    assert "s1" not in text and "pw" not in text and "=t&" not in text and "z" not in text
    assert "q=cats" in text


def test_redacted_headers() -> None:
    headers = httpx.Headers(
        {"Authorization": "Bearer x", "X-Api-Key": "k", "X-Auth-Token": "t", "Accept": "a"}
    )
    assert logs.redacted_headers(headers) == {
        "authorization": "[redacted]",
        "x-api-key": "[redacted]",
        "x-auth-token": "[redacted]",
        "accept": "a",
    }


def test_timeouts() -> None:
    timeout = client.Timeout(read_ms=2500, connect_ms=500)
    assert timeout.httpx_timeout == httpx.Timeout(2.5, connect=0.5)
    assert client.Timeout(read_ms=None).httpx_timeout.read is None
    assert client.to_httpx_timeout(1500) == httpx.Timeout(1.5)
    assert client.to_httpx_timeout(None) is None
    custom = httpx.Timeout(3.0)
    assert client.to_httpx_timeout(custom) is custom


def _body(kind: str, files: frozenset[str] = frozenset()) -> Any:
    return operation.Body(kind, "x/y", files=files)


def test_replay_of_binary_bodies() -> None:
    assert attempts.replay_check(_body("binary"), b"bytes")()
    upload = io.BytesIO(b"0123456789")
    upload.seek(3)
    rewind = attempts.replay_check(_body("binary"), upload)
    upload.read()
    assert rewind() and upload.tell() == 3
    assert not attempts.replay_check(_body("binary"), iter([b"a"]))()
    assert attempts.replay_check(_body("json"), {"a": 1})()


def test_replay_of_multipart_file_parts() -> None:
    body = _body("multipart", frozenset({"image"}))
    seekable = {"image": {"file_name": "a", "content": io.BytesIO(b"x")}}
    assert attempts.replay_check(body, seekable)()
    assert attempts.replay_check(body, {"image": [b"a", (b"n", b"b")]})()

    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

    assert not attempts.replay_check(body, {"image": Pipe()})()


# --- generator: pagination configs ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("$", ()),
        ("$.data", ("data",)),
        ("$.data[-1].file_id", ("data", -1, "file_id")),
        ("$['odd key'][0]", ("odd key", 0)),
        ('$["a"].b', ("a", "b")),
        ("$.data[(@.length-1)].id", ("data", -1, "id")),
        ("$.next-page", ("next-page",)),
    ],
)
def test_parse_path(text: str, steps: tuple[Any, ...]) -> None:
    assert parse_path(text) == steps


@pytest.mark.parametrize("text", ["data", "$..data", "$.data[*]", "$.a[?(@.x)]", 3])
def test_parse_path_rejects_what_it_cannot_follow(text: Any) -> None:
    with pytest.raises(PaginationProblem):
        parse_path(text)


SPEC = """
openapi: 3.1.0
info: {{title: T, version: "1"}}
paths:
  /items:
    get:
      operationId: listItems
      x-speakeasy-pagination: {config}
      parameters:
        - {{name: cursor, in: query, schema: {{type: string}}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {{type: array, items: {{type: string}}}}
                  next-cursor: {{type: string}}
"""


def _build(config: str, tmp_path: Path) -> tuple[Any, list[Any]]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(textwrap.dedent(SPEC.format(config=config)), encoding="utf-8")
    options = BuildOptions("pkg", "Client", "pkg", "0.1.0", "spec.yaml")
    api, diagnostics = build_api(load(spec), options)
    return api.operations()[0], diagnostics


def test_cursor_config_resolves_wire_names_to_attributes(tmp_path: Path) -> None:
    config = (
        "{type: cursor, inputs: [{name: cursor, in: parameters, type: cursor}],"
        " outputs: {nextCursor: '$.next-cursor'}}"
    )
    op, diagnostics = _build(config, tmp_path)
    assert not diagnostics
    plan = op.pagination
    assert plan.kind == "cursor" and plan.input == "cursor" and plan.input_in == "query"
    assert plan.results == ("items",)  # the reply's only array
    assert plan.next_cursor == ("next_cursor",)
    assert op.page_return == "Page[ListItemsResponseBody, builtins.str]"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("{type: sideways}", "unknown pagination type"),
        ("{type: cursor, outputs: {nextCursor: $.next}}", "needs an input of type 'cursor'"),
        (
            "{type: cursor, inputs: [{name: nope, in: parameters, type: cursor}],"
            " outputs: {nextCursor: $.x}}",
            "no query or header parameter named 'nope'",
        ),
        (
            "{type: cursor, inputs: [{name: cursor, in: parameters, type: cursor}]}",
            "needs outputs.nextCursor",
        ),
        (
            "{type: url, outputs: {results: '$.next-cursor', nextUrl: $.u}}",
            "must point to an array",
        ),
        ("{type: link, outputs: {results: '$..items'}}", "unsupported JSONPath"),
        ("[1, 2]", "must be a mapping"),
    ],
)
def test_bad_configs_are_located_warnings(tmp_path: Path, config: str, message: str) -> None:
    op, diagnostics = _build(config, tmp_path)
    assert op.pagination is None
    assert len(diagnostics) == 1
    rendered = diagnostics[0].render()
    assert "warning[pagination-unsupported]" in rendered
    assert "x-speakeasy-pagination" in rendered
    assert message in rendered


transport = importlib.import_module("_runtime.transport")

PARTS = [
    [("model", (None, b"openai/gpt-image-1")), ("n", (None, b"2"))],
    [("image", ("cat.png", b"\x89PNG", "image/png")), ("image", ("dog.png", b"\x00", None))],
    [('we"ird\\name\r\n', ('fi"le\n.txt', b"a", None)), ("ü", ("ü.json", "{}", None))],
    [("meta", (None, b'{"a":1}', "application/json")), ("blob", ("noext", b"x", None))],
    [("empty", (None, b"")), ("esc", (None, b"\x1b"))],
]


@pytest.mark.parametrize("parts", PARTS)
def test_multipart_bytes_match_httpx(parts: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport.os, "urandom", lambda n: bytes(range(n)))
    encoded = transport.encode_parts(parts)
    assert encoded is not None
    body, content_type = encoded
    reference = httpx.Request(
        "POST", "https://a.test/", files=parts, headers={"content-type": content_type}
    )
    assert body == reference.read()


def test_multipart_with_a_file_object_is_left_to_httpx() -> None:
    assert transport.encode_parts([("f", ("a", io.BytesIO(b"x"), None))]) is None
    assert transport.encode_parts([("f", io.BytesIO(b"x"))]) is None
    assert transport.encode_parts({"f": b"x"}) is None
