"""Stage 5, format: black (default), ruff or none on every generated `.py` file.

Formatting is the most expensive stage, so it does as little as it can:
- a file whose rendered text was formatted before (same text, same formatter, version and
  mode) is taken from the content-hash cache (`generator.cache`);
- the rest are formatted in worker processes when there is enough work for them.
A file the formatter rejects is our bug (or a custom template's) and is named by its template.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path

import black
from black.mode import TargetVersion
from black.report import NothingChanged

from .cache import Cache, digest
from .diagnostics import Diagnostic, Severity, SpecError, SpecLocation
from .render.plan import OutputFile

MODE = black.Mode(target_versions={TargetVersion.PY310})
FORMATTERS = ("black", "ruff", "none")
RUFF_OPTIONS = ("--line-length", "88", "--target-version", "py310")
# Below this many lines a worker pool costs more to start than it saves.
PARALLEL_MIN_LINES = 20_000
_BATCH_CHARS = 400_000

Advance = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Failure:
    """A file the formatter could not format, and why."""

    message: str


def format_source(text: str) -> str:
    """Black-format one Python source text (raises black's InvalidInput if it does not parse)."""
    try:
        return black.format_file_contents(text, fast=True, mode=MODE)
    except NothingChanged:
        return text


def _black_batch(texts: Sequence[str]) -> list[str | Failure]:
    """Black on each text; a text black rejects becomes a Failure (runs in workers too)."""
    out: list[str | Failure] = []
    for text in texts:
        try:
            out.append(format_source(text))
        except Exception as error:  # black's InvalidInput or an internal error: report it
            out.append(Failure(str(error).splitlines()[0] if str(error) else repr(error)))
    return out


def ruff_executable() -> str | None:
    """Path of the ruff binary (the `ruff` package, then PATH), or None."""
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        found: str | None = find_ruff_bin()
    except (ImportError, FileNotFoundError):
        found = shutil.which("ruff")
    return found


def unavailable(formatter: str) -> str | None:
    """Why `formatter` cannot run here (None when it can)."""
    if formatter not in FORMATTERS:
        return f"unknown formatter {formatter!r}; choose one of {', '.join(FORMATTERS)}"
    if formatter == "ruff" and ruff_executable() is None:
        return "--formatter ruff needs ruff: pip install 'sdkforge[ruff]'"
    return None


@cache
def formatter_identity(formatter: str) -> str:
    """Everything that decides a formatter's output: name, version and mode (a cache key part)."""
    if formatter == "black":
        return f"black {metadata.version('black')} {MODE!r}"
    if formatter == "ruff":
        exe = ruff_executable()
        version = subprocess.run(
            [exe or "ruff", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        return f"{version} {' '.join(RUFF_OPTIONS)}"
    return formatter


_RUFF_ERROR = re.compile(r"(?:error: )?Failed to (?:parse|format) (?P<path>[^:]+\.py):(?P<rest>.*)")


def _ruff_batch(texts: Sequence[str]) -> list[str | Failure]:
    """`ruff format` over all texts in one process (it formats files in parallel itself)."""
    exe = ruff_executable()
    if exe is None:
        return [Failure("ruff is not installed")] * len(texts)
    with tempfile.TemporaryDirectory(prefix="sdkforge-ruff-") as folder:
        paths = [Path(folder) / f"f{index}.py" for index in range(len(texts))]
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text, encoding="utf-8")
        command = [exe, "format", "--isolated", "--no-cache", *RUFF_OPTIONS, folder]
        run = subprocess.run(command, capture_output=True, text=True, check=False)
        failed = {}
        for line in run.stderr.splitlines():
            match = _RUFF_ERROR.search(line)
            if match:
                failed[Path(match["path"]).name] = match["rest"].strip()
        if run.returncode not in (0, 1) and not failed:
            return [Failure(run.stderr.strip() or "ruff format failed")] * len(texts)
        return [
            Failure(failed[path.name]) if path.name in failed else path.read_text("utf-8")
            for path in paths
        ]


def _batches(indexed: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Texts grouped into batches of about _BATCH_CHARS, largest texts first."""
    batches: list[list[tuple[int, str]]] = []
    size = _BATCH_CHARS
    for item in sorted(indexed, key=lambda pair: -len(pair[1])):
        if size >= _BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += len(item[1])
    return batches


def _black_many(texts: list[str], jobs: int, advance: Advance) -> list[str | Failure]:
    """Black over many texts: in this process, or in `jobs` worker processes."""
    lines = sum(text.count("\n") for text in texts)
    if jobs <= 1 or lines < PARALLEL_MIN_LINES:
        out = []
        for text in texts:
            out.extend(_black_batch([text]))
            advance(1)
        return out
    results: list[str | Failure | None] = [None] * len(texts)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {}
        for batch in _batches(list(enumerate(texts))):
            future = pool.submit(_black_batch, [text for _, text in batch])
            futures[future] = [index for index, _ in batch]
        for future in as_completed(futures):
            for index, formatted in zip(futures[future], future.result(), strict=True):
                results[index] = formatted
            advance(len(futures[future]))
    return [r if r is not None else Failure("not formatted") for r in results]


def _format_texts(
    formatter: str, texts: list[str], jobs: int, advance: Advance
) -> list[str | Failure]:
    if formatter == "black":
        return _black_many(texts, jobs, advance)
    if formatter == "ruff":
        done = _ruff_batch(texts)
        advance(len(texts))
        return done
    advance(len(texts))
    return list(texts)


def default_jobs() -> int:
    """Worker processes to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def format_files(
    files: list[OutputFile],
    formatter: str = "black",
    cache: Cache | None = None,
    jobs: int = 1,
    advance: Advance | None = None,
) -> list[OutputFile]:
    """Every `.py` file formatted; a file the formatter rejects is a bug named by its template."""
    step = advance or (lambda n: None)
    if formatter == "none":
        step(len(files))
        return list(files)
    identity = formatter_identity(formatter)
    store = cache or Cache(None)
    out = list(files)
    todo: list[tuple[int, str]] = []
    for index, file in enumerate(files):
        if not file.path.endswith(".py"):
            step(1)
            continue
        key = digest(identity, file.content)
        known = store.get_text("format", key)
        if known is None:
            todo.append((index, key))
        else:
            out[index] = replace(file, content=known)
            step(1)
    done = _format_texts(formatter, [files[i].content for i, _ in todo], jobs, step)
    problems = []
    for (index, key), formatted in zip(todo, done, strict=True):
        file = files[index]
        if isinstance(formatted, Failure):
            problems.append(_problem(file, formatted.message))
            continue
        store.put_text("format", key, formatted)
        out[index] = replace(file, content=formatted)
    if problems:
        raise SpecError(problems)
    return out


def _problem(file: OutputFile, message: str) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR,
        "generated-code-invalid",
        SpecLocation(file.template or file.path),
        f"{file.path} is not valid Python: {message}",
        "this is a bug in sdkforge or in a custom template; please report it",
    )
