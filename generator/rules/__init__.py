"""Own checks of a spec, one module per rule; `validate` runs the gate, then `RULES`."""

from __future__ import annotations

from . import examples, formats, operation_ids, path_params, refs, unicode, version
from .base import Rule

GATE: tuple[Rule, ...] = version.RULES
RULES: tuple[Rule, ...] = (
    *unicode.RULES,
    *refs.RULES,
    *operation_ids.RULES,
    *path_params.RULES,
    *formats.RULES,
    *examples.RULES,
)

__all__ = ["GATE", "RULES", "Rule"]
