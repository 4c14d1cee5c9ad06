"""Request bodies on the wire, byte for byte: JSON, multipart, form, binary, text."""

from __future__ import annotations

import io
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import httpx

from tests.wire.conftest import Recorder

PET = {"name": "Rex"}


def _parts(request: httpx.Request) -> list[tuple[str | None, str | None, str | None, bytes]]:
    """(name, filename, content type, payload) of every multipart part, in order."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get("content-type"),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def test_json_body(client: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(201, json={"name": "Rex", "tag": "dog"}))
    pet = client.bodies.json_body(name="Rex", tag="dog")
    assert recorder.last.headers["content-type"] == "application/json"
    assert recorder.last.content == b'{"name":"Rex","tag":"dog"}'
    assert (pet.name, pet.tag) == ("Rex", "dog")


def test_the_caller_picks_another_media_type(client: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(201, json=PET))
    client.bodies.json_body(
        name="Rex Jr", tag="a&b", content_type="application/x-www-form-urlencoded"
    )
    assert recorder.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert recorder.last.content == b"name=Rex%20Jr&tag=a%26b"


def test_multipart_files_arrays_json_parts_and_encoding(
    wire: Any, client: Any, recorder: Recorder
) -> None:
    client.bodies.multipart_body(
        file=b"\x89PNG",
        images=[
            wire.File(file_name="a.gif", content=b"GIF8", content_type="image/gif"),
            ("b.bin", io.BytesIO(b"\x00\x01")),
        ],
        meta={"k": "v"},
        tags=["x", "y"],
        note="# hi",
        count=2,
    )
    assert recorder.last.headers["content-type"].startswith("multipart/form-data; boundary=")
    # Parts in model order (required first): a file part with the encoding's content
    # type, one part per file of an array, a JSON part for an object, a part per item
    # of a scalar array, the encoding's content type for `note`, plain text otherwise.
    assert _parts(recorder.last) == [
        ("file", "upload", "image/png", b"\x89PNG"),
        ("count", None, None, b"2"),
        ("images", "a.gif", "image/gif", b"GIF8"),
        ("images", "b.bin", "application/octet-stream", b"\x00\x01"),
        ("meta", None, "application/json", b'{"k":"v"}'),
        ("note", None, "text/markdown", b"# hi"),
        ("tags", None, None, b"x"),
        ("tags", None, None, b"y"),
    ]


def test_multipart_encoding_styles_of_an_openapi_31_document(
    client: Any, recorder: Recorder
) -> None:
    client.bodies.multipart_styles(flat=["a", "b"], deep={"G": 2, "R": 1})
    assert [(n, d) for n, _, _, d in _parts(recorder.last)] == [
        ("deep[G]", b"2"),
        ("deep[R]", b"1"),
        ("flat", b"a,b"),
    ]


def test_form_body_with_encoding_styles(client: Any, recorder: Recorder) -> None:
    client.bodies.form_body(
        name="a b", tags=["x", "y"], flat=["p", "q,r"], color={"R": 1}, deep={"G": 2}
    )
    assert recorder.last.headers["content-type"] == "application/x-www-form-urlencoded"
    # color: form, exploded (the default), puts the members at the top level; deep:
    # deepObject; flat: form, not exploded, its "," delimiter encoded as in any form body.
    assert recorder.last.content == b"R=1&deep%5BG%5D=2&flat=p%2Cq%2Cr&name=a%20b&tags=x&tags=y"


def test_binary_body_from_bytes_file_and_iterator(client: Any, recorder: Recorder) -> None:
    client.bodies.binary_body(request=b"\x00\xff")
    client.bodies.binary_body(request=io.BytesIO(b"file-bytes"), content_type="image/png")
    client.bodies.binary_body(request=iter([b"chunk1", b"chunk2"]))
    first, second, third = recorder.requests
    assert (first.headers["content-type"], first.content) == (
        "application/octet-stream",
        b"\x00\xff",
    )
    assert (second.headers["content-type"], second.content) == ("image/png", b"file-bytes")
    assert third.content == b"chunk1chunk2"
    assert third.headers["transfer-encoding"] == "chunked"


def test_wildcard_media_type_is_chosen_per_call(client: Any, recorder: Recorder) -> None:
    client.bodies.image_body(request=b"RIFF", content_type="image/webp")
    assert recorder.last.headers["content-type"] == "image/webp"
    assert recorder.last.content == b"RIFF"


def test_text_body_and_text_response(client: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(200, text="échoed", headers={"content-type": "text/plain"}))
    echoed = client.bodies.text_body(request="héllo")
    assert recorder.last.headers["content-type"] == "text/plain"
    assert recorder.last.content == "héllo".encode()
    assert echoed == "échoed"


def test_async_binary_body_from_an_async_iterator(wire: Any, recorder: Recorder) -> None:
    import asyncio

    async def chunks() -> Any:
        yield b"part-1;"
        yield b"part-2"

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with wire.Wire(server_url="https://api.test", async_client=http) as sdk:
            await sdk.bodies.binary_body_async(request=chunks(), content_type="image/png")
        await http.aclose()

    asyncio.run(main())
    assert recorder.last.headers["content-type"] == "image/png"
    assert recorder.last.content == b"part-1;part-2"
