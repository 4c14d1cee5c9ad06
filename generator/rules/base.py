"""What every own rule is: a stable id, a severity and `check(spec) -> diagnostics`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec

Check = Callable[[LoadedSpec], Iterator[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One named check; `id` is a stable kebab-case slug that config can silence."""

    id: str
    severity: Severity
    check: Check

    def diagnostic(
        self, spec: LoadedSpec, file: str, pointer: str, message: str, hint: str
    ) -> Diagnostic:
        """A diagnostic of this rule at `pointer` in `file` (a document key of `spec`)."""
        return Diagnostic(self.severity, self.id, spec.locate(file, pointer), message, hint)
