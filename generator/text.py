"""All escaping of spec text into generated Python and Markdown happens here.

A spec is data, never code: every string from a spec that lands in the output goes
through one of these functions. Each returns text that cannot end its context
early (a string literal, a docstring, a comment, a Markdown table cell).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085\ud800-\udfff\ufeff]")


def py_str(value: str) -> str:
    """A Python string literal (double-quoted) whose value is exactly `value`."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        elif ch in "\u2028\u2029\u0085\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_str(value: str) -> str:
    """A TOML basic string whose value is exactly `value`."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def py_literal(value: Any) -> str:
    """Python source for a JSON value (str, int, float, bool, None, list, dict)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{py_str(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return py_str(str(value))


def docstring(text: str) -> str:
    """Body of a triple-quoted docstring: no `\"\"\"` can close it, no backslash can escape."""
    clean = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    clean = clean.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in clean.strip().split("\n")]
    body = "\n".join(lines).strip()
    if body.endswith('"'):
        body += " "
    if body.startswith('"'):
        body = " " + body
    return body


def comment(text: str) -> str:
    """One line of text safe after `# ` and inside a docstring (where templates also use it)."""
    return docstring(" ".join(_CONTROL.sub(" ", text).split()))


def md(text: str) -> str:
    """Markdown paragraph text: normalised newlines, no raw HTML, no control characters."""
    clean = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    clean = clean.replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(line.rstrip() for line in clean.strip().split("\n"))


def md_cell(text: str) -> str:
    """Markdown table cell: one line, pipes and backslashes escaped."""
    clean = md(text).replace("\\", "\\\\").replace("|", "\\|")
    return "<br/>".join(part.strip() for part in clean.split("\n") if part.strip()) or ""


def md_code(text: str) -> str:
    """Inline code span for a table cell: `text` verbatim, backticks fenced, pipes escaped."""
    clean = " ".join(_CONTROL.sub(" ", text).split("\n"))
    longest = max((len(m) for m in re.findall(r"`+", clean)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if clean.startswith("`") or clean.endswith("`") or not clean else ""
    return f"{fence}{pad}{clean}{pad}{fence}".replace("|", "\\|")


def json_text(value: Any) -> str:
    """Compact, stable JSON for documentation."""
    return json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
