"""Servers: variables with enums and defaults, server index, per-operation servers, overrides."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.wire.conftest import Recorder


def _client(wire: Any, recorder: Recorder, **options: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return wire.Wire(client=http, retry_config=None, **options)


def test_default_server_uses_variable_defaults(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder) as sdk:
        sdk.params.query_form()
    assert str(recorder.last.url) == "https://eu.wire.example/v1/query/form"


def test_server_variables_and_index(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder, server_variables={"region": "us", "version": "v9"}) as sdk:
        sdk.params.query_form()
    assert str(recorder.last.url) == "https://us.wire.example/v9/query/form"
    with _client(wire, recorder, server_index=1) as sdk:
        sdk.params.query_form()
    assert str(recorder.last.url) == "https://sandbox.wire.example/query/form"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"server_variables": {"region": "mars"}}, "must be one of 'eu', 'us', not 'mars'"),
        ({"server_variables": {"zone": "a"}}, "unknown server variable(s) zone"),
        ({"server_index": 2}, "server_index must be between 0 and 1, not 2"),
    ],
)
def test_bad_server_choices_fail_at_construction(
    wire: Any, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        wire.Wire(**options)


def test_operation_servers_and_overrides(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder, server_url="https://proxy.test/base") as sdk:
        sdk.servers.own_server()
        sdk.servers.relative_server()
        sdk.params.query_form()
        sdk.servers.own_server(server_url="https://override.test")
    urls = [str(r.url) for r in recorder.requests]
    assert urls == [
        "https://acme.files.wire.example/servers/own",  # its own server, variable default
        "https://proxy.test/v2/servers/relative",  # relative: joined to the client's origin
        "https://proxy.test/base/query/form",  # server_url replaces the spec's servers
        "https://override.test/servers/own",  # per call, server_url wins over everything
    ]
