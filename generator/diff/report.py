"""A DiffReport as text (CI logs), JSON (tools), Markdown (PR comments) or a CHANGELOG entry."""

from __future__ import annotations

import json

from .. import text
from .compare import Change, DiffReport

FORMATS = ("text", "json", "markdown")
_SECTIONS = (("Breaking changes", "major"), ("Added", "minor"), ("Fixed and documented", "patch"))


def _verdict(report: DiffReport) -> str:
    if not report.changes:
        return "no change to the SDK surface (bump: none)"
    count = sum(c.breaking for c in report.changes)
    kind = f"{count} breaking" if count else "no breaking"
    return f"{len(report.changes)} change(s), {kind} (bump: {report.bump})"


def render_text(report: DiffReport) -> str:
    """One line per change, breaking ones first, then the verdict."""
    lines = [
        f"{'BREAKING' if c.breaking else c.bump:>8}  {c.kind:<28} {c.location}: {c.message}"
        for c in _ordered(report.changes)
    ]
    return "\n".join([*lines, _verdict(report)]) + "\n"


def render_json(report: DiffReport) -> str:
    """`{"breaking": bool, "bump": str, "changes": [{kind, breaking, location, message}]}`."""
    return json.dumps(report.as_dict(), indent=2) + "\n"


def render_markdown(report: DiffReport) -> str:
    """A PR comment: the verdict and a table of changes."""
    head = "## SDK changes\n\n"
    if report.breaking:
        head += f"**Breaking** (needs a **{report.bump}** version bump).\n\n"
    else:
        head += f"No breaking change (bump: **{report.bump}**).\n\n"
    if not report.changes:
        return head + "The SDK surface is unchanged.\n"
    rows = [
        f"| {':boom:' if c.breaking else ''} | {text.md_cell(c.kind)} "
        f"| {text.md_code(c.location)} | {text.md_cell(c.message)} |"
        for c in _ordered(report.changes)
    ]
    table = ["| Breaking | Kind | Where | What |", "| --- | --- | --- | --- |", *rows]
    return head + "\n".join(table) + "\n"


def render_changelog(report: DiffReport, version: str = "Unreleased") -> str:
    """A Keep-a-Changelog style entry: Breaking changes, Added, Fixed and documented."""
    lines = [f"## {version}", ""]
    for title, bump in _SECTIONS:
        chosen = [c for c in _ordered(report.changes) if c.bump == bump]
        if chosen:
            lines += [f"### {title}", ""]
            lines += [f"- {text.md(c.message)} ({text.md_code(c.location)})" for c in chosen]
            lines.append("")
    if not report.changes:
        lines += ["- No change to the SDK surface.", ""]
    return "\n".join(lines)


def render(report: DiffReport, form: str) -> str:
    """The report in one of FORMATS."""
    return {"text": render_text, "json": render_json, "markdown": render_markdown}[form](report)


def _ordered(changes: tuple[Change, ...]) -> list[Change]:
    return sorted(changes, key=lambda c: (not c.breaking, c.location, c.kind))
