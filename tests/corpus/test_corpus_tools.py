"""The corpus sweep's own pieces: operation counting, one spec end to end, the summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import GENERATED, ROOT
from tools.corpus import report, runner
from tools.corpus.operations import generated_operations, spec_operations
from tools.corpus.worker import run_job


def test_operations_skip_ignored_ones_and_follow_path_item_refs() -> None:
    document = {
        "paths": {
            "/a": {"get": {}, "post": {"x-speakeasy-ignore": True}, "parameters": []},
            "/b": {"x-sdkforge-ignore": True, "get": {}},
            "/c": {"$ref": "#/components/pathItems/C"},
        },
        "components": {"pathItems": {"C": {"delete": {}, "put": {"x-sdkforge-ignore": False}}}},
    }
    assert spec_operations(document) == {("GET", "/a"), ("DELETE", "/c"), ("PUT", "/c")}


def test_the_committed_sdk_implements_every_operation_of_its_spec() -> None:
    spec = yaml.safe_load((ROOT / "specs" / "router.yaml").read_text(encoding="utf-8"))
    found, unused = generated_operations(GENERATED / "orq" / "src" / "orq_sdk")
    assert found == spec_operations(spec)
    assert unused == set()


def _job(tmp_path: Path, spec: Path) -> dict[str, Any]:
    return {
        "spec": spec.name,
        "root": str(spec.parent),
        "out": str(tmp_path / "out"),
        "formatter": "none",
        "generate_timeout": 300,
        "import_timeout": 300,
        "mypy_timeout": 300,
        "mypy": False,
        "keep": "all",
        "python": sys.executable,
    }


def test_one_spec_end_to_end(tmp_path: Path) -> None:
    spec = tmp_path / "pets.json"
    operation = {"responses": {"200": {"description": "ok"}}}
    paths = {
        "/pets": {"get": operation, "post": operation},
        "/pets/{id}": {
            "delete": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                **operation,
            }
        },
    }
    document = {"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"}, "paths": paths}
    spec.write_text(json.dumps(document), encoding="utf-8")
    record = run_job(_job(tmp_path, spec))
    assert record["outcome"] == "ok", record
    assert record["operations"] == record["generated_operations"] == 3
    assert record["checks"] == {
        "generate": "ok",
        "operations": "ok",
        "compile": "ok",
        "import": "ok",
    }


def test_a_rejected_spec_is_recorded_with_its_rules(tmp_path: Path) -> None:
    spec = tmp_path / "broken.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {}, "paths": {}}), encoding="utf-8")
    record = run_job(_job(tmp_path, spec))
    assert record["outcome"] == "rejected"
    assert "openapi-schema" in record["reason"]
    assert record["where"].startswith(str(spec))


def test_summary_counts_outcomes_and_groups_reasons() -> None:
    records = [
        {"spec": "a.json", "outcome": "ok", "seconds": {"total": 1.0}, "checks": {}},
        {
            "spec": "b.json",
            "outcome": "crash",
            "reason": "KeyError: 'x'",
            "where": "generator/ir/schemas.py:12 (convert)",
            "seconds": {"total": 2.0},
        },
        {
            "spec": "c.json",
            "outcome": "crash",
            "reason": "KeyError: 'y'",
            "where": "generator/ir/schemas.py:40 (convert)",
            "seconds": {"total": 3.0},
        },
    ]
    text = report.summarise(records, 3, [])
    assert "| ok | 1 | 33.3% |" in text
    assert "| crash | 2 | KeyError at generator/ir/schemas.py (convert) | b.json, c.json |" in text


def test_a_sample_is_a_stable_spread_of_the_directory() -> None:
    specs = [f"api/{index}.json" for index in range(100)]
    assert runner.shuffled(specs) == runner.shuffled(list(reversed(specs)))
    assert sum(runner.mypy_sampled(spec, 20) for spec in specs) in range(1, 15)


def test_an_operation_constant_counts_as_used_through_a_derived_constant(tmp_path: Path) -> None:
    resources = tmp_path / "pkg" / "resources"
    resources.mkdir(parents=True)
    (resources / "pets.py").write_text(
        '_OP_A: Operation[None] = Operation("GET", "/a")\n'
        "_OP_A_BODIES = _OP_A.variants({})\n"
        '_OP_B = Operation("POST", "/b")\n'
        "class Pets:\n"
        "    def a(self) -> None:\n"
        "        return self._state.request(_OP_A_BODIES['json'])\n",
        encoding="utf-8",
    )
    found, unused = generated_operations(tmp_path / "pkg")
    assert found == {("GET", "/a"), ("POST", "/b")}
    assert unused == {"_OP_B"}


def test_a_fresh_start_keeps_the_old_results_aside(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    assert runner.set_aside(results) is None
    results.write_text('{"spec": "a.json"}\n', encoding="utf-8")
    (tmp_path / "results.1.jsonl").write_text("", encoding="utf-8")
    assert runner.set_aside(results) == tmp_path / "results.2.jsonl"
    assert not results.exists()
    assert runner.previous_results(tmp_path / "results.2.jsonl") == {"a.json": {"spec": "a.json"}}


def test_resume_redoes_what_is_missing_failed_on_request_or_made_by_another_revision(
    tmp_path: Path,
) -> None:
    results = tmp_path / "results.jsonl"
    stamp = {"settings": {"formatter": "none"}}
    lines = [
        {"spec": "old.json", "outcome": "ok", "generator": "aaaa111", **stamp},
        {"spec": "same.json", "outcome": "ok", "generator": "bbbb222", **stamp},
        {"spec": "crash.json", "outcome": "crashed", "generator": "bbbb222", **stamp},
        {"spec": "black.json", "outcome": "ok", "generator": "bbbb222", "settings": {}},
    ]
    results.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    specs = ["old.json", "same.json", "crash.json", "black.json", "new.json"]
    settings = runner.Settings(
        root=tmp_path, out=tmp_path / "out", results=results, version="bbbb222"
    )
    assert runner.pending(specs, settings) == ["black.json", "new.json"]
    retry = runner.Settings(
        root=tmp_path,
        out=tmp_path / "out",
        results=results,
        version="bbbb222",
        retry=frozenset({"crashed"}),
        redo_other_versions=True,
    )
    assert runner.pending(specs, retry) == ["old.json", "crash.json", "black.json", "new.json"]


def test_a_check_that_ran_out_of_time_counts_as_timed_out_not_failed() -> None:
    base = {"operations": 1, "seconds": {"total": 1.0}}
    checks = {"generate": "ok", "operations": "ok", "compile": "ok"}
    records = [
        {"spec": "a.json", "outcome": "ok", "checks": {**checks, "import": "ok"}, **base},
        {"spec": "b.json", "outcome": "timeout", "checks": {**checks, "import": "timeout"}, **base},
        # as older workers wrote it: the check said failed, the outcome timeout
        {"spec": "c.json", "outcome": "timeout", "checks": {**checks, "import": "failed"}, **base},
        {
            "spec": "d.json",
            "outcome": "import-error",
            "checks": {**checks, "import": "failed"},
            **base,
        },
    ]
    text = report.summarise(records, 4, [])
    assert "| import | 4 | 1 | 1 | 2 |" in text
    assert "| compile | 4 | 4 | 0 | 0 |" in text
