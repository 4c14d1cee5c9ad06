"""What each generated resource module imports: models by module, and runtime features."""

from __future__ import annotations

from dataclasses import replace

from .nodes import Group, Operation
from .types import AliasRef, ModelRef, TypeRef, features, referenced


def _types(op: Operation) -> list[TypeRef]:
    found: list[TypeRef] = [a.type for a in op.arguments if a.type is not None]
    if op.body is not None:
        found.append(op.body.type)
    found.extend(r.type for r in op.responses if r.type is not None)
    if op.pagination is not None:
        found.append(op.pagination.item_type)
    return found


def _needs(op: Operation) -> set[str]:
    needs: set[str] = set()
    for t in _types(op):
        needs |= features(t)
    if any(a.default == "UNSET" for a in op.arguments):
        needs.add("unset")
    kinds = {r.kind for r in op.responses if not r.is_error}
    needs |= {k for k in ("binary", "sse") if k in kinds}
    if op.body is not None and op.body.kind == "binary":
        needs.add("stream_body")
    if op.body is not None and op.body.files:
        needs.add("file")
    if op.streaming == "flag":
        needs |= {"overload", "literal"}
    if any(r.is_error and r.error_class is None for r in op.responses):
        needs.add("api_error")
    if op.body is not None and op.body.choice_mode:
        needs.add("literal" if op.body.choice_mode == "operation" else "content_type_header")
        if any(c.kind == "binary" for c in op.body.choices):
            needs.add("stream_body")
    if op.body is not None or any(r.type is not None for r in op.responses):
        needs.add("schema")
    if op.pagination is not None:
        needs.add("pagination")
        if "builtins." in op.pagination.item_annotation:
            needs.add("builtins")
    return needs


def _names(op: Operation) -> set[str]:
    names: set[str] = set()
    for t in _types(op):
        for ref in referenced(t):
            names.add(ref.name)
    for argument in op.arguments:
        if argument.type is None:
            continue
        for ref in referenced(argument.type):
            if isinstance(ref, ModelRef):
                names.add(f"{ref.name}TypedDict")
            elif isinstance(ref, AliasRef) and ref.input_name:
                names.add(ref.input_name)
    return names


def with_imports(group: Group, placed: dict[str, str]) -> Group:
    """The group (and its children) with their model imports and runtime needs filled in."""
    children = tuple(with_imports(child, placed) for child in group.children)
    needs: set[str] = set(group.needs)
    by_module: dict[str, set[str]] = {}
    errors: set[str] = set()
    for op in group.operations:
        needs |= _needs(op)
        errors.update(r.error_class for r in op.responses if r.error_class)
        for name in _names(op):
            owner = name[: -len("TypedDict")] if name.endswith("TypedDict") else name
            module = placed.get(owner) or placed.get(name)
            if module is not None:
                by_module.setdefault(module, set()).add(name)
    if children:
        needs.add("children")
    imports = tuple((module, tuple(sorted(n))) for module, n in sorted(by_module.items()))
    return replace(
        group,
        children=children,
        imports=imports,
        needs=frozenset(needs),
        error_imports=tuple(sorted(errors)),
    )
