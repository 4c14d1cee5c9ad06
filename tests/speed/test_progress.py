"""The progress line and the timings table (the CLI decides where they go)."""

from __future__ import annotations

from click.testing import CliRunner

from generator.cli import main
from generator.progress import Progress

from .specs import many_operations, write_spec


def test_live_line_shows_stage_and_files_then_clears() -> None:
    shown: list[str] = []
    ticks = iter(float(i) for i in range(100))
    progress = Progress(live=shown.append, clock=lambda: next(ticks))
    with progress.stage("format", total=3) as advance:
        advance(1)
        advance(2)
    assert shown[0].startswith("\rsdkforge: format 0/3 files")
    assert any("format 3/3 files" in text for text in shown)
    assert shown[-1].strip() == ""  # the line is cleared when the stage ends
    assert progress.stages[0].name == "format" and progress.stages[0].items == 3


def test_no_live_line_without_a_sink_but_timings_recorded() -> None:
    progress = Progress()
    with progress.stage("render"):
        pass
    progress.record("validate", 2.5, "in parallel, worker")
    table = progress.table()
    assert "render" in table and "validate" in table and "in parallel, worker" in table


def test_cli_timings_quiet_and_formatter_flags(tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = write_spec(tmp_path / "spec.json", many_operations(2))
    args = ["generate", str(spec), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")]
    run = CliRunner().invoke(main, [*args, "--timings", "--formatter", "none"])
    assert run.exit_code == 0, run.output
    assert "time per stage" in run.output and "format" in run.output
    quiet = CliRunner().invoke(main, [*args, "--quiet", "--formatter", "none"])
    assert quiet.exit_code == 0 and quiet.output == ""  # not a terminal, and quiet: no lines
    bad = CliRunner().invoke(main, [*args, "--jobs", "0"])
    assert bad.exit_code == 2 and "--jobs" in bad.output
