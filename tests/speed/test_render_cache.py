"""Templates are compiled once per process; each render still sees only its own Api."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.ir.build import BuildOptions, build_api
from generator.load import load
from generator.render.env import CompiledTemplates
from generator.render.plan import render

SPEC = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /%(path)s:
    get:
      operationId: %(op)s
      responses: {"200": {description: ok}}
"""


def _api(tmp_path: Path, name: str, op: str, package: str):  # type: ignore[no-untyped-def]
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(SPEC % {"path": name, "op": op})
    options = BuildOptions(package, "Client", package, "1", spec.name)
    api, _ = build_api(load(spec), options)
    return api


def test_second_render_compiles_nothing_and_does_not_leak_the_first_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _api(tmp_path, "pets", "listPets", "pets_sdk")
    second = _api(tmp_path, "stores", "listStores", "stores_sdk")
    render(first)
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(str(name))
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    reused = {f.path: f.content for f in render(second)}
    assert compiled == []
    assert not any("pets" in text.lower() for text in reused.values())
    monkeypatch.setattr(CompiledTemplates, "_codes", {})
    fresh = {f.path: f.content for f in render(second)}
    assert compiled  # the cache was really emptied, so this render compiled
    assert reused == fresh


def test_an_edited_team_template_is_compiled_again(tmp_path: Path) -> None:
    api = _api(tmp_path, "pets", "listPets", "pets_sdk")
    layer = tmp_path / "team"
    template = layer / "sdk" / "package" / "errors.py.jinja"
    template.parent.mkdir(parents=True)
    path = "src/pets_sdk/errors.py"
    for text in ("X = 1\n", "X = 2\n"):
        template.write_text(text)
        assert {f.path: f.content for f in render(api, (layer,))}[path] == text
