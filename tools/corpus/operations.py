"""Operations a spec declares vs operations a generated package implements."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORE_MARKERS = ("x-speakeasy-ignore", "x-sdkforge-ignore")
_MAX_PATH_ITEM_HOPS = 16

Op = tuple[str, str]


def spec_operations(document: Any) -> set[Op]:
    """(METHOD, path) of every operation under `paths`, minus the ones marked as ignored."""
    found: set[Op] = set()
    paths = document.get("paths") if isinstance(document, dict) else None
    if not isinstance(paths, dict):
        return found
    for path, written in paths.items():
        item = _local_target(document, written)
        if not isinstance(item, dict) or _ignored(item):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and not _ignored(operation):
                found.add((method.upper(), str(path)))
    return found


def _ignored(node: dict[str, Any]) -> bool:
    return any(node.get(marker) is True for marker in IGNORE_MARKERS)


def _local_target(document: Any, item: Any) -> Any:
    """A path item, following local `$ref`s (`#/components/pathItems/...`)."""
    for _ in range(_MAX_PATH_ITEM_HOPS):
        ref = item.get("$ref") if isinstance(item, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return item
        target: Any = document
        for escaped in ref[2:].split("/"):
            token = escaped.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        item = target
    return item


def generated_operations(package: Path) -> tuple[set[Op], set[str]]:
    """(METHOD, path) of every `Operation(...)` constant, and the constants no method uses."""
    found: set[Op] = set()
    unused: set[str] = set()
    for source in sorted(package.rglob("*.py")):
        if "_runtime" in source.relative_to(package).parts:
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
        constants = _operation_constants(tree, found)
        unused |= constants - _used_by_functions(tree)
    return found, unused


def _used_by_functions(tree: ast.Module) -> set[str]:
    """Names functions read, directly or through module-level names built from them."""
    used = {
        node.id
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Name)
    }
    built_from: dict[str, set[str]] = {}  # `_OP_X_BODIES = _OP_X.variants(...)`
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            sources = {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
            for target in targets:
                if isinstance(target, ast.Name):
                    built_from.setdefault(target.id, set()).update(sources)
    pending = list(used)
    while pending:
        for source in built_from.get(pending.pop(), ()):
            if source not in used:
                used.add(source)
                pending.append(source)
    return used


def _operation_constants(tree: ast.Module, found: set[Op]) -> set[str]:
    """Names assigned an `Operation("METHOD", "/path", ...)` call; adds each op to `found`."""
    names: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, ast.Assign | ast.AnnAssign):
            continue
        value = statement.value
        if not isinstance(value, ast.Call) or _callee(value) != "Operation":
            continue
        args = value.args
        if len(args) < 2 or not all(isinstance(a, ast.Constant) for a in args[:2]):
            continue
        method, path = (a.value for a in args[:2] if isinstance(a, ast.Constant))
        if isinstance(method, str) and isinstance(path, str):
            found.add((method.upper(), path))
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""
