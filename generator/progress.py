"""Progress of a long run (stage, files done/total) and the time each stage took.

The pipeline reports to a `Progress`; it never prints. The command line gives it a sink
(stderr) and decides whether the live line is shown: only on a terminal, never with
`--quiet`. Timings are always recorded and printed with `--timings`.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Sink = Callable[[str], None]
_REFRESH_SECONDS = 0.1


def cpu_seconds() -> float:
    """CPU time of this process and of its ended child processes (workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(slots=True)
class StageTime:
    """One finished stage: its name, wall time, and items handled (0 when not counted)."""

    name: str
    seconds: float
    items: int = 0
    note: str = ""
    cpu: float | None = None  # CPU seconds: this process and worker processes ended meanwhile


@dataclass(slots=True)
class Progress:
    """Records stage times; with a live sink, redraws `stage done/total` on one line."""

    live: Sink | None = None
    clock: Callable[[], float] = time.perf_counter
    stages: list[StageTime] = field(default_factory=list)
    _name: str = ""
    _done: int = 0
    _total: int = 0
    _drawn: float = 0.0
    _width: int = 0

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Callable[[int], None]]:
        """Time a stage; yields `advance(n)` to count items done out of `total`."""
        started, cpu = self.clock(), cpu_seconds()
        self._name, self._done, self._total, self._drawn = name, 0, total, 0.0
        self._draw(force=True)
        try:
            yield self.advance
        finally:
            spent = cpu_seconds() - cpu
            self.stages.append(StageTime(name, self.clock() - started, self._done, cpu=spent))
            self._clear()

    def record(self, name: str, seconds: float, note: str = "") -> None:
        """Add a stage measured elsewhere (e.g. validation in a worker process)."""
        self.stages.append(StageTime(name, seconds, 0, note))

    def advance(self, n: int = 1) -> None:
        """Count n more items done in the current stage."""
        self._done += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if self.live is None:
            return
        now = self.clock()
        if not force and now - self._drawn < _REFRESH_SECONDS and self._done < self._total:
            return
        self._drawn = now
        text = f"sdkforge: {self._name}"
        if self._total:
            text += f" {self._done}/{self._total} files"
        self.live("\r" + text.ljust(self._width))
        self._width = len(text)

    def _clear(self) -> None:
        if self.live is not None and self._width:
            self.live("\r" + " " * self._width + "\r")
            self._width = 0

    def table(self) -> str:
        """Time per stage, one per line, and the total (stages in the order they ended)."""
        lines = []
        for stage in self.stages:
            line = f"  {stage.name:<22} {stage.seconds:8.2f} s"
            if stage.cpu is not None:
                line += f"  cpu {stage.cpu:7.2f} s"
            if stage.items:
                line += f"  {stage.items} files"
            if stage.note:
                line += f"  ({stage.note})"
            lines.append(line)
        total = sum(s.seconds for s in self.stages if not s.note.startswith("in parallel"))
        cpu = sum(s.cpu for s in self.stages if s.cpu is not None)
        lines.append(f"  {'total':<22} {total:8.2f} s  cpu {cpu:7.2f} s")
        return "\n".join(lines)
