"""`make sweep`: every spec of the shared corpus -> SDK -> compile, import, coverage, mypy.

Each spec runs in its own subprocesses with a timeout, several specs at a time; the
result is a Markdown table (and JSON) under build/sweep/. Exit status 1 when any spec
fails a step.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .corpus import Entry, expected_operations, read_manifest

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT.parent / "shared" / "specs"
CLIENT = "Client"


@dataclass(slots=True)
class Row:
    """What happened to one spec; a step is 'ok', 'FAIL', 'timeout' or '-' (not reached)."""

    spec: str
    operations: int = 0
    ignored: int = 0
    models: int = 0
    aliases: int = 0
    generate: str = "-"
    compiles: str = "-"
    imports: str = "-"
    covered: str = "-"
    mypy: str = "-"
    examples: str = "-"  # spec examples parsed and dumped back: same/changed/rejected
    seconds: float = 0.0
    detail: str = ""
    warnings: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every step passed."""
        steps = (self.generate, self.compiles, self.imports, self.mypy)
        return all(s == "ok" for s in steps) and not self.missing


def _step(command: list[str], timeout: float, cwd: Path = ROOT) -> tuple[str, str]:
    try:
        run = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", f"{command[2] if len(command) > 2 else command[0]} timed out"
    return ("ok" if run.returncode == 0 else "FAIL"), run.stdout + run.stderr


def sweep_one(entry: Entry, specs: Path, work: Path, timeout: float, mypy: bool) -> Row:
    """Run every step for one spec, stopping at the first failing one."""
    started = time.monotonic()
    spec = specs / entry.path
    row = Row(entry.path)
    wanted, ignored = expected_operations(spec)
    row.operations, row.ignored = len(wanted), len(ignored)
    out = work / entry.slug
    package = f"sweep_{entry.slug}"
    python = sys.executable

    def left() -> float:
        return max(1.0, timeout - (time.monotonic() - started))

    command = [python, "-m", "generator", "generate", str(spec), "-o", str(out)]
    command += ["--package-name", package, "--client-name", CLIENT]
    row.generate, text = _step(command, left())
    row.warnings = text.count(": warning[")
    if row.generate != "ok":
        return _done(row, text, started)
    src = out / "src"
    row.compiles, text = _step([python, "-m", "compileall", "-q", str(src)], left())
    if row.compiles != "ok":
        return _done(row, text, started)
    row.imports, text = _step(
        [python, "-m", "tests.sweep.probe", str(src), package, CLIENT], left()
    )
    report = _json(text)
    if row.imports != "ok" or not report.get("ok"):
        row.imports = "FAIL" if row.imports == "ok" else row.imports
        return _done(row, str(report.get("error") or text), started)
    row.models, row.aliases = report["models"], report["aliases"]
    expected = Counter((method, route(path)) for method, path in wanted)
    sync = Counter((m, p) for m, p in report["sync"])
    async_ = Counter((m, p) for m, p in report["async"])
    missing = (expected - sync) | (expected - async_)
    row.missing = [f"{m} {p}" for (m, p), n in sorted(missing.items()) for _ in range(n)]
    row.covered = f"{len(wanted) - sum(missing.values())}/{len(wanted)}"
    command = [python, "-m", "tests.sweep.examples", str(spec), str(src), package, CLIENT]
    status, text = _step(command, left())
    counts = _json(text) if status == "ok" else {}
    if counts:
        row.examples = f"{counts['same']}/{counts['changed']}/{counts['rejected']}"
    if not mypy:
        return _done(row, "", started)
    cache = work / ".mypy_cache" / entry.slug
    command = [python, "-m", "mypy", "--strict", "--python-version", "3.10", "--cache-dir"]
    command += [str(cache), "--no-error-summary", package]
    row.mypy, text = _step(command, left(), cwd=src)
    return _done(row, text if row.mypy != "ok" else "", started)


def route(path: str) -> str:
    """The request path of a spec path (a `#fragment` or `?query` in a path key is not)."""
    return path.split("#", 1)[0].split("?", 1)[0]


def mypy_packages(sources: list[tuple[Path, str]], cache: Path, timeout: float) -> tuple[str, str]:
    """`mypy --strict` over several generated packages in one run: (status, output)."""
    env_path = os.pathsep.join(str(src) for src, _ in sources)
    command = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10"]
    command += ["--cache-dir", str(cache), "--no-error-summary"]
    for _, package in sources:
        command += ["-p", package]
    try:
        run = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "MYPYPATH": env_path},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "timeout", "mypy timed out"
    return ("ok" if run.returncode == 0 else "FAIL"), run.stdout + run.stderr


def _json(text: str) -> dict[str, object]:
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return {}


def _done(row: Row, detail: str, started: float) -> Row:
    row.detail = detail.strip()[-3000:]
    row.seconds = round(time.monotonic() - started, 1)
    return row


def table(rows: list[Row]) -> str:
    """The summary as a Markdown table."""
    lines = [
        "| spec | operations | ignored | models | aliases | generate | compiles | imports "
        "| ops covered | mypy --strict | examples same/changed/rejected | seconds |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.spec} | {r.operations} | {r.ignored} | {r.models} | {r.aliases} | {r.generate}"
            f" | {r.compiles} | {r.imports} | {r.covered} | {r.mypy} | {r.examples} | {r.seconds} |"
        )
    passed = sum(r.ok for r in rows)
    lines.append("")
    lines.append(f"{passed}/{len(rows)} specs pass every step.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, sweep the corpus, write build/sweep/summary.{md,json}."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--specs", type=Path, default=SPECS)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "sweep")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per spec")
    parser.add_argument("--only", action="append", default=[], help="substring of a spec path")
    parser.add_argument("--no-mypy", action="store_true")
    args = parser.parse_args(argv)
    if not (args.specs / "MANIFEST.tsv").is_file():
        print(f"no corpus at {args.specs}: nothing to sweep", file=sys.stderr)
        return 0
    entries = [
        e for e in read_manifest(args.specs) if not args.only or any(o in e.path for o in args.only)
    ]
    work = args.out / "sdks"
    work.mkdir(parents=True, exist_ok=True)
    order = {e.path: i for i, e in enumerate(entries)}
    rows: list[Row] = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [
            pool.submit(sweep_one, e, args.specs, work, args.timeout, not args.no_mypy)
            for e in entries
        ]
        for future in as_completed(futures):
            row = future.result()
            rows.append(row)
            print(
                f"[{len(rows)}/{len(entries)}] {'ok  ' if row.ok else 'FAIL'} {row.spec}"
                f" ({row.seconds}s)",
                flush=True,
            )
    rows.sort(key=lambda r: order[r.spec])
    summary = table(rows)
    (args.out / "summary.md").write_text(summary, encoding="utf-8")
    (args.out / "summary.json").write_text(
        json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8"
    )
    print(summary)
    for row in rows:
        if not row.ok:
            print(f"--- {row.spec}\n{row.detail}\n{chr(10).join(row.missing[:20])}\n")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
