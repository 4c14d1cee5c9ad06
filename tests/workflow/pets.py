"""A small spec whose edits exercise every kind of SDK surface change."""

from __future__ import annotations

import copy
from typing import Any

_PET = {"$ref": "#/components/schemas/Pet"}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "summary": "List pets.",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "number"}},
                    {
                        "name": "owner",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Status"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": _PET}),
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": _json({"$ref": "#/components/schemas/NewPet"}),
                },
                "responses": {"201": {"description": "created", "content": _json(_PET)}},
            },
        },
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "tags": ["pets"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok", "content": _json(_PET)}},
            },
            "delete": {
                "operationId": "deletePet",
                "tags": ["pets"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "gone"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Status": {"type": "string", "enum": ["available", "sold"]},
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "tag": {"type": "string"},
                    "weight": {"type": "number"},
                    "status": {"$ref": "#/components/schemas/Status"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "tag": {"type": "string"},
                    "age": {"type": "integer"},
                },
            },
            "Owner": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
            },
        }
    },
}


def edited(*paths_and_values: tuple[tuple[Any, ...], Any]) -> dict[str, Any]:
    """A copy of BASE with each (key path, value) set; the value `DELETE` removes the key."""
    spec = copy.deepcopy(BASE)
    for path, value in paths_and_values:
        node = spec
        for key in path[:-1]:
            node = node[key]
        if value is DELETE:
            del node[path[-1]]
        elif isinstance(node, list) and path[-1] == len(node):
            node.append(value)
        else:
            node[path[-1]] = value
    return spec


DELETE = object()
