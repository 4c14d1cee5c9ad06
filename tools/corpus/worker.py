"""A long-lived worker: reads one JSON job per line on stdin, answers one JSON result per line.

The runner starts one worker per core and kills it when it overruns the hard time limit.
Generation runs in this process (no interpreter start-up per spec) under a CPU-time limit
(SIGPROF: on a busy machine a wall-clock limit would time out specs that merely wait);
the import probe and mypy run in fresh interpreters. Anything the generator prints goes
to stderr: stdout carries results only.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from generator import pipeline
from generator.config import Target, default_names
from generator.diagnostics import Severity, SpecError
from generator.load import load
from generator.validate import validate

from . import checks
from .operations import generated_operations, spec_operations


class _Timeout(BaseException):
    """Raised by SIGPROF inside generation; a BaseException so no `except Exception` eats it."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)  # CPU time of this process
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def _run(target: Target, formatter: str) -> Any:
    """`pipeline.run` with the chosen formatter.

    The generator's RunSettings choose it; a snapshot older than them has only black,
    and `none` then replaces its format stage.
    """
    settings_type = getattr(pipeline, "RunSettings", None)
    if settings_type is not None:
        return pipeline.run(target, settings=settings_type(formatter=formatter))
    if formatter == "black":
        return pipeline.run(target)
    original = getattr(pipeline, "format_files")  # noqa: B009 (patched below)
    setattr(pipeline, "format_files", lambda files: files)  # noqa: B010
    try:
        return pipeline.run(target)
    finally:
        setattr(pipeline, "format_files", original)  # noqa: B010


def _where(error: BaseException) -> str:
    """Innermost frame inside the generator: `generator/ir/schemas.py:123 (function)`."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/generator/" in f.filename] or frames
    if not ours:
        return ""
    frame = ours[-1]
    name = frame.filename[frame.filename.rfind("/generator/") + 1 :]
    return f"{name}:{frame.lineno} ({frame.name})"


def _names(document: Any, stem: str) -> tuple[str, str]:
    info = document.get("info") if isinstance(document, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    package, client, _ = default_names(str(title or ""), stem)
    return package, client


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Generate and check one spec; the result record (see runner.py)."""
    spec = Path(job["root"]) / job["spec"]
    out = Path(job["out"])
    record: dict[str, Any] = {"spec": job["spec"], "bytes": spec.stat().st_size, "seconds": {}}
    started = time.perf_counter()
    try:
        _check_spec(job, spec, out, record)
    except MemoryError:
        record.update(outcome="memory", reason="MemoryError (worker memory limit)")
        record["exit_worker"] = True
    except Exception as error:  # a bug of this harness: record it, keep serving
        reason = f"{type(error).__name__}: {str(error)[:300]}"
        _fail(record, "harness-error", reason, "", traceback.format_exc(limit=-8))
    finally:
        record["seconds"]["total"] = round(time.perf_counter() - started, 3)
        keep = job.get("keep", "failed")
        clean = keep == "none" or (keep == "failed" and record.get("outcome") == "ok")
        if clean and not job.get("validate_only"):  # validation writes nothing
            shutil.rmtree(out, ignore_errors=True)
    return record


def _check_spec(job: dict[str, Any], spec: Path, out: Path, record: dict[str, Any]) -> None:
    with spec.open("rb") as stream:
        document = json.load(stream)
    record["openapi"] = str(document.get("openapi", ""))
    wanted = spec_operations(document)
    record["operations"] = len(wanted)
    package, client = _names(document, spec.stem)
    del document
    record["package"] = package
    target = Target(
        name=spec.stem,
        spec=spec,
        output=out,
        package=package,
        client_class=client,
        distribution=package.replace("_", "-"),
        spec_display=job["spec"],
    )
    if job.get("validate_only"):
        _validate_only(job, spec, record)
        return
    shutil.rmtree(out, ignore_errors=True)
    if not _generate(job, target, record):
        return
    source = out / "src"
    _check_operations(source / package, wanted, record)
    compiled, files, lines = checks.compile_all(source / package)
    record.update(files=files, lines=lines)
    record["checks"]["compile"] = _status(compiled)
    if not compiled.ok:
        _fail(record, "compile-error", compiled.error, compiled.detail)
        return
    _timed_checks(job, source, package, client, record)


def _generate(job: dict[str, Any], target: Target, record: dict[str, Any]) -> bool:
    """Run the pipeline; False (with the outcome recorded) when it produced no SDK."""
    record["checks"] = {}
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        with _time_limit(job["generate_timeout"]):
            result = _run(target, job["formatter"])
    except _Timeout:
        _fail(record, "timeout", f"generation used more than {job['generate_timeout']} s of CPU")
        return False
    except RecursionError as error:
        _fail(record, "crash", "RecursionError", _where(error), traceback.format_exc(limit=-8))
        return False
    except Exception as error:
        reason = f"{type(error).__name__}: {str(error)[:300]}"
        _fail(record, "crash", reason, _where(error), traceback.format_exc(limit=-8))
        return False
    finally:
        record["seconds"]["generate"] = round(time.perf_counter() - wall, 3)
        record["seconds"]["generate_cpu"] = round(time.process_time() - cpu, 3)
    if _rejected(result.diagnostics, record):
        return False
    record["checks"]["generate"] = "ok"
    return True


def _validate_only(job: dict[str, Any], spec: Path, record: dict[str, Any]) -> None:
    """Load and validate only (a fast pass over the directory for rejections and crashes)."""
    record["checks"] = {}
    cpu = time.process_time()
    try:
        with _time_limit(job["generate_timeout"]):
            diagnostics = validate(load(spec))
    except SpecError as error:
        diagnostics = error.diagnostics
    except _Timeout:
        _fail(record, "timeout", f"validation used more than {job['generate_timeout']} s of CPU")
        return
    except Exception as error:
        reason = f"{type(error).__name__}: {str(error)[:300]}"
        _fail(record, "crash", reason, _where(error), traceback.format_exc(limit=-8))
        return
    finally:
        record["seconds"]["validate_cpu"] = round(time.process_time() - cpu, 3)
    if not _rejected(diagnostics, record):
        record["checks"]["validate"] = "ok"
        record["outcome"] = "ok"


def _rejected(diagnostics: list[Any], record: dict[str, Any]) -> bool:
    """Record errors as a rejected outcome (warnings as counts); True when there were any."""
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    record["warnings"] = len(diagnostics) - len(errors)
    record["warning_rules"] = sorted({d.rule for d in diagnostics} - {d.rule for d in errors})
    if not errors:
        return False
    unlocated = [d for d in errors if d.location.line is None]
    outcome = "rejected-unlocated" if unlocated else "rejected"
    rules = ",".join(sorted({d.rule for d in errors}))
    lines = [d.render() for d in errors[:5]]
    _fail(record, outcome, rules, lines[0], "\n".join(lines), errors=len(errors))
    return True


def _check_operations(package: Path, wanted: set[tuple[str, str]], record: dict[str, Any]) -> None:
    found, unused = generated_operations(package)
    missing = sorted(wanted - found)
    record["generated_operations"] = len(found & wanted)
    record["checks"]["operations"] = "ok" if not missing and not unused else "failed"
    if missing:
        record["missing"] = [f"{m} {p}" for m, p in missing[:10]]
        _fail(record, "missing-operations", f"{len(missing)} of {len(wanted)} operations missing")
    elif unused:
        _fail(record, "missing-operations", f"{len(unused)} operation constants used by no method")


def _timed_checks(
    job: dict[str, Any], source: Path, package: str, client: str, record: dict[str, Any]
) -> None:
    started, cpu = time.perf_counter(), _children_cpu()
    imported = checks.import_package(job["python"], source, package, client, job["import_timeout"])
    record["seconds"]["import"] = round(time.perf_counter() - started, 3)
    record["seconds"]["import_cpu"] = round(_children_cpu() - cpu, 3)
    record["checks"]["import"] = _status(imported)
    if not imported.ok:
        outcome = "timeout" if imported.detail == "timeout" else "import-error"
        _fail(record, outcome, imported.error, imported.detail)
        return
    record["import_detail"] = imported.detail
    if job.get("mypy"):
        started, cpu = time.perf_counter(), _children_cpu()
        typed = checks.mypy_strict(job["python"], source, package, job["mypy_timeout"])
        record["seconds"]["mypy"] = round(time.perf_counter() - started, 3)
        record["seconds"]["mypy_cpu"] = round(_children_cpu() - cpu, 3)
        record["checks"]["mypy"] = _status(typed)
        if typed.detail == "timeout":  # on a busy machine; says nothing about the SDK
            record["mypy_note"] = typed.error
        elif not typed.ok:
            _fail(record, "mypy-error", typed.error, detail=typed.detail)
            return
    record.setdefault("outcome", "ok")


def _status(check: checks.Check) -> str:
    """A check as the record keeps it: ok, timeout (out of CPU or wall time) or failed."""
    if check.ok:
        return "ok"
    return "timeout" if check.detail == "timeout" else "failed"


def _fail(
    record: dict[str, Any],
    outcome: str,
    reason: str,
    where: str = "",
    detail: str = "",
    **extra: Any,
) -> None:
    """Record the first failure only (later checks still run and add their own check status)."""
    if "outcome" in record:
        return
    record.update(outcome=outcome, reason=reason, where=where, **extra)
    if detail:
        record["detail"] = detail[-4000:]


def _children_cpu() -> float:
    """CPU seconds used so far by finished child processes (the probe, mypy)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _limit_memory(gigabytes: float) -> None:
    if gigabytes > 0:
        limit = int(gigabytes * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> None:
    """Serve jobs until stdin closes."""
    results: TextIO = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # stray prints of the generator or its libraries go to the log
    sys.stdout = sys.stderr
    _limit_memory(float(os.environ.get("CORPUS_MEMORY_GB", "0")))
    for line in sys.stdin:
        job = json.loads(line)
        record = run_job(job)
        leave = record.pop("exit_worker", False)
        results.write(json.dumps(record) + "\n")
        if leave:
            return


if __name__ == "__main__":
    main()
