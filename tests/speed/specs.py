"""Small generated specs for the speed-infrastructure tests (many similar operations)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def many_operations(count: int, edited: int | None = None) -> dict[str, Any]:
    """A valid OpenAPI 3.1 spec with `count` operations in a few groups; `edited` changes one."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for index in range(count):
        group = f"group{index % 4}"
        name = f"Item{index}"
        schemas[name] = {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "description": f"Identifier of item {index}."},
                "size": {"type": "integer", "minimum": 0},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
        summary = f"Get item {index}" + (" (changed)" if index == edited else "")
        paths[f"/{group}/items{index}/{{item_id}}"] = {
            "get": {
                "operationId": f"getItem{index}",
                "summary": summary,
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {
                    "200": {
                        "description": "The item.",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Speed Test", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def write_spec(path: Path, data: dict[str, Any]) -> Path:
    """Write a spec as indented JSON (an edit of one operation changes only its lines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
