"""`python -m tools.corpus [run|summary|fetch]`: the corpus sweep behind `make corpus`."""

from __future__ import annotations

import argparse
import fnmatch
import sys
from dataclasses import replace
from pathlib import Path

from . import fetch, report, runner

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".corpus"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.corpus", description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=("run", "summary", "fetch"))
    parser.add_argument("--cache", type=Path, default=CACHE, help="cache folder (.corpus)")
    parser.add_argument(
        "--results", type=Path, help="JSONL of results (default: CACHE/results.jsonl)"
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="only the first N specs of a stable shuffle"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="glob of spec paths (repeatable)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--formatter",
        choices=("none", "ruff", "black"),
        default="none",
        help="none skips formatting (black is the slow stage); black is what generate does",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="generation limit per spec (CPU s)"
    )
    parser.add_argument("--import-timeout", type=float, default=600)
    parser.add_argument("--mypy-timeout", type=float, default=600)
    parser.add_argument(
        "--mypy-every", type=int, default=20, help="mypy on 1 in N specs (0: never)"
    )
    parser.add_argument(
        "--memory-gb", type=float, default=6.0, help="address-space limit per worker"
    )
    parser.add_argument(
        "--keep",
        choices=("failed", "all", "none"),
        default="failed",
        help="which generated SDKs stay in CACHE/out",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start over: the old results file is kept as <name>.<n>.jsonl",
    )
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="load and validate only (minutes for the whole directory): rejections, crashes",
    )
    parser.add_argument(
        "--snapshot",
        metavar="REV",
        help="sweep the generator as committed at REV (git archive), not the tree",
    )
    parser.add_argument(
        "--retry",
        action="append",
        default=[],
        help="redo specs whose last outcome is this (repeatable)",
    )
    parser.add_argument(
        "--redo-other-versions",
        action="store_true",
        help="redo specs whose result was made by another generator revision (one revision "
        "in the summary, still resumable)",
    )
    return parser


def _notes(settings: runner.Settings) -> list[str]:
    formatter = {
        "none": "Formatter: none (`--formatter none`: black skipped, the checks see unformatted "
        "code; black only re-lays out code that compiles).",
        "ruff": "Formatter: ruff (`--formatter ruff`).",
        "black": "Formatter: black (the default of `sdkforge generate`).",
    }[settings.formatter]
    if settings.validate_only:
        formatter = "Stage: load and validate only (`--validate-only`); ok means valid."
    return [
        formatter,
        f"mypy --strict on 1 in {settings.mypy_every} specs (stable sample).",
        f"Limits (CPU time): generation {settings.generate_timeout:.0f} s, import "
        f"{settings.import_timeout:.0f} s, mypy {settings.mypy_timeout:.0f} s (wall clock: "
        f"{runner.WALL_FACTOR}x); {settings.memory_gb:g} GB address space per worker.",
    ]


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)
    args.cache = args.cache.absolute()
    try:
        root = fetch.fetch(args.cache)
    except fetch.FetchError as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 1
    specs = fetch.list_specs(root)
    if args.command == "fetch":
        print(f"{len(specs)} specs in {root}", file=sys.stderr)
        return 0
    # Absolute: the workers run in the generator's folder (see runner._Worker).
    results = (args.results or args.cache / "results.jsonl").absolute()
    settings = runner.Settings(
        root=root,
        out=results.parent / "out",
        results=results,
        jobs=args.jobs,
        formatter=args.formatter,
        generate_timeout=args.timeout,
        import_timeout=args.import_timeout,
        mypy_timeout=args.mypy_timeout,
        mypy_every=args.mypy_every,
        memory_gb=args.memory_gb,
        keep=args.keep,
        retry=frozenset(args.retry),
        redo_other_versions=args.redo_other_versions,
        validate_only=args.validate_only,
    )
    if args.snapshot:
        settings = replace(
            settings,
            generator=runner.snapshot(args.snapshot, args.cache),
            version=runner.describe(args.snapshot),
        )
    chosen = runner.shuffled(specs)
    if args.only:
        chosen = [s for s in chosen if any(fnmatch.fnmatch(s, g) for g in args.only)]
    if args.sample:
        chosen = chosen[: args.sample]
    if args.command == "run":
        if args.fresh:
            runner.set_aside(settings.results)
        todo = runner.pending(chosen, settings)
        print(
            f"corpus: {len(chosen) - len(todo)} of {len(chosen)} specs already done; "
            f"{len(todo)} to go with {settings.jobs} workers",
            file=sys.stderr,
        )
        try:
            runner.sweep(todo, settings)
        except KeyboardInterrupt:
            print("corpus: interrupted; run the same command again to resume", file=sys.stderr)
            return 130
    done = runner.previous_results(settings.results)
    records = [done[s] for s in chosen if s in done]
    text = report.summarise(records, len(chosen), _notes(settings))
    summary = settings.results.with_name("summary.md")
    summary.write_text(text, encoding="utf-8")
    print(text)
    print(f"corpus: summary in {summary}, every result in {settings.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
