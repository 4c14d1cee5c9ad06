"""Broken documents: a valid hostile document with a few random mutations applied.

Deleted and renamed keys, values of the wrong type, dangling or foreign `$ref`s, bad
versions, or a truncated file. Such a spec may still be valid; either way `generate`
must answer with located errors or a working SDK, never a traceback. The round-trip
facts no longer hold, so `Facts.mutated` turns those checks off.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .documents import SMALL, Facts, Sizes, documents

_ODD_VALUES: tuple[Any, ...] = (
    None,
    0,
    -1,
    10**30,
    1.5,
    "",
    "x",
    True,
    [],
    {},
    [None],
    {"": None},
    "3.0.3",
    {"$ref": "#"},
)
_REFS = (
    "#",
    "",
    "#/",
    "#/nope",
    "#/components/schemas",
    "#/paths",
    "#/info/title",
    "#/components/schemas/%7B",
    "../outside.yaml",
    "missing.yaml#/X",
    "http://example.com/x.yaml",
    "file:///etc/passwd",
    "#/components/schemas/a~2b",
    "#/paths/~1p0~1items/get",
)


# A wrong version stops at the gate, so it is drawn rarely; the rest reach deeper stages.
_ACTIONS = ("delete", "delete", "replace", "replace", "rename", "ref", "ref", "ref", "version")


def _slots(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in the document, in a stable order."""
    found: list[tuple[Any, Any]] = []
    stack = [document]
    while stack:
        value = stack.pop()
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in pairs:
            found.append((value, key))
            if isinstance(child, dict | list):
                stack.append(child)
    return found


def _mutate(draw: st.DrawFn, document: dict[str, Any]) -> str:
    slots = _slots(document)
    container, key = draw(st.sampled_from(slots))
    action = draw(st.sampled_from(_ACTIONS))
    if action == "version":
        document["openapi"] = draw(st.sampled_from(("3.2.0", "2.0", "3.0", 3.1, "", None)))
    elif action == "delete" and isinstance(container, dict):
        del container[key]
    elif action == "rename" and isinstance(container, dict):
        new = draw(st.sampled_from(("$ref", "x-", "type", "properties", "in", "", "🙂", "~1")))
        container[new] = container.pop(key)
    elif action == "ref":
        container[key] = {"$ref": draw(st.sampled_from(_REFS))}
    else:
        container[key] = draw(st.sampled_from(_ODD_VALUES))
    return action


@st.composite
def mutated_documents(draw: st.DrawFn, sizes: Sizes = SMALL) -> tuple[dict[str, Any], Facts]:
    """A hostile document with 1-3 mutations (or a truncated file), and its facts."""
    document, facts = draw(documents(sizes))
    facts.mutated = True
    for _ in range(draw(st.integers(1, 3))):
        _mutate(draw, document)
    if draw(st.integers(0, 19)) == 7:  # not 0: hypothesis draws minimal values often
        facts.truncate = draw(st.floats(0.02, 0.98))
    return document, facts
