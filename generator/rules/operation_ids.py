"""duplicate-operation-id: an operationId names one operation (and one SDK method)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec, join_pointer
from .base import Rule
from .messages import quoted, shown
from .operations import Operation, operations


def _describe(spec: LoadedSpec, operation: Operation) -> str:
    item = operation.path_item
    where = spec.locate(item.file, join_pointer(operation.pointer, "operationId")).render()
    prefix = "webhook " if item.section == "webhooks" else ""
    return f"{operation.method.upper()} {prefix}{shown(item.name)} ({where})"


def check(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Report every operation after the first that reuses an operationId."""
    first: dict[str, Operation] = {}
    for operation in operations(spec):
        operation_id = operation.value.get("operationId")
        if not isinstance(operation_id, str):
            continue
        if operation_id not in first:
            first[operation_id] = operation
            continue
        yield RULE.diagnostic(
            spec,
            operation.path_item.file,
            join_pointer(operation.pointer, "operationId"),
            f"operationId {quoted(operation_id)} is already used by "
            f"{_describe(spec, first[operation_id])}",
            "give every operation its own operationId; SDK method names come from it",
        )


RULE = Rule("duplicate-operation-id", Severity.ERROR, check)
RULES = (RULE,)
