"""Speakeasy's naming/grouping extensions and our x-sdkforge-* twins shape the IR alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.ir.build import BuildOptions, OperationOverride, build_api
from generator.ir.nodes import Api
from generator.load import load
from tests.workflow.pets import edited

GET = ("paths", "/pets", "get")
GET_ONE = ("paths", "/pets/{id}", "get")
DELETE_ONE = ("paths", "/pets/{id}", "delete")


def _api(tmp_path: Path, spec: dict[str, Any], **options: Any) -> Api:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(spec))
    api, _ = build_api(load(path), BuildOptions("pets", "Pets", "pets", "0.1.0", "p", **options))
    return api


def _where(api: Api) -> dict[str, tuple[str, str]]:
    return {
        op.operation_id: (group.dotted, op.method_name)
        for group in api.groups()
        for op in group.operations
    }


@pytest.mark.parametrize("prefix", ["x-speakeasy", "x-sdkforge"])
def test_group_name_ignore_and_retries(tmp_path: Path, prefix: str) -> None:
    name_key = "x-speakeasy-name-override" if prefix == "x-speakeasy" else "x-sdkforge-name"
    spec = edited(
        ((*GET_ONE, f"{prefix}-group"), "animals.dogs"),
        ((*GET_ONE, name_key), "fetchOne"),
        ((*DELETE_ONE, f"{prefix}-ignore"), True),
        ((*GET, f"{prefix}-retries"), {"strategy": "none"}),
        ((f"{prefix}-retries",), {"strategy": "backoff", "statusCodes": [503]}),
    )
    api = _api(tmp_path, spec)
    where = _where(api)
    assert where["getPet"] == ("animals.dogs", "fetch_one")
    assert "deletePet" not in where
    retries = {op.operation_id: op.retries for op in api.operations()}
    assert retries["listPets"] == '{"strategy": "none"}'
    assert retries["createPet"] == '{"strategy": "backoff", "statusCodes": [503]}'


def test_config_overrides_win_over_the_extensions(tmp_path: Path) -> None:
    spec = edited(
        ((*GET_ONE, "x-speakeasy-group"), "animals"),
        ((*GET_ONE, "x-speakeasy-name-override"), "fetch"),
        ((*GET, "x-speakeasy-retries"), {"strategy": "none"}),
    )
    overrides = (
        OperationOverride("getPet", method="read", group="zoo"),
        OperationOverride("listPets", retries={"strategy": "backoff"}),
    )
    api = _api(tmp_path, spec, overrides=overrides, retries={"strategy": "none"})
    assert _where(api)["getPet"] == ("zoo", "read")
    retries = {op.operation_id: op.retries for op in api.operations()}
    assert retries["listPets"] == '{"strategy": "backoff"}'
    assert retries["createPet"] == '{"strategy": "none"}'  # the config default
