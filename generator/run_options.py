"""Command-line options for how a run is carried out: formatter, cache, workers, progress.

`speed_options` adds `--formatter`, `--cache-dir`, `--no-cache`, `--jobs`, `--timings` and
`--quiet` to a click command and hands the command one `settings: RunSettings` instead.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cache import Cache, CacheStats, default_cache_dir
from .format import FORMATTERS, default_jobs, unavailable
from .pipeline import RunSettings
from .progress import Progress


def make_settings(
    formatter: str,
    cache_dir: str | None,
    no_cache: bool,
    jobs: int | None,
    quiet: bool,
) -> RunSettings:
    """RunSettings from the flags (a usage error when the formatter cannot run here)."""
    problem = unavailable(formatter)
    if problem:
        raise click.UsageError(problem)
    if jobs is not None and jobs < 1:
        raise click.UsageError("--jobs must be 1 or more")
    live = None if quiet or not sys.stderr.isatty() else _echo_err
    folder = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()
    return RunSettings(
        formatter=formatter,
        cache=Cache(folder),
        jobs=jobs or default_jobs(),
        progress=Progress(live=live),
    )


def _echo_err(text: str) -> None:
    click.echo(text, err=True, nl=False)


def speed_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the run options to a command; it receives `settings`, `timings` and `quiet`."""

    @functools.wraps(function)
    def command(
        *args: Any,
        formatter: str,
        cache_dir: str | None,
        no_cache: bool,
        jobs: int | None,
        quiet: bool,
        **kwargs: Any,
    ) -> Any:
        settings = make_settings(formatter, cache_dir, no_cache, jobs, quiet)
        return function(*args, settings=settings, quiet=quiet, **kwargs)

    options = [
        click.option(
            "--formatter",
            type=click.Choice(FORMATTERS),
            default="black",
            show_default=True,
            help="Formatter of the generated code (ruff needs the [ruff] extra).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            help=f"Cache folder for incremental runs (default: {_shown_default()}).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option(
            "--jobs",
            type=int,
            help="Worker processes for formatting and validation (default: the CPU count).",
        ),
        click.option("--timings", is_flag=True, help="Print the time each stage took."),
        click.option("--quiet", "-q", is_flag=True, help="No progress display or summary."),
    ]
    wrapped: Any = command
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


def _shown_default() -> str:
    home = str(Path.home())
    shown = str(default_cache_dir())
    return "~" + shown[len(home) :] if shown.startswith(home + "/") else shown


def timings_text(settings: RunSettings, name: str) -> str:
    """The per-stage timing table of one target, and the cache's hits and misses."""
    stats = settings.cache.stats
    lines = [f"{name}: time per stage", settings.progress.table()]
    if settings.cache.enabled:
        kinds = sorted({*stats.hits, *stats.misses})
        counts = ", ".join(
            f"{kind} {stats.hits.get(kind, 0)} hit / {stats.misses.get(kind, 0)} miss"
            for kind in kinds
        )
        lines.append(f"  cache: {counts or 'unused'}")
    return "\n".join(lines)


def reset(settings: RunSettings) -> None:
    """Forget the timings and cache counts of the previous target."""
    settings.progress.stages.clear()
    settings.cache.stats = CacheStats()
