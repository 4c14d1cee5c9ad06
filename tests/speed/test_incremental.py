"""Incremental regeneration: a warm run and a one-operation edit give the bytes of a cold run,
and only the files the edit touches are formatted again."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import checked
from generator.cache import Cache
from generator.config import Target
from generator.pipeline import Result, RunSettings, run

from .specs import many_operations, tree, write_spec

OPERATIONS = 8


def _target(spec: Path, out: Path) -> Target:
    return Target(
        name="speed",
        spec=spec,
        output=out,
        package="speed_sdk",
        client_class="Speed",
        distribution="speed-sdk",
        spec_display="spec.json",
    )


def _run(
    spec: Path, out: Path, cache: Path | None, jobs: int = 1, formatter: str = "black"
) -> tuple[Result, Cache]:
    store = Cache(cache)
    settings = RunSettings(formatter=formatter, cache=store, jobs=jobs)
    result = run(_target(spec, out), settings=settings)
    assert not result.failed, [d.render() for d in result.diagnostics]
    return result, store


def test_cold_warm_and_one_operation_edit_give_cold_bytes(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "work" / "spec.json", many_operations(OPERATIONS))
    out, cache = tmp_path / "out", tmp_path / "cache"
    cold, cold_cache = _run(spec, out, cache)
    cold_tree = tree(out)
    python_files = sum(1 for f in cold.files if f.path.endswith(".py"))
    assert cold_cache.stats.misses["format"] == python_files

    replayed, replay_cache = _run(spec, out, cache)
    assert tree(out) == cold_tree
    assert replayed.report is not None and replayed.report.written == []
    assert replay_cache.stats.hits == {"run": 1}  # nothing redone at all
    assert replayed.diagnostics == cold.diagnostics

    module = next(p for p in out.rglob("*.py") if "models" in p.parts)
    module.write_text("edited by hand\n", encoding="utf-8")  # the replay must notice
    warm, warm_cache = _run(spec, out, cache)
    assert tree(out) == cold_tree
    assert warm.report is not None and warm.report.written == [module.relative_to(out).as_posix()]
    assert warm_cache.stats.misses.get("format", 0) == 0
    assert warm_cache.stats.misses.get("rendered", 0) == 0  # nothing rendered again
    assert warm_cache.stats.hits["rendered"] == cold_cache.stats.misses["rendered"]
    assert warm_cache.stats.hits["validate"] == 1
    assert warm_cache.stats.misses.get("snippet", 0) == 0  # no docs example formatted again

    write_spec(spec, many_operations(OPERATIONS, edited=OPERATIONS // 2))
    edited, edited_cache = _run(spec, out, cache)
    assert edited.report is not None
    changed = set(edited.report.written)
    assert changed and len(changed) < 5, changed  # the group's module, its docs, the README
    assert edited_cache.stats.misses["format"] <= 2
    rendered_again = edited_cache.stats.misses["rendered"]
    assert 0 < rendered_again <= 4 < edited_cache.stats.hits["rendered"]
    assert edited_cache.stats.misses["validate"] == 1
    snippets = cold_cache.stats.misses["snippet"]
    assert edited_cache.stats.misses.get("snippet", 0) == 0 < snippets  # a summary is no code
    assert edited_cache.stats.misses["run"] == 1

    fresh = tmp_path / "fresh"
    _run(spec, fresh, None)
    assert tree(out) == tree(fresh)


def test_validation_cache_notices_an_edited_external_file(tmp_path: Path) -> None:
    data = many_operations(2)
    data["components"]["schemas"]["Item0"] = {"$ref": "models.json#/Item"}
    spec = write_spec(tmp_path / "spec.json", data)
    models = write_spec(tmp_path / "models.json", {"Item": {"type": "object"}})
    runs = []
    for edit in (False, False, True):
        if edit:
            changed = {"type": "object", "properties": {"x": {"type": "integer"}}}
            write_spec(models, {"Item": changed})
        runs.append(_run(spec, tmp_path / "out", tmp_path / "cache", formatter="none")[1])
    assert [r.stats.misses.get("validate", 0) for r in runs] == [1, 0, 1]
    assert [r.stats.hits.get("run", 0) for r in runs] == [0, 1, 0]  # the 2nd run is replayed
    assert [r.stats.misses.get("run", 0) for r in runs] == [1, 0, 1]


def test_background_validation_reports_what_sequential_validation_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = many_operations(3)
    data["paths"]["/group0/items0/{item_id}"]["get"]["responses"] = {"200": {"content": 1}}
    spec = write_spec(tmp_path / "spec.json", data)
    expected = run(_target(spec, tmp_path / "a")).diagnostics
    assert any(d.severity.value == "error" for d in expected)
    monkeypatch.setattr(checked, "BACKGROUND_MIN_BYTES", 0)
    store = Cache(None)
    settings = RunSettings(formatter="none", cache=store, jobs=2)
    result = run(_target(spec, tmp_path / "b"), settings=settings)
    assert [d.render() for d in result.diagnostics] == [d.render() for d in expected]
    assert result.report is None and not (tmp_path / "b").exists()


def test_background_validation_of_a_valid_spec_gives_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "spec.json", many_operations(4))
    _run(spec, tmp_path / "serial", None, formatter="none")
    monkeypatch.setattr(checked, "BACKGROUND_MIN_BYTES", 0)
    _run(spec, tmp_path / "background", None, jobs=2, formatter="none")
    assert tree(tmp_path / "serial") == tree(tmp_path / "background")


def test_a_stale_generated_file_is_not_replayed_away(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "spec.json", many_operations(2))
    out, cache = tmp_path / "out", tmp_path / "cache"
    _run(spec, out, cache, formatter="none")
    stale = out / "src" / "speed_sdk" / "models" / "gone.py"
    stale.write_text("# generated by sdkforge from spec.json; do not edit by hand\n")
    result, store = _run(spec, out, cache, formatter="none")
    assert result.report is not None and result.report.removed == ["src/speed_sdk/models/gone.py"]
    assert store.stats.misses.get("run") == 1 and not stale.exists()
