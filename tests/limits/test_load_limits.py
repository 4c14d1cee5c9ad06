"""Input limits of `load`: size, depth, aliases, files, folders and the network."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, SpecError
from generator.limits import Limits
from generator.load import load
from generator.validate import validate
from tests.support.server import Reply, ScriptedServer

HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def _spec(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None) -> Any:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def _write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _load_error(path: Path, limits: Limits | None = None) -> Diagnostic:
    with pytest.raises(SpecError) as raised:
        load(path, limits) if limits else load(path)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.location.line is not None, diagnostic.render()
    return diagnostic


def _errors(path: Path, limits: Limits | None = None) -> list[Diagnostic]:
    spec = load(path, limits) if limits else load(path)
    return [d for d in validate(spec) if d.severity.value == "error"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.json", _spec(schemas={"A": {"description": "x" * 500}}))
    found = _load_error(path, Limits(max_document_bytes=200))
    assert found.rule == "document-too-large"
    assert "more than the limit of 200" in found.message


def test_nesting_past_the_depth_limit_is_located_at_the_first_deep_node(tmp_path: Path) -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(100):
        schema = {"type": "object", "properties": {"p": schema}}
    path = _write(tmp_path, "deep.json", _spec(schemas={"A": schema}))
    found = _load_error(path)
    assert found.rule == "document-too-deep"
    assert found.location.pointer.startswith("#/components/schemas/A/properties/p/")
    assert found.location.pointer.count("/") == 128  # the 129th level


def test_real_world_depth_is_far_below_the_limit(tmp_path: Path) -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(30):  # the APIs-guru directory peaks at 34 levels in all
        schema = {"type": "object", "properties": {"p": schema}}
    path = _write(tmp_path, "ok.json", _spec(schemas={"A": schema}))
    assert load(path).data["components"]["schemas"]["A"]["type"] == "object"


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = [HEAD, 'x-0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"x-{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    path = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\npaths: {}\n")
    started = time.perf_counter()
    found = _load_error(path)
    assert found.rule == "document-too-large"
    assert "aliases" in found.message
    assert time.perf_counter() - started < 10  # 9**10 values are never walked


def test_an_alias_used_deeper_than_the_limit_counts_at_its_use(tmp_path: Path) -> None:
    text = HEAD + "x-a: &a {b: {c: 1}}\n"
    nested = "*a"
    for _ in range(10):
        nested = "[" + nested + "]"
    path = _write(tmp_path, "alias-depth.yaml", text + f"x-b: {nested}\npaths: {{}}\n")
    assert load(path, Limits(max_depth=13)).data["x-b"]
    assert _load_error(path, Limits(max_depth=12)).rule == "document-too-deep"


def test_a_self_containing_yaml_document_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "loop.yaml", HEAD + "paths: {}\nx-loop: &a [1, *a]\n")
    found = _load_error(path)
    assert found.rule in ("document-recursive", "yaml-syntax")


def test_refs_outside_the_spec_folder_are_not_read(tmp_path: Path) -> None:
    _write(tmp_path, "secret.json", {"type": "string"})
    ref = {"$ref": "../secret.json"}
    path = _write(tmp_path / "api", "spec.json", _spec(schemas={"A": ref}))
    (error,) = _errors(path)
    assert error.rule == "unresolved-ref"
    assert "leaves the spec's folder" in error.message


def test_a_symlink_inside_the_folder_cannot_lead_outside_it(tmp_path: Path) -> None:
    _write(tmp_path, "outside/secret.json", {"type": "string"})
    api = tmp_path / "api"
    api.mkdir()
    os.symlink(tmp_path / "outside", api / "link")
    path = _write(api, "spec.json", _spec(schemas={"A": {"$ref": "link/secret.json"}}))
    (error,) = _errors(path)
    assert error.rule == "unresolved-ref"
    assert "leaves the spec's folder" in error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_ref_to_a_named_pipe_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": {"$ref": "pipe.json"}}))
    (error,) = _errors(path)
    assert "not a regular file" in error.message


def test_the_number_of_files_a_spec_reaches_is_bounded(tmp_path: Path) -> None:
    schemas = {f"S{i}": {"$ref": f"s{i}.json"} for i in range(5)}
    for i in range(5):
        _write(tmp_path, f"s{i}.json", {"type": "string"})
    path = _write(tmp_path, "spec.json", _spec(schemas=schemas))
    assert _errors(path, Limits(max_documents=10)) == []
    errors = _errors(path, Limits(max_documents=3))
    assert {e.rule for e in errors} == {"unresolved-ref"}
    assert any("more than 3 files" in e.message for e in errors)


def test_the_total_size_of_all_files_is_bounded(tmp_path: Path) -> None:
    schemas = {f"S{i}": {"$ref": f"s{i}.json"} for i in range(4)}
    for i in range(4):
        _write(tmp_path, f"s{i}.json", {"type": "string", "description": "x" * 400})
    path = _write(tmp_path, "spec.json", _spec(schemas=schemas))
    errors = _errors(path, Limits(max_total_bytes=1500))
    assert errors and all("add up to more than 1500 bytes" in e.message for e in errors)


def test_ref_cycles_and_endless_chains_are_errors(tmp_path: Path) -> None:
    loop = {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}
    path = _write(tmp_path, "loop.json", _spec(schemas=loop))
    errors = _errors(path)
    assert {e.rule for e in errors} == {"ref-cycle"}
    assert {e.location.pointer for e in errors} == {
        "#/components/schemas/A/$ref",
        "#/components/schemas/B/$ref",
    }
    chain = {f"C{i}": {"$ref": f"#/components/schemas/C{i + 1}"} for i in range(80)}
    chain["C80"] = {"type": "string"}
    path = _write(tmp_path, "chain.json", _spec(schemas=chain))
    assert {e.rule for e in _errors(path)} == {"ref-cycle"}
    short = {f"C{i}": {"$ref": f"#/components/schemas/C{i + 1}"} for i in range(5)}
    short["C5"] = {"type": "string"}
    assert _errors(_write(tmp_path, "short.json", _spec(schemas=short))) == []


def test_a_lone_surrogate_is_a_located_error(tmp_path: Path) -> None:
    text = json.dumps(_spec(schemas={"A": {"type": "string", "enum": ["ok", "\ud800"]}}))
    path = _write(tmp_path, "spec.json", text)  # json.dumps writes the escape "\ud800"
    (error,) = _errors(path)
    assert error.rule == "invalid-unicode"
    assert error.location.pointer == "#/components/schemas/A/enum/1"
    error.render().encode("utf-8")  # printable: the surrogate is escaped in the message


def test_a_pattern_python_cannot_read_is_only_a_warning(tmp_path: Path) -> None:
    schema = {"type": "string", "pattern": "^[\\p{L}\\p{N}]+$"}
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": schema}))
    found = validate(load(path))
    assert [(d.severity.value, d.rule) for d in found] == [("warning", "unsupported-pattern")]


@pytest.fixture()
def loopback(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The scripted server, reached without any proxy."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with ScriptedServer() as server:
        yield server


def test_remote_refs_make_no_connection_unless_allowed(tmp_path: Path, loopback: Any) -> None:
    ref = {"$ref": f"{loopback.url}/defs.json#/Pet"}
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": ref}))
    (error,) = _errors(path)
    assert error.rule == "unresolved-ref"
    assert "is not fetched" in error.message
    assert loopback.requests == []


def test_an_allowed_url_is_fetched_once_and_resolved(tmp_path: Path, loopback: Any) -> None:
    loopback.queue(Reply(200, json.dumps({"Pet": {"type": "string"}})))
    ref = {"$ref": f"{loopback.url}/defs/pets.json#/Pet"}
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": ref, "B": ref}))
    limits = Limits(allowed_urls=(f"{loopback.url}/defs",))
    spec = load(path, limits)
    assert [d for d in validate(spec) if d.severity.value == "error"] == []
    assert spec.resolve(ref["$ref"], spec.root_key).value == {"type": "string"}
    assert [r.path for r in loopback.requests] == ["/defs/pets.json"]


def test_allowed_prefixes_match_whole_path_segments(tmp_path: Path, loopback: Any) -> None:
    ref = {"$ref": f"{loopback.url}/defs-evil/pets.json#/Pet"}
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": ref}))
    errors = _errors(path, Limits(allowed_urls=(f"{loopback.url}/defs",)))
    assert [e.rule for e in errors] == ["unresolved-ref"]
    assert loopback.requests == []


def test_a_redirect_may_not_leave_the_allowed_urls(tmp_path: Path, loopback: Any) -> None:
    loopback.queue(Reply(302, b"", {"Location": f"{loopback.url}/elsewhere.json"}))
    ref = {"$ref": f"{loopback.url}/defs/pets.json#/Pet"}
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": ref}))
    errors = _errors(path, Limits(allowed_urls=(f"{loopback.url}/defs/",)))
    assert [e.rule for e in errors] == ["unresolved-ref"]
    assert "not allowed" in errors[0].message
    assert [r.path for r in loopback.requests] == ["/defs/pets.json"]


def test_a_remote_document_over_the_size_limit_is_refused(tmp_path: Path, loopback: Any) -> None:
    loopback.queue(Reply(200, json.dumps({"Pet": {"description": "x" * 5000}})))
    ref = {"$ref": f"{loopback.url}/defs/pets.json#/Pet"}
    path = _write(tmp_path, "spec.json", _spec(schemas={"A": ref}))
    limits = Limits(allowed_urls=(f"{loopback.url}/defs/",), max_document_bytes=2000)
    errors = _errors(path, limits)
    assert [e.rule for e in errors] == ["unresolved-ref"]
    assert "larger than the limit" in errors[0].message


def test_a_query_string_in_a_path_key_gets_a_hint_saying_so(tmp_path: Path) -> None:
    operation = {
        "parameters": [{"name": "term", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok"}},
    }
    path = _write(tmp_path, "spec.json", _spec(paths={"/icons?term={term}": {"get": operation}}))
    (error,) = _errors(path)
    assert error.rule == "path-parameter-undeclared"
    assert error.hint == (
        "a path holds no query string: make the key '/icons' and declare term as a "
        "parameter with `in: query`"
    )
