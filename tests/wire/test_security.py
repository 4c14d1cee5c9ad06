"""Credentials on the wire: apiKey in header/query/cookie, bearer, basic, OAuth2, OpenID."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest

from tests.wire.conftest import Recorder

TOKEN_URL = "https://auth.wire.example/token"


def _client(wire: Any, recorder: Recorder, **credentials: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return wire.Wire(**credentials, server_url="https://api.test", client=http, retry_config=None)


def _token_reply(token: str, expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": token, "token_type": "Bearer", "expires_in": expires_in}
    )


def test_optional_security_sends_nothing_without_credentials(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder) as sdk:
        sdk.params.query_form()
    assert "x-api-key" not in recorder.last.headers and "authorization" not in recorder.last.headers


def test_global_api_key_header(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder, api_key_header="k-1") as sdk:
        sdk.params.query_form()
    assert recorder.last.headers["X-API-Key"] == "k-1"


def test_operation_without_security_sends_no_credentials(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder, api_key_header="k-1", bearer="t") as sdk:
        sdk.security.security_none()
    assert "x-api-key" not in recorder.last.headers and "authorization" not in recorder.last.headers


def test_alternatives_pick_the_first_fully_configured_one(wire: Any, recorder: Recorder) -> None:
    # [{basic, bearer}] needs Authorization twice: never sendable, so it is skipped.
    with _client(
        wire,
        recorder,
        basic_username="u",
        basic_password="p",
        api_key_query="q k",
        api_key_cookie="c;k",
    ) as sdk:
        sdk.security.security_choice()
    assert recorder.target() == "/security/choice?api_key=q%20k"
    assert recorder.last.headers["cookie"] == "session=c%3Bk"
    assert "authorization" not in recorder.last.headers
    with _client(wire, recorder, bearer="tok", api_key_query="q", api_key_cookie="c") as sdk:
        sdk.security.security_choice()
    assert recorder.target() == "/security/choice?api_key=q"  # earlier alternative wins
    assert "authorization" not in recorder.last.headers
    with _client(wire, recorder, bearer="tok") as sdk:
        sdk.security.security_choice()
    assert recorder.last.headers["authorization"] == "Bearer tok"


def test_basic_credentials(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder, basic_username="u", basic_password="p:w") as sdk:
        sdk.security.security_basic()
    assert recorder.last.headers["authorization"] == "Basic " + base64.b64encode(b"u:p:w").decode()


def test_unsendable_requirement_is_skipped(wire: Any, recorder: Recorder) -> None:
    # [{basic, bearer}] would need Authorization twice; bearer alone is the next choice.
    with _client(wire, recorder, basic_username="u", basic_password="p", bearer="b") as sdk:
        sdk.security.security_choice()
    assert recorder.last.headers["authorization"] == "Bearer b"


def test_credentials_from_environment_variables(
    wire: Any, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRE_API_KEY_HEADER", "from-env")
    monkeypatch.setenv("WIRE_OIDC", "id-token")
    with _client(wire, recorder) as sdk:
        sdk.params.query_form()
        sdk.security.security_oidc()
    assert recorder.requests[0].headers["X-API-Key"] == "from-env"
    assert recorder.requests[1].headers["authorization"] == "Bearer id-token"
    with _client(wire, recorder, api_key_header="argument") as sdk:
        sdk.params.query_form()
    assert recorder.last.headers["X-API-Key"] == "argument"


def test_oauth2_client_credentials_fetch_cache_and_refresh(
    wire: Any, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    recorder.queue(_token_reply("t1", expires_in=600))
    with _client(wire, recorder, oauth_client_id="id:1", oauth_client_secret="s&2") as sdk:
        sdk.security.security_oauth()
        sdk.security.security_oauth()
        now[0] += 600 - 59  # inside the 60 s refresh margin: fetched again
        recorder.queue(_token_reply("t2"))
        sdk.security.security_oauth()
    token_call, first, second, refresh, third = recorder.requests
    assert (token_call.method, str(token_call.url)) == ("POST", TOKEN_URL)
    assert token_call.content == b"grant_type=client_credentials&scope=read%20write"
    assert token_call.headers["content-type"] == "application/x-www-form-urlencoded"
    expected = base64.b64encode(b"id%3A1:s%262").decode()
    assert token_call.headers["authorization"] == f"Basic {expected}"
    assert first.headers["authorization"] == second.headers["authorization"] == "Bearer t1"
    assert str(refresh.url) == TOKEN_URL
    assert third.headers["authorization"] == "Bearer t2"


def test_oauth2_token_failure_is_an_api_error(wire: Any, recorder: Recorder) -> None:
    recorder.queue(httpx.Response(401, json={"error": "invalid_client"}))
    sdk = _client(wire, recorder, oauth_client_id="a", oauth_client_secret="b")
    with sdk, pytest.raises(wire.APIError) as caught:
        sdk.security.security_oauth()
    assert caught.value.status_code == 401 and "token" in str(caught.value)


def test_oauth2_async_fetches_with_the_async_client(wire: Any, recorder: Recorder) -> None:
    recorder.queue(_token_reply("async-token"))

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        sdk = wire.Wire(
            oauth_client_id="a",
            oauth_client_secret="b",
            server_url="https://api.test",
            async_client=http,
        )
        async with sdk:
            await sdk.security.security_oauth_async()
            await sdk.security.security_oauth_async()
        await http.aclose()

    asyncio.run(main())
    assert [str(r.url) for r in recorder.requests] == [
        TOKEN_URL,
        "https://api.test/security/oauth",
        "https://api.test/security/oauth",
    ]
    assert recorder.last.headers["authorization"] == "Bearer async-token"


def test_two_schemes_in_one_header_share_an_equal_token(wire: Any, recorder: Recorder) -> None:
    with _client(wire, recorder, bearer="same", oidc="same") as sdk:
        sdk.security.security_both_tokens()
    assert recorder.last.headers.get_list("authorization") == ["Bearer same"]
    with _client(wire, recorder, bearer="one", oidc="other") as sdk:
        sdk.security.security_both_tokens()
    assert "authorization" not in recorder.last.headers  # two tokens cannot share a header
