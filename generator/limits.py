"""Input limits that keep `load` safe on hostile documents.

A spec is untrusted input. These bounds stop a document from exhausting memory or
the stack of later stages: file size, total size of all files a spec pulls in, the
number of files, nesting depth, and the node count after YAML aliases are expanded
(a "billion laughs" document is small on disk and huge once walked). The defaults are
far above any real API (the 2,639 specs of the APIs-guru directory peak at depth 34
and 47 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, Severity, SpecError, SpecLocation


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds for one spec; `allowed_urls` are URL prefixes remote `$ref`s may be fetched from."""

    max_document_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_documents: int = 2000
    max_depth: int = 128
    max_nodes: int = 50_000_000
    allowed_urls: tuple[str, ...] = ()
    fetch_timeout: float = 30.0


DEFAULT_LIMITS = Limits()


def fail(
    display: str,
    rule: str,
    message: str,
    hint: str,
    line: int | None = None,
    column: int | None = None,
    pointer: str = "#",
) -> SpecError:
    """A SpecError with one located error."""
    location = SpecLocation(display, pointer, line, column)
    return SpecError([Diagnostic(Severity.ERROR, rule, location, message, hint)])


@dataclass(frozen=True, slots=True)
class TreeProblem:
    """Why a parsed document is refused, and the pointer of the node that shows it."""

    rule: str
    message: str
    hint: str
    pointer: str


def check_tree(data: Any, limits: Limits, shared: bool) -> TreeProblem | None:
    """Problems of parsed data: too deep, or (`shared`: it may hold YAML aliases) too big or cyclic.

    Without aliases the size is bounded by the file size, so only the depth is checked.
    """
    if not isinstance(data, dict | list):
        return None
    if not shared:
        return _too_deep(data, limits) if _deeper_than(data, limits.max_depth) else None
    return _check_shared(data, limits)


def _deeper_than(value: Any, levels: int) -> bool:
    """True when `value` (a tree: no shared nodes) nests more than `levels` deep."""
    if levels == 0:
        return True
    for child in value.values() if isinstance(value, dict) else value:
        if (type(child) is dict or type(child) is list) and _deeper_than(child, levels - 1):
            return True
    return False


def _check_shared(data: Any, limits: Limits) -> TreeProblem | None:
    """Depth, expanded size and cycles, in one pass that never recurses.

    Shared nodes (YAML aliases) are walked once but counted at every use, so the node
    count is the size that later stages would see; a node that contains itself is a cycle.
    """
    sizes: dict[int, int] = {}  # id -> expanded size of a finished container
    heights: dict[int, int] = {}  # id -> levels from a finished container down to its leaves
    open_ids: set[int] = set()  # containers on the current path
    stack: list[tuple[Any, int, Iterator[Any] | None]] = [(data, 1, None)]
    while stack:
        value, depth, children = stack[-1]
        if children is None:
            if depth > limits.max_depth:
                return _depth_problem(limits, "#")
            open_ids.add(id(value))
            children = iter(value.values() if isinstance(value, dict) else value)
            stack[-1] = (value, depth, children)
        child = next(children, _END)
        if child is _END:
            stack.pop()
            open_ids.discard(id(value))
            sizes[id(value)] = 1 + sum(sizes.get(id(c), 1) for c in _items(value))
            heights[id(value)] = 1 + max((heights.get(id(c), 0) for c in _items(value)), default=0)
            if sizes[id(value)] > limits.max_nodes:
                return _too_many(limits)
            continue
        if isinstance(child, dict | list):
            if id(child) in open_ids:
                return TreeProblem(
                    "document-recursive",
                    "the document contains itself (a YAML alias inside its own anchor)",
                    "replace the alias with a $ref",
                    "#",
                )
            if id(child) not in sizes:
                stack.append((child, depth + 1, None))
            elif depth + heights[id(child)] > limits.max_depth:  # a shared node, used deeper
                return _depth_problem(limits, "#")
    return None


_END = object()


def _items(value: dict[str, Any] | list[Any]) -> Iterator[Any]:
    return iter(value.values() if isinstance(value, dict) else value)


def _too_many(limits: Limits) -> TreeProblem:
    return TreeProblem(
        "document-too-large",
        f"the document expands to more than {limits.max_nodes} values "
        "(YAML aliases are copied at every use)",
        "use $ref instead of YAML anchors and aliases",
        "#",
    )


def _depth_problem(limits: Limits, pointer: str) -> TreeProblem:
    return TreeProblem(
        "document-too-deep",
        f"the document nests more than {limits.max_depth} levels deep",
        "flatten the document: move nested schemas to components and $ref them",
        pointer,
    )


def _too_deep(data: Any, limits: Limits) -> TreeProblem:
    """The problem at the first node (document order) past the depth limit of a tree."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "#")]
    while stack:
        value, depth, pointer = stack.pop()
        if depth > limits.max_depth:
            return _depth_problem(limits, pointer)
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        children = [(v, str(k)) for k, v in pairs if isinstance(v, dict | list)]
        for child, key in reversed(children):
            token = key.replace("~", "~0").replace("/", "~1")
            stack.append((child, depth + 1, f"{pointer}/{token}"))
    raise AssertionError("check_tree found a node deeper than the limit")  # pragma: no cover
