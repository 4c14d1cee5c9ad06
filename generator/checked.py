"""Validation made proportionate: once per spec content, and beside the build on big specs.

The result of `validate(spec)` depends only on the bytes of the spec's files, where they
are, and the code that checks them. So it is cached under that key (every file the
validation read is recorded with its hash and checked on reuse), and, on a cache miss
for a big spec, run in a worker process while this process builds and renders the IR.
Nothing is skipped: a miss runs every check of `validate`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import Cache, code_fingerprint, digest
from .diagnostics import Diagnostic, Severity, SpecLocation
from .load import LoadedSpec, read_document
from .validate import validate

# Specs smaller than this validate faster than a worker process starts.
BACKGROUND_MIN_BYTES = 1024 * 1024
_TOOLS = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-path")

Row = tuple[str, str, str, str, int | None, int | None, str, str]
Deps = list[tuple[str, str]]


@cache
def _tool_versions() -> str:
    found = []
    for name in _TOOLS:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==?")
    return " ".join(found)


def to_rows(diagnostics: list[Diagnostic]) -> list[Row]:
    """Diagnostics as plain tuples (for the cache and for crossing process boundaries)."""
    return [
        (
            d.severity.value,
            d.rule,
            d.location.file,
            d.location.pointer,
            d.location.line,
            d.location.column,
            d.message,
            d.hint,
        )
        for d in diagnostics
    ]


def from_rows(rows: list[Row]) -> list[Diagnostic]:
    return [
        Diagnostic(Severity(sev), rule, SpecLocation(file, ptr, line, col), message, hint)
        for sev, rule, file, ptr, line, col, message, hint in rows
    ]


def file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def input_files(spec: LoadedSpec) -> Deps:
    """Every file the spec read so far, with the hash of its bytes ('remote' never matches)."""
    return [
        (str(doc.path), "remote" if getattr(doc, "url", "") else file_hash(doc.path))
        for doc in spec.documents()
    ]


def _key(spec: LoadedSpec) -> str:
    root = spec.root
    return digest(
        "validate",
        code_fingerprint(),
        _tool_versions(),
        spec.root_key,
        root.display,
        file_hash(root.path),
    )


def _validate_file(path: str, display: str, limits: Any) -> tuple[list[Row], Deps, float]:
    """Load and validate a spec from its file (in a worker process), as `load` would."""
    started = time.perf_counter()
    if limits is None:
        spec = LoadedSpec(read_document(Path(path), display=display))
    else:
        spec = LoadedSpec(read_document(Path(path), display=display, limits=limits), limits)
    rows = to_rows(validate(spec))
    return rows, input_files(spec), time.perf_counter() - started


@dataclass(slots=True)
class Validation:
    """The diagnostics of `validate(spec)`: already known, or still running in a worker."""

    spec: LoadedSpec
    cache: Cache
    key: str
    found: list[Diagnostic] | None = None
    mark: int = 0  # where its diagnostics go among the run's (validation comes first)
    seconds: float = 0.0
    cached: bool = False
    future: Future[tuple[list[Row], Deps, float]] | None = None
    pool: ProcessPoolExecutor | None = None

    @property
    def in_background(self) -> bool:
        """True while a worker process is validating."""
        return self.future is not None

    def wait(self) -> list[Diagnostic]:
        """The diagnostics (waiting for the worker, or validating here if it died)."""
        if self.found is not None:
            return self.found
        rows: list[Row]
        if self.future is not None:
            try:
                rows, deps, self.seconds = self.future.result()
            except BrokenProcessPool:
                rows, deps, self.seconds = _in_process(self.spec)
            finally:
                self._close()
        else:
            rows, deps, self.seconds = _in_process(self.spec)
        self.cache.put_object("validate", self.key, {"deps": deps, "rows": rows})
        self.found = from_rows(rows)
        return self.found

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        self.future = None


def _in_process(spec: LoadedSpec) -> tuple[list[Row], Deps, float]:
    started = time.perf_counter()
    rows = to_rows(validate(spec))
    return rows, input_files(spec), time.perf_counter() - started


def _reuse(entry: Any) -> list[Diagnostic] | None:
    """The cached diagnostics when every file they came from still has the same bytes."""
    if not isinstance(entry, dict):
        return None
    for path, sha in entry.get("deps", []):
        if file_hash(Path(path)) != sha:
            return None
    return from_rows(entry.get("rows", []))


def start_validation(spec: LoadedSpec, cache: Cache, jobs: int) -> Validation:
    """Validation of `spec`: from the cache, started in a worker (big spec, jobs > 1), or lazy."""
    key = _key(spec)
    started = time.perf_counter()
    entry = cache.get_object("validate", key)
    reused = _reuse(entry)
    if entry is not None and reused is None:  # a file it read has changed: a miss after all
        cache.stats.reject("validate")
    if reused is not None:
        return Validation(
            spec, cache, key, reused, seconds=time.perf_counter() - started, cached=True
        )
    job = Validation(spec, cache, key)
    size = spec.root.path.stat().st_size if spec.root.path.exists() else 0
    if jobs > 1 and size >= BACKGROUND_MIN_BYTES:
        context = multiprocessing.get_context("spawn")
        job.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        limits = getattr(spec, "limits", None)
        job.future = job.pool.submit(_validate_file, str(spec.root.path), spec.root.display, limits)
    return job
