"""Operations -> a tree of resource groups (`router.images.edits`) with unique member names."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from . import names
from .nodes import Group, Operation
from .operations import requalify
from .types import BUILTIN_NAMES

# Attributes of the generated client and of every group class.
ROOT_RESERVED = ("close", "aclose")


def group_path(op: dict[str, Any]) -> tuple[str, ...]:
    """Group of an operation: `x-speakeasy-group` / `x-sdkforge-group`, else its first tag."""
    for key in ("x-sdkforge-group", "x-speakeasy-group"):
        value = op.get(key)
        if isinstance(value, str) and value.strip(". "):
            return parse_group(value)
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and tags[0].strip():
        return (names.snake(tags[0], prefix="group"),)
    return ()


def parse_group(value: str) -> tuple[str, ...]:
    """`router.images` -> ("router", "images"), each part a snake_case attribute."""
    return tuple(names.snake(part, prefix="group") for part in value.split(".") if part.strip())


def wanted_method(op: dict[str, Any], operation_id: str) -> str:
    """Method name: `x-speakeasy-name-override` / `x-sdkforge-name`, else the operationId."""
    for key in ("x-sdkforge-name", "x-speakeasy-name-override"):
        value = op.get(key)
        if isinstance(value, str) and value.strip():
            return names.method_name(value)
    return names.method_name(operation_id)


@dataclass(slots=True)
class _Node:
    path: tuple[str, ...]
    operations: list[Operation] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)


def build_groups(
    operations: list[tuple[tuple[str, ...], Operation]], classes: names.Scope, client_class: str
) -> Group:
    """The group tree; methods and child groups get unique names inside each group."""
    root = _Node(())
    for path, operation in operations:
        node = root
        for depth, part in enumerate(path):
            node = node.children.setdefault(part, _Node(path[: depth + 1]))
        node.operations.append(operation)
    modules = names.Scope((), casefold=True)
    return _finish(root, classes, modules, client_class, "")


def _finish(
    node: _Node, classes: names.Scope, modules: names.Scope, client_class: str, attribute: str
) -> Group:
    scope = names.Scope(ROOT_RESERVED)
    methods = []
    for op in sorted(node.operations, key=lambda o: (o.method_name, o.path, o.http_method)):
        name = scope.claim(op.method_name)
        while scope.is_taken(name + "_async"):
            name = scope.claim(op.method_name)
        scope.reserve(name + "_async")
        constant = "_OP_" + name.upper()
        methods.append(replace(op, method_name=name, constant=constant))
    children = []
    for key in sorted(node.children):
        child_attribute = scope.claim(key, (f"{key}_group",))
        children.append(
            _finish(node.children[key], classes, modules, client_class, child_attribute)
        )
    shadowed = (
        frozenset({m.method_name for m in methods} | {c.attribute for c in children})
        & BUILTIN_NAMES
    )
    if shadowed:
        methods = [requalify(m, shadowed) for m in methods]
    if node.path:
        wanted = names.bounded_class(names.pascal("_".join(node.path)))
        class_name = classes.claim(wanted, (wanted + "Resource",), sep="")
        module = modules.claim(names.bounded_module("_".join(node.path), prefix="group"))
    else:
        class_name, module = client_class, "client"
    return Group(
        path=node.path,
        class_name=class_name,
        module=module,
        attribute=attribute,
        operations=tuple(methods),
        children=tuple(children),
        needs=frozenset({"builtins"}) if shadowed else frozenset(),
    )
