"""Spec text shown in messages: quoted and escaped so that every problem stays one line."""

from __future__ import annotations

import reprlib
import unicodedata
from urllib.parse import quote

_quote = reprlib.Repr()
_quote.maxstring = 120


def quoted(text: str) -> str:
    """Spec text in a message: quoted, one line (controls and surrogates escaped), capped."""
    return _quote.repr(text)


def shown(text: str) -> str:
    """Spec text as it is when it prints on one line, else `quoted`."""
    return text if text.isprintable() and len(text) <= _quote.maxstring else quoted(text)


def display_pointer(pointer: str) -> str:
    """`pointer` safe to print on one line: control, format and separator characters and
    lone surrogates are percent-encoded (the URI-fragment form of RFC 6901), the rest kept."""
    if pointer.isprintable():
        return pointer
    return "".join(
        quote(ch, safe="", errors="surrogatepass") if _unprintable(ch) else ch for ch in pointer
    )


def one_line(text: str) -> str:
    """`text` with control, format and separator characters and lone surrogates escaped
    (`\\r`, `\\x00`, `\\u202e`), so that no message can span lines or reorder a terminal."""
    if text.isprintable():
        return text
    return "".join(_escaped(ch) if _unprintable(ch) else ch for ch in text)


def _escaped(ch: str) -> str:
    return repr(ch)[1:-1]


def _unprintable(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")
