"""Problems found in a spec: located, classified, collected (never raised one at a time)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .shown import one_line


class Severity(enum.Enum):
    """How bad a problem is: errors stop generation, warnings are printed and tolerated."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class SpecLocation:
    """Where something is in the input: file, JSON pointer and (when known) line and column."""

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        """Return `file:line:col` (or `file` when the line is unknown)."""
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: severity, stable rule id, location, message and a hint on what to do."""

    severity: Severity
    rule: str
    location: SpecLocation
    message: str
    hint: str = ""

    def render(self) -> str:
        """Return the one-line form: `FILE:LINE:COL: severity[rule] POINTER: message. hint: ...`."""
        pointer = self.location.pointer or "#"
        where = self.location.render()
        text = f"{where}: {self.severity.value}[{self.rule}] {pointer}: {self.message}"
        if self.hint:
            text += f" hint: {self.hint}"
        return one_line(text)

    def as_error(self) -> Diagnostic:
        """Return this diagnostic promoted to an error (used by `--strict`)."""
        if self.severity is Severity.ERROR:
            return self
        return Diagnostic(Severity.ERROR, self.rule, self.location, self.message, self.hint)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Order diagnostics by file, line, pointer and rule, dropping exact duplicates."""
    unique = {(d.location.file, d.location.pointer, d.rule, d.message): d for d in diagnostics}

    def key(d: Diagnostic) -> tuple[str, int, str, str, str]:
        return (d.location.file, d.location.line or 0, d.location.pointer, d.rule, d.message)

    return sorted(unique.values(), key=key)


class SpecError(Exception):
    """Raised by a stage when the input cannot go further; carries the diagnostics to print."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics
