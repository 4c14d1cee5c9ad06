"""Checks of one generated SDK: compile every file, import it (probe.py), mypy --strict."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROBE = Path(__file__).with_name("probe.py")
# Limits are CPU seconds (RLIMIT_CPU); the wall-clock timeout is a backstop this much longer.
WALL_FACTOR = 6


def _cpu_limit(seconds: float) -> Callable[[], None]:
    """A preexec_fn: the child gets SIGXCPU after `seconds` of CPU time."""

    def limit() -> None:
        whole = max(1, int(seconds))
        resource.setrlimit(resource.RLIMIT_CPU, (whole, whole + 5))

    return limit


@dataclass(frozen=True, slots=True)
class Check:
    """Outcome of one check: ok, what failed (one line) and where."""

    ok: bool
    error: str = ""
    detail: str = ""


def compile_all(package: Path) -> tuple[Check, int, int]:
    """Compile every `.py` of `package` like compileall (no .pyc written); (check, files, lines)."""
    files = lines = 0
    for source in sorted(package.rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        files += 1
        lines += text.count("\n")
        try:
            compile(text, str(source), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            where = source.relative_to(package.parent).as_posix()
            line = getattr(error, "lineno", None)
            message = getattr(error, "msg", str(error))
            return (
                Check(False, f"{type(error).__name__}: {message}", f"{where}:{line}"),
                files,
                lines,
            )
    return Check(True), files, lines


def import_package(python: str, source: Path, package: str, client: str, timeout: float) -> Check:
    """Run probe.py in a fresh, isolated interpreter."""
    command = [python, "-I", str(PROBE), str(source), package, client]
    try:
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout * WALL_FACTOR,
            check=False,
            cwd=source,
            preexec_fn=_cpu_limit(timeout),
        )
    except subprocess.TimeoutExpired:
        return Check(False, f"import took more than {timeout * WALL_FACTOR:.0f} s", "timeout")
    if run.returncode == -signal.SIGXCPU:
        return Check(False, f"import used more than {timeout:.0f} s of CPU", "timeout")
    try:
        report = json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        return Check(False, f"probe died (exit {run.returncode}): {tail[0][:300]}")
    if report.get("ok"):
        return Check(True, detail=f"{report.get('modules')} modules, {report.get('models')} models")
    error = f"[{report.get('stage')}] {report.get('error', '')}"
    return Check(False, error, str(report.get("where", "")))


def mypy_strict(python: str, source: Path, package: str, timeout: float) -> Check:
    """`mypy --strict --python-version 3.10` on the package, as tests/sdk/test_typecheck.py does."""
    with tempfile.TemporaryDirectory(prefix="corpus-mypy-") as cache:
        command = [
            python,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--cache-dir",
            cache,
            "--no-error-summary",
            "--hide-error-context",
            "-p",
            package,
        ]
        env = {**os.environ, "MYPYPATH": str(source)}
        try:
            run = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout * WALL_FACTOR,
                check=False,
                cwd=source,
                env=env,
                preexec_fn=_cpu_limit(timeout),
            )
        except subprocess.TimeoutExpired:
            return Check(False, f"mypy took more than {timeout * WALL_FACTOR:.0f} s", "timeout")
    if run.returncode == -signal.SIGXCPU:
        return Check(False, f"mypy used more than {timeout:.0f} s of CPU", "timeout")
    if run.returncode == 0:
        return Check(True)
    lines = [line for line in (run.stdout + run.stderr).splitlines() if ": error:" in line]
    first = lines[0] if lines else (run.stdout + run.stderr).strip()[:300]
    return Check(False, f"{len(lines)} error(s); first: {first[:400]}", "\n".join(lines[:20]))
