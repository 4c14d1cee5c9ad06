"""Jinja filters: every text from a spec passes one of these on its way into the output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import text
from ..ir import types


def _indent_doc(value: str, spaces: int = 4) -> str:
    """A docstring body re-indented for a block nested `spaces` deep."""
    pad = " " * spaces
    lines = text.docstring(value).split("\n")
    return "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])


def _first_line(value: str) -> str:
    for line in value.strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


FILTERS: dict[str, Callable[..., Any]] = {
    "py_str": text.py_str,
    "toml_str": text.toml_str,
    "py_literal": text.py_literal,
    "docstring": _indent_doc,
    "comment": text.comment,
    "md": text.md,
    "md_cell": text.md_cell,
    "md_code": text.md_code,
    "first_line": _first_line,
    "annotation": types.annotation,
    "input_annotation": types.input_annotation,
    "doc_type": types.doc_type,
    "doc_name": types.doc_name,
    "wrapper_for": types.wrapper_for,
}
