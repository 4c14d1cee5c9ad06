"""invalid-unicode: text holding a lone surrogate (`"\\ud800"` in JSON) is not Unicode text.

JSON and YAML `\\u` escapes can spell half of a surrogate pair on its own. Such a string
cannot be written as UTF-8, so it can reach neither generated code nor a request; the
spec has to be fixed. Files without a surrogate escape are not walked at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..load import Document, LoadedSpec, join_pointer
from .base import Rule
from .messages import quoted
from .walk import spec_index

MAX_PER_FILE = 20
_SURROGATE = re.compile("[\ud800-\udfff]")


def check(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """One error per string (key or value) with a lone surrogate, outermost first."""
    spec_index(spec)  # loads every document a $ref reaches
    for document in list(spec.documents()):
        if not document.may_have_surrogates:
            continue
        for count, (pointer, text, is_key) in enumerate(_bad_strings(document), start=1):
            if count > MAX_PER_FILE:
                break
            what = "the name" if is_key else "the text"
            code = f"U+{ord(_SURROGATE.search(text).group()):04X}"  # type: ignore[union-attr]
            yield RULE.diagnostic(
                spec,
                spec.key_of(document),
                pointer,
                f"{what} {quoted(text)} holds a lone surrogate ({code}), not a Unicode character",
                "fix the \\u escape: a character above U+FFFF is written as a surrogate pair",
            )


def _bad_strings(document: Document) -> Iterator[tuple[str, str, bool]]:
    """(pointer, string, is a key) of each bad string; pointers never hold one."""
    stack: list[tuple[Any, str]] = [(document.data, "#")]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                yield pointer, value, False
            continue
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        children = []
        for key, child in pairs:
            if isinstance(key, str) and _SURROGATE.search(key):
                yield pointer, key, True
            elif isinstance(child, str | dict | list):
                children.append((child, join_pointer(pointer, key)))
        stack.extend(reversed(children))


RULE = Rule("invalid-unicode", Severity.ERROR, check)
RULES = (RULE,)
