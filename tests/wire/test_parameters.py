"""Parameters on the wire, byte for byte: every style/explode pair in every location.

Expected strings follow the "Style Examples" table of OpenAPI 3.1.1 (percent-encoded).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.wire.conftest import Recorder

ARR = ["blue", "black"]
OBJ = {"R": 100, "G": 200}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("path_simple", "/path/simple/blue/blue,black/R,100,G,200"),
        ("path_simple_exploded", "/path/simple/blue/blue,black/R=100,G=200"),
        ("path_label", "/path/label/.blue/.blue,black/.R,100,G,200"),
        ("path_label_exploded", "/path/label/.blue/.blue.black/.R=100.G=200"),
        ("path_matrix", "/path/matrix/;prim=blue/;arr=blue,black/;obj=R,100,G,200"),
        ("path_matrix_exploded", "/path/matrix/;prim=blue/;arr=blue;arr=black/;R=100;G=200"),
    ],
)
def test_path_styles(client: Any, recorder: Recorder, method: str, expected: str) -> None:
    getattr(client.params, method)(prim="blue", arr=ARR, obj=OBJ)
    assert recorder.target() == expected


def test_path_values_are_percent_encoded(client: Any, recorder: Recorder) -> None:
    client.params.path_simple(prim="a/b c?ü", arr=["x,y", "z"], obj={"R": 1})
    assert recorder.target() == "/path/simple/a%2Fb%20c%3F%C3%BC/x%2Cy,z/R,1"


def test_path_model_values_use_wire_names(wire: Any, client: Any, recorder: Recorder) -> None:
    color = wire.models.Color(R=1, G=2)
    client.params.path_matrix_exploded(prim="p", arr=["a"], obj=color)
    # Model fields go out in the model's field order, under their wire names.
    assert recorder.target() == "/path/matrix/;prim=p/;arr=a/;G=2;R=1"


def test_query_form_exploded(client: Any, recorder: Recorder) -> None:
    client.params.query_form(prim="a b&c", arr=ARR, obj=OBJ)
    assert recorder.target() == "/query/form?arr=blue&arr=black&R=100&G=200&prim=a%20b%26c"


def test_query_form_not_exploded_and_allow_reserved(client: Any, recorder: Recorder) -> None:
    client.params.query_form_flat(arr=ARR, obj=OBJ, reserved="a/b?c:d&e=f#")
    assert recorder.target() == (
        "/query/form?arr=blue,black&obj=R,100,G,200&reserved=a/b?c:d%26e%3Df%23"
    )


def test_query_delimited_and_deep_object(client: Any, recorder: Recorder) -> None:
    client.params.query_delimited(space=ARR, pipe=ARR, deep=OBJ)
    assert recorder.target() == (
        "/query/delimited?deep%5BR%5D=100&deep%5BG%5D=200&pipe=blue%7Cblack&space=blue%20black"
    )


def test_content_parameters_are_json(client: Any, recorder: Recorder) -> None:
    client.params.query_content(filter={"a": 1, "b": "x y"}, x_filter={"a": 2})
    assert recorder.target() == "/query/content?filter=%7B%22a%22%3A1%2C%22b%22%3A%22x%20y%22%7D"
    assert recorder.last.headers["X-Filter"] == '{"a":2}'


def test_omitted_optional_parameters_are_not_sent(client: Any, recorder: Recorder) -> None:
    client.params.query_form()
    client.params.header_params()
    assert recorder.requests[0].url.raw_path == b"/query/form"
    assert not {"x-prim", "x-arr", "x-obj"} & set(recorder.last.headers)


def test_header_styles(client: Any, recorder: Recorder) -> None:
    client.params.header_params(x_prim="blue", x_arr=ARR, x_obj=OBJ, x_exploded=OBJ)
    headers = recorder.last.headers
    assert headers["X-Prim"] == "blue"
    assert headers["X-Arr"] == "blue,black"
    assert headers["X-Obj"] == "R,100,G,200"
    assert headers["X-Exploded"] == "R=100,G=200"


def test_cookie_styles(client: Any, recorder: Recorder) -> None:
    client.params.cookie_params(prim="a b;c", arr=ARR, obj=OBJ)
    assert recorder.last.headers["cookie"] == "arr=blue,black; R=100; G=200; prim=a%20b%3Bc"


def test_path_item_parameters_keyword_names_and_body_collisions(
    client: Any, recorder: Recorder
) -> None:
    # `id` and `name` are both body fields and parameters; `class` is a Python keyword.
    client.params.put_item(id_path="i-1", id=7, name="body", name_query="query", class_="c")
    assert recorder.target() == "/items/i-1?class=c&name=query"
    assert recorder.last.content == b'{"id":7,"name":"body"}'


def test_literal_path_characters_are_encoded(client: Any, recorder: Recorder) -> None:
    client.params.literal_path()
    # "#x" ends the path: appended to the server URL it is a fragment, never sent.
    assert recorder.target() == "/literal%20path/%C3%BC"


def test_a_query_in_the_spec_path_is_sent_as_query(client: Any, recorder: Recorder) -> None:
    client.params.fixed_query(limit=5)
    client.params.fragment_path()
    assert [r.url.raw_path for r in recorder.requests] == [b"/jobs?op=LIST&limit=5", b"/jobs"]


def test_async_call_sends_the_same_bytes(wire: Any, recorder: Recorder) -> None:
    import asyncio

    import httpx

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with wire.Wire(server_url="https://api.test", async_client=http) as sdk:
            await sdk.params.path_label_exploded_async(prim="blue", arr=ARR, obj=OBJ)
        await http.aclose()

    asyncio.run(main())
    assert recorder.target() == "/path/label/.blue/.blue.black/.R=100.G=200"
