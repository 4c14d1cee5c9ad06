"""Stoplight Prism as an independent oracle: install it from npm, run it on loopback.

Prism (`@stoplight/prism-cli`) serves any OpenAPI document as a mock server and reports
every way a request breaks the document: a 401/422 answer and an `sl-violations`
response header. It is installed into `.prism/` at the repository root (git-ignored)
with the ordinary npm client, only when Node.js and npm are on PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRISM_PACKAGE = "@stoplight/prism-cli@5.16.0"
PRISM_DIR = ROOT / ".prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
READY = "Prism is listening"
# The 3.3 MB orq.ai spec takes ~40 s to start on two cores; allow headroom.
START_TIMEOUT = 240.0


class PrismUnavailable(RuntimeError):
    """Prism cannot run here (no Node.js/npm, or the install failed); the reason says why."""


def missing_tools() -> str | None:
    """Why Prism cannot be installed on this machine, or None when node and npm exist."""
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if absent:
        return f"{' and '.join(absent)} not found on PATH; Prism conformance tests need Node.js"
    return None


def ensure_prism() -> Path:
    """The Prism binary, installing the pinned version into .prism/ on first use."""
    if PRISM_BIN.exists():
        return PRISM_BIN
    reason = missing_tools()
    if reason is not None:
        raise PrismUnavailable(reason)
    PRISM_DIR.mkdir(exist_ok=True)
    command = [
        "npm",
        "install",
        "--prefix",
        str(PRISM_DIR),
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--loglevel=error",
        PRISM_PACKAGE,
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode != 0 or not PRISM_BIN.exists():
        raise PrismUnavailable(f"`{' '.join(command)}` failed:\n{run.stdout}{run.stderr}")
    return PRISM_BIN


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrismServer:
    """`prism mock` for one spec on a free loopback port; a context manager."""

    def __init__(self, spec: Path, dynamic: bool = False, port: int | None = None) -> None:
        self.spec = spec
        self.dynamic = dynamic
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[str] | None = None
        self._log: deque[str] = deque(maxlen=200)
        self._ready = threading.Event()

    def __enter__(self) -> PrismServer:
        binary = ensure_prism()
        command = [str(binary), "mock", "-h", "127.0.0.1", "-p", str(self.port), str(self.spec)]
        if self.dynamic:
            command.append("--dynamic")
        self._process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
        )
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._ready.wait(0.2):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise PrismUnavailable("Prism did not start:\n" + self.log_tail())
        return self

    def died(self, grace: float = 3.0) -> bool:
        """True when Prism exited (waiting up to `grace` seconds for a dying process)."""
        if self._process is None:
            return True
        try:
            self._process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            return False
        return True

    def restart(self) -> None:
        """Start Prism again on the same port (after it crashed)."""
        self.__exit__()
        self._ready.clear()
        self.__enter__()

    def _drain(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._log.append(line.rstrip())
            if READY in line:
                self._ready.set()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines Prism printed (for failure messages)."""
        return "\n".join(list(self._log)[-lines:])

    def __exit__(self, *exc: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
