"""Every pagination kind, sync and async, against the scripted server (specs/resilience.yaml)."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import pytest

from tests.faults.helpers import FILE, fast
from tests.support.server import ScriptedServer, json_reply


def client(sdk: ModuleType, server: ScriptedServer, **options: Any) -> Any:
    return sdk.Resilience(api_key="secret-key", server_url=server.url, **options)


def items(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i} for i in ids]


def test_offset_limit_walks_every_page(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(
        json_reply({"items": items("a", "b")}),
        json_reply({"items": items("c", "d")}),
        json_reply({"items": items("e")}),  # short page: the last one
    )
    with client(resilience_sdk, server) as api:
        page = api.items.by_offset(limit=2)
        assert [i.id for i in page.items] == ["a", "b"]
        assert page.has_next_page()
        assert [i.id for i in page] == ["a", "b", "c", "d", "e"]
    offsets = [dict(r.query).get("offset") for r in server.requests]
    assert offsets == [None, "2", "4"]
    assert all(dict(r.query)["limit"] == "2" for r in server.requests)
    assert all(dict(r.query)["api_key"] == "secret-key" for r in server.requests)


def test_offset_without_limit_stops_at_an_empty_page(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(json_reply({"items": items("a")}), json_reply({"items": []}))
    with client(resilience_sdk, server) as api:
        assert [i.id for i in api.items.by_offset(offset=10)] == ["a"]
    assert [dict(r.query).get("offset") for r in server.requests] == ["10", "11"]


def test_page_numbers_stop_at_the_reported_count(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    def reply(*ids: str) -> Any:
        return json_reply({"data": {"results": items(*ids), "num-pages": 3}})

    server.queue(reply("a"), reply("b"), reply("c"), reply("never"))
    with client(resilience_sdk, server) as api:
        pages = list(api.items.by_page().iter_pages())
    assert [[i.id for i in p.items] for p in pages] == [["a"], ["b"], ["c"]]
    assert [dict(r.query).get("page") for r in server.requests] == [None, "2", "3"]
    assert not pages[-1].has_next_page()
    assert pages[-1].next_page() is None


def test_cursor_in_the_body_and_has_more(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(
        json_reply({"results": ["a", "b"], "next": "c1", "has_more": True}),
        json_reply({"results": ["c"], "next": "c2", "has_more": False}),
    )
    with client(resilience_sdk, server) as api:
        found = list(api.items.search(query="q"))
    assert found == ["a", "b", "c"]
    assert [r.json() for r in server.requests] == [
        {"query": "q"},
        {"query": "q", "after": "c1"},
    ]


def test_cursor_that_repeats_stops_instead_of_looping(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(
        json_reply({"results": ["a"], "next": "same"}),
        json_reply({"results": ["b"], "next": "same"}),
    )
    with client(resilience_sdk, server) as api:
        assert list(api.items.search(query="q")) == ["a", "b"]
    assert len(server.requests) == 2


def test_link_header_pages(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    second = f"{server.url}/linked-items?per_page=2&page=2"
    server.queue(
        json_reply(items("a", "b"), Link=f'<{second}>; rel="next", <{server.url}/x>; rel="last"'),
        json_reply(items("c"), Link='</linked-items?per_page=2&page=3>; rel="next"'),
        json_reply([], Link='</linked-items?per_page=2&page=1>; rel="first"'),
    )
    with client(resilience_sdk, server) as api:
        assert [i.id for i in api.items.by_link(per_page=2)] == ["a", "b", "c"]
    assert all(r.path == "/linked-items" for r in server.requests)
    assert [dict(r.query).get("page") for r in server.requests] == [None, "2", "3"]
    assert all(dict(r.query)["api_key"] == "secret-key" for r in server.requests[1:])


def test_next_url_to_another_origin_is_refused(
    resilience_sdk: ModuleType, server: ScriptedServer
) -> None:
    server.queue(json_reply({"items": items("a"), "links": {"next": "http://evil.test/steal"}}))
    with client(resilience_sdk, server) as api:
        page = api.items.by_url()
        with pytest.raises(resilience_sdk.SDKError, match="another origin"):
            list(page)
    assert len(server.requests) == 1


def test_next_url_in_the_body(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(
        json_reply({"items": items("a"), "links": {"next": "/url-items?cursor=2"}}),
        json_reply({"items": items("b"), "links": {"next": None}}),
    )
    with client(resilience_sdk, server) as api:
        assert [i.id for i in api.items.by_url()] == ["a", "b"]
    assert server.requests[1].target.startswith("/url-items?cursor=2")


def test_each_page_request_is_retried(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    from tests.support.server import Reply

    server.queue(
        json_reply({"items": items("a", "b")}),
        Reply(503, b"busy", {"retry-after-ms": "1"}),
        json_reply({"items": items("c")}),
    )
    with client(resilience_sdk, server, retry_config=fast(resilience_sdk)) as api:
        assert [i.id for i in api.items.by_offset(limit=2)] == ["a", "b", "c"]
    assert len(server.requests) == 3


def test_async_pages(resilience_sdk: ModuleType, server: ScriptedServer) -> None:
    server.queue(
        json_reply({"items": items("a", "b")}),
        json_reply({"items": items("c")}),
        json_reply({"results": ["x"], "next": "n", "has_more": True}),
        json_reply({"results": ["y"], "next": None}),
    )

    async def main() -> tuple[list[str], list[str], bool]:
        async with client(resilience_sdk, server) as api:
            page = await api.items.by_offset_async(limit=2)
            first = [i.id async for i in page]
            search = await api.items.search_async(query="q")
            found = [text async for text in search]
            return first, found, page.has_next_page()

    first, found, more = asyncio.run(main())
    assert first == ["a", "b", "c"]
    assert found == ["x", "y"]
    assert more


def test_orq_list_files_follows_its_cursor(orq_sdk: ModuleType, server: ScriptedServer) -> None:
    second = {**FILE, "file_id": "file_2"}
    server.queue(
        json_reply({"object": "list", "data": [FILE], "has_more": True}),
        json_reply({"object": "list", "data": [second], "has_more": False}),
        json_reply({"object": "list", "data": [], "has_more": False}),
    )
    with orq_sdk.Orq(api_key="k", server_url=server.url) as orq:
        page = orq.files.list(limit=1)
        assert page.result.has_more is True
        ids = [f.file_id for f in page]
    assert ids == ["file_1", "file_2"]
    cursors = [dict(r.query).get("starting_after") for r in server.requests]
    assert cursors == [None, "file_1", "file_2"]
