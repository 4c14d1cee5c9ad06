"""Stage orchestration: load -> validate -> build -> render -> format -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Target
from .diagnostics import Diagnostic, SpecError, has_errors
from .format import format_files
from .ir.build import BuildOptions, build_api
from .ir.nodes import Api
from .load import load
from .render.plan import OutputFile, render
from .validate import validate
from .write import WriteReport, write


@dataclass(slots=True)
class Result:
    """What one target's run produced: diagnostics, the IR, files and the write report."""

    target: Target
    diagnostics: list[Diagnostic] = field(default_factory=list)
    api: Api | None = None
    files: list[OutputFile] = field(default_factory=list)
    report: WriteReport | None = None

    @property
    def failed(self) -> bool:
        """True when an error stopped the run."""
        return has_errors(self.diagnostics)


def _strict(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    return [d.as_error() for d in diagnostics] if strict else diagnostics


def build_files(target: Target, result: Result) -> list[OutputFile] | None:
    """Run every stage up to format; None when an error stopped it (see result.diagnostics)."""
    try:
        spec = load(target.spec)
        result.diagnostics.extend(_strict(validate(spec), target.strict))
        if result.failed:
            return None
        options = BuildOptions(
            package=target.package,
            client_class=target.client_class,
            distribution=target.distribution,
            sdk_version=target.version,
            spec_display=target.spec_display or target.spec.name,
        )
        api, problems = build_api(spec, options)
        result.diagnostics.extend(_strict(problems, target.strict))
        result.api = api
        if result.failed:
            return None
        return format_files(render(api, target.templates))
    except SpecError as error:
        result.diagnostics.extend(error.diagnostics)
        return None


def run(target: Target, check: bool = False) -> Result:
    """Generate one target into its output folder (or, with check, compare without writing)."""
    result = Result(target)
    files = build_files(target, result)
    if files is None:
        return result
    result.files = files
    result.report = write(files, Path(target.output), check=check)
    return result
