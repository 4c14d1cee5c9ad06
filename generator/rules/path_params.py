"""path-parameter-undeclared / -unused: `{name}` in a path and `in: path` parameters agree.

openapi-spec-validator reports both cases as one error; validate() drops its version
and keeps these two rules, which locate the problem and tell the cases apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec, join_pointer
from .base import Rule
from .messages import quoted, shown
from .operations import Operation, follow_ref, operations

_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class PathParameter:
    """A declared `in: path` parameter and where it is listed (its entry or `$ref`)."""

    name: str
    file: str
    pointer: str


@dataclass(frozen=True, slots=True)
class Declared:
    """The path parameters an operation declares (its own and its path item's)."""

    parameters: tuple[PathParameter, ...]
    complete: bool  # False when a parameter `$ref` did not resolve


def _declared(spec: LoadedSpec, file: str, pointer: str, owner: object) -> Declared:
    listed = owner.get("parameters") if isinstance(owner, dict) else None
    if not isinstance(listed, list):
        return Declared((), True)
    found: list[PathParameter] = []
    complete = True
    for index, value in enumerate(listed):
        entry = join_pointer(pointer, "parameters", index)
        target = follow_ref(spec, file, entry, value)
        if target is None:
            complete = False
        elif target[2].get("in") == "path" and isinstance(target[2].get("name"), str):
            found.append(PathParameter(target[2]["name"], file, entry))
    return Declared(tuple(found), complete)


def _operation_parameters(spec: LoadedSpec, operation: Operation) -> Declared:
    item = operation.path_item
    shared = _declared(spec, item.file, item.pointer, item.value)
    own = _declared(spec, item.file, operation.pointer, operation.value)
    return Declared(shared.parameters + own.parameters, shared.complete and own.complete)


def check_undeclared(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Error for each `{name}` of a path that an operation does not declare `in: path`."""
    for operation in operations(spec):
        if operation.path_item.section != "paths":
            continue
        declared = _operation_parameters(spec, operation)
        names = {parameter.name for parameter in declared.parameters}
        path, query = _split_query(operation.path_item.name)
        for name in dict.fromkeys(_TEMPLATE_NAME.findall(operation.path_item.name)):
            if name not in names and declared.complete:
                hint = (
                    f"add a parameter {{name: {shown(name)}, in: path, required: true}} to the "
                    "operation or to the path item"
                )
                if name in _TEMPLATE_NAME.findall(query) and name not in path:
                    hint = (
                        f"a path holds no query string: make the key {quoted(path)} and "
                        f"declare {shown(name)} as a parameter with `in: query`"
                    )
                yield UNDECLARED.diagnostic(
                    spec,
                    operation.path_item.file,
                    operation.pointer,
                    f"path parameter {quoted(name)} of {quoted(operation.path_item.name)} is not "
                    f"declared for {operation.method.upper()}",
                    hint,
                )


def _split_query(path: str) -> tuple[str, str]:
    """`/a/{b}?c={c}` -> (`/a/{b}`, `c={c}`): OpenAPI paths have no query, some specs do."""
    head, _, query = path.partition("?")
    return head, query


def check_unused(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Warning for each `in: path` parameter whose name is not in the path template."""
    reported: set[PathParameter] = set()  # a path item's parameter is shared by its operations
    for operation in operations(spec):
        if operation.path_item.section != "paths":
            continue
        template = set(_TEMPLATE_NAME.findall(operation.path_item.name))
        for parameter in _operation_parameters(spec, operation).parameters:
            if parameter.name not in template and parameter not in reported:
                reported.add(parameter)
                placeholder = "{" + parameter.name + "}"
                yield UNUSED.diagnostic(
                    spec,
                    parameter.file,
                    parameter.pointer,
                    f"path parameter {quoted(parameter.name)} is not in the path "
                    f"{quoted(operation.path_item.name)}; the SDK will not send it",
                    f"add {shown(placeholder)} to the path or remove the parameter",
                )


UNDECLARED = Rule("path-parameter-undeclared", Severity.ERROR, check_undeclared)
UNUSED = Rule("path-parameter-unused", Severity.WARNING, check_unused)
RULES = (UNDECLARED, UNUSED)
