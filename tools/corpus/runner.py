"""Drive worker processes over the specs: time limits, restarts, resume, one JSONL line per spec."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parents[2]
# Limits are CPU seconds; a spec may wait this many times as long on a busy machine.
WALL_FACTOR = 6


@dataclass(frozen=True, slots=True)
class Settings:
    """How a sweep runs; `key()` is what makes two results comparable for resuming."""

    root: Path
    out: Path
    results: Path
    jobs: int = 2
    formatter: str = "none"
    generate_timeout: float = 600.0
    import_timeout: float = 600.0
    mypy_timeout: float = 600.0
    mypy_every: int = 20
    memory_gb: float = 6.0
    keep: str = "failed"
    python: str = sys.executable
    retry: frozenset[str] = field(default_factory=frozenset)
    redo_other_versions: bool = False  # redo results stamped by another generator revision
    validate_only: bool = False  # load and validate only: a fast pass for rejections
    generator: Path = REPO  # the checkout whose `generator` package the workers import
    version: str = ""  # what `generator` is (git describe), stamped on every record

    def revision(self) -> str:
        """What `generator` is, as stamped on every record."""
        return self.version or describe()

    def key(self) -> dict[str, Any]:
        """Settings that change an outcome: results made with others are redone."""
        if self.validate_only:
            return {"stage": "validate"}
        return {"formatter": self.formatter}


def mypy_sampled(spec: str, every: int) -> bool:
    """Deterministic 1-in-`every` sample of specs for the (slow) mypy check."""
    if every <= 0:
        return False
    return int(hashlib.sha1(spec.encode()).hexdigest(), 16) % every == 0


def shuffled(specs: list[str]) -> list[str]:
    """A stable pseudo-random order (a sample of the first N is spread over the directory)."""
    return sorted(specs, key=lambda s: hashlib.sha1(s.encode()).hexdigest())


def previous_results(path: Path) -> dict[str, dict[str, Any]]:
    """The last record of each spec in the JSONL (a partly written last line is ignored)."""
    found: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return found
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and "spec" in record:
                found[record["spec"]] = record
    return found


def set_aside(results: Path) -> Path | None:
    """Rename an old results file to `<stem>.<n>.jsonl` (the first free n); its new name."""
    if not results.is_file():
        return None
    number = 1
    while (aside := results.with_name(f"{results.stem}.{number}.jsonl")).exists():
        number += 1
    results.rename(aside)
    return aside


def pending(specs: list[str], settings: Settings) -> list[str]:
    """Specs without a usable result yet (resume), in the given order."""
    done = previous_results(settings.results)
    wanted = settings.key()
    version = settings.revision() if settings.redo_other_versions else None
    return [
        spec
        for spec in specs
        if spec not in done
        or done[spec].get("settings") != wanted
        or done[spec].get("outcome") in settings.retry
        or (version is not None and done[spec].get("generator") != version)
    ]


class _Worker:
    """One worker process; restarted after a crash or a hard timeout."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.settings = settings
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.died: int | None = None  # exit status when the last job ended with a dead worker

    def start(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.process.poll() is not None:
            env = {**os.environ, "CORPUS_MEMORY_GB": str(self.settings.memory_gb)}
            paths = [str(self.settings.generator), str(REPO), env.get("PYTHONPATH")]
            env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [self.settings.python, "-m", "tools.corpus.worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env=env,
                    # `-m` puts the working directory first on sys.path: make it the generator's.
                    cwd=self.settings.generator,
                )
            self.buffer = b""
        return self.process

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def run(self, job: dict[str, Any], limit: float) -> dict[str, Any] | None:
        """Send one job; its record, or None when the worker died or overran `limit`."""
        process = self.start()
        self.died = None
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write((json.dumps(job) + "\n").encode())
            process.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return None
        deadline = time.monotonic() + limit
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(remaining, 0))
            if not ready:
                self.stop()
                return None
            chunk = os.read(process.stdout.fileno(), 1 << 16)
            if not chunk:
                self.died = process.wait()
                self.stop()
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        record: dict[str, Any] = json.loads(line)
        return record


def _job(spec: str, settings: Settings) -> dict[str, Any]:
    slug = spec.removesuffix(".json").replace("/", "__")
    return {
        "spec": spec,
        "root": str(settings.root),
        "out": str(settings.out / slug),
        "formatter": settings.formatter,
        "generate_timeout": settings.generate_timeout,
        "import_timeout": settings.import_timeout,
        "mypy_timeout": settings.mypy_timeout,
        "mypy": mypy_sampled(spec, settings.mypy_every),
        "keep": settings.keep,
        "validate_only": settings.validate_only,
        "python": settings.python,
    }


def _hard_limit(settings: Settings, job: dict[str, Any]) -> float:
    """Wall-clock backstop for a worker that hangs: the limits are CPU time, so allow slack."""
    mypy = settings.mypy_timeout if job["mypy"] else 0.0
    return WALL_FACTOR * (settings.generate_timeout + settings.import_timeout + mypy) + 600.0


def _lost(spec: str, settings: Settings, started: float, returncode: int | None) -> dict[str, Any]:
    """Record for a spec whose worker was killed (hard timeout) or died (e.g. a segfault)."""
    seconds = round(time.monotonic() - started, 3)
    if returncode is None:
        reason = "worker killed after the hard time limit"
        outcome = "timeout"
    else:
        reason = f"worker died (exit status {returncode}), e.g. out of memory"
        outcome = "worker-died"
    size = (settings.root / spec).stat().st_size
    return {
        "spec": spec,
        "bytes": size,
        "outcome": outcome,
        "reason": reason,
        "seconds": {"total": seconds},
        "checks": {},
    }


class _Sweep:
    """Shared state of one sweep: the queue, the results file and the stop flag."""

    def __init__(self, specs: list[str], settings: Settings, progress: TextIO) -> None:
        self.settings = settings
        self.progress = progress
        self.total = len(specs)
        self.todo: queue.Queue[str] = queue.Queue()
        for spec in specs:
            self.todo.put(spec)
        self.lock = threading.Lock()
        self.done = 0
        self.stopping = threading.Event()
        self.stamp = {"settings": settings.key(), "generator": settings.revision()}

    def serve(self, worker: _Worker) -> None:
        """Feed specs to one worker until the queue is empty or the sweep stops."""
        try:
            while not self.stopping.is_set():
                try:
                    spec = self.todo.get_nowait()
                except queue.Empty:
                    return
                job = _job(spec, self.settings)
                started = time.monotonic()
                record = worker.run(job, _hard_limit(self.settings, job))
                if self.stopping.is_set():
                    return  # killed by the stop, not by the spec: record nothing
                if record is None:
                    record = _lost(spec, self.settings, started, worker.died)
                record.update(self.stamp, mypy_sampled=job["mypy"])
                self.write(spec, record)
        finally:
            worker.stop()

    def write(self, spec: str, record: dict[str, Any]) -> None:
        """Append one record and print one progress line."""
        with self.lock:
            self.done += 1
            with self.settings.results.open("a", encoding="utf-8") as stream:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            total = record.get("seconds", {}).get("total", 0)
            self.progress.write(
                f"[{self.done}/{self.total}] {record.get('outcome', '?'):<20} "
                f"{total:7.1f}s  {spec}  {record.get('reason', '')[:100]}\n"
            )
            self.progress.flush()


def sweep(specs: list[str], settings: Settings, progress: TextIO = sys.stderr) -> int:
    """Process `specs` with `settings.jobs` workers, appending records; returns specs done."""
    settings.out.mkdir(parents=True, exist_ok=True)
    settings.results.parent.mkdir(parents=True, exist_ok=True)
    state = _Sweep(specs, settings, progress)
    logs = settings.results.parent
    workers = [_Worker(settings, logs / f"worker-{index}.log") for index in range(settings.jobs)]
    threads = [threading.Thread(target=state.serve, args=(w,), daemon=True) for w in workers]
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        state.stopping.set()
        signal.signal(signal.SIGTERM, previous)
        for worker in workers:
            worker.stop()  # on Ctrl-C / SIGTERM: no orphaned worker keeps running
        for thread in threads:
            thread.join(timeout=10)
    return state.done


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def describe(revision: str | None = None) -> str:
    """`git describe` of a revision, or of the working tree (with `-dirty`) when None."""
    command = ["git", "describe", "--always"]
    command += ["--dirty"] if revision is None else [revision]
    try:
        run = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return run.stdout.strip() or "unknown"


def snapshot(revision: str, cache: Path) -> Path:
    """`git archive` of a revision under `cache`, so a sweep is not hit by edits in progress."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    target = cache / "snapshots" / commit[:12]
    if not (target / "generator").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "generator", "templates"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=300,
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target
