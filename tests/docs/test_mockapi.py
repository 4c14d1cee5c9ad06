"""The docs mock rejects what the spec rejects, so a wrong snippet cannot pass."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.docs.mockapi import MockApi

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.example/api/v1"}],
    "security": [{"key": []}],
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id", "item"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "item": {"type": "string", "example": "tea"},
                },
            }
        },
    },
    "paths": {
        "/orders/{id}": {
            "get": {
                "operationId": "getOrder",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "v", "in": "query", "required": True, "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    }
                },
            }
        },
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                    },
                },
                "responses": {"201": {"description": "made"}},
            }
        },
    },
}
KEY = {"x-key": "k"}


@pytest.fixture()
def mock(tmp_path: Path) -> MockApi:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(SPEC))
    return MockApi(path)


def test_a_valid_request_gets_the_synthesised_example(mock: MockApi) -> None:
    status, media, body = mock.handle("GET", "/api/v1/orders/7?v=1", KEY, b"")
    assert (status, media) == (200, "application/json")
    assert json.loads(body) == {"id": "<value>", "item": "tea"}
    assert mock.seen[-1].operation == "/orders/{id}" and mock.seen[-1].violations == []


@pytest.mark.parametrize(
    ("method", "target", "headers", "body", "problem"),
    [
        ("GET", "/api/v1/orders/7", KEY, b"", "required query parameter 'v' is missing"),
        ("GET", "/api/v1/orders/7?v=1", {}, b"", "no credentials"),
        ("GET", "/api/v1/nowhere", KEY, b"", "no operation for GET /nowhere"),
        ("POST", "/api/v1/orders", KEY, b"", "the request body is required"),
        (
            "POST",
            "/api/v1/orders",
            {**KEY, "content-type": "application/json"},
            b'{"id": "x"}',
            "required body property 'item' is missing",
        ),
        (
            "POST",
            "/api/v1/orders",
            {**KEY, "content-type": "text/plain"},
            b"tea",
            "content type 'text/plain' is not one of ['application/json']",
        ),
    ],
)
def test_a_request_the_spec_rejects_is_a_violation(
    mock: MockApi, method: str, target: str, headers: dict[str, str], body: bytes, problem: str
) -> None:
    status, _, _ = mock.handle(method, target, headers, body)
    assert status in (404, 422)
    assert any(problem in v for v in mock.seen[-1].violations), mock.seen[-1].violations


def test_read_only_properties_are_not_required_in_requests(mock: MockApi) -> None:
    headers = {**KEY, "content-type": "application/json"}
    status, _, _ = mock.handle("POST", "/api/v1/orders", headers, b'{"item": "tea"}')
    assert status == 201 and mock.seen[-1].violations == []


def test_it_serves_over_http(mock: MockApi) -> None:
    base = mock.start()
    try:
        response = httpx.get(f"{base}/api/v1/orders/1?v=2", headers=KEY)
    finally:
        mock.stop()
    assert response.status_code == 200 and response.json()["item"] == "tea"
