"""Stage 5, format: black with a pinned mode on every generated `.py` file."""

from __future__ import annotations

from dataclasses import replace

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput
from black.report import NothingChanged

from .diagnostics import Diagnostic, Severity, SpecError, SpecLocation
from .render.plan import OutputFile

MODE = black.Mode(target_versions={TargetVersion.PY310})


def format_source(text: str) -> str:
    """Black-format one Python source text (raises InvalidInput if it does not parse)."""
    try:
        return black.format_file_contents(text, fast=True, mode=MODE)
    except NothingChanged:
        return text


def format_files(files: list[OutputFile]) -> list[OutputFile]:
    """Every `.py` file black-formatted; a file black rejects is a bug named by its template."""
    out = []
    problems = []
    for file in files:
        if not file.path.endswith(".py"):
            out.append(file)
            continue
        try:
            out.append(replace(file, content=format_source(file.content)))
        except InvalidInput as error:
            location = SpecLocation(file.template or file.path)
            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    "generated-code-invalid",
                    location,
                    f"{file.path} is not valid Python: {error}",
                    "this is a bug in sdkforge or in a custom template; please report it",
                )
            )
    if problems:
        raise SpecError(problems)
    return out
