"""Stage orchestration: load -> validate -> build -> render -> format -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Target
from .diagnostics import Diagnostic, Severity, SpecError, has_errors
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


def build_options(target: Target) -> BuildOptions:
    """What the build stage needs to know from a target."""
    return BuildOptions(
        package=target.package,
        client_class=target.client_class,
        distribution=target.distribution,
        sdk_version=target.version,
        spec_display=target.spec_display or target.spec.name,
        authors=target.authors,
        license=target.license,
        summary=target.description,
        retries=target.retries,
        overrides=target.overrides,
    )


def unused_overrides(target: Target, api: Api) -> list[Diagnostic]:
    """A warning for each `operations:` entry of the config that names no operation."""
    known = {op.operation_id for op in api.operations()}
    known.update(o.operation_id for o in target.overrides if o.ignore)
    return [
        Diagnostic(
            Severity.WARNING,
            "config-unknown-operation",
            target.override_locations[o.operation_id],
            f"no operation has the operationId {o.operation_id!r}",
            "check the spelling against the spec's operationIds",
        )
        for o in target.overrides
        if o.operation_id not in known and o.operation_id in target.override_locations
    ]


def build_ir(target: Target, result: Result) -> Api | None:
    """Load, validate and build the IR; None when an error stopped it (see result.diagnostics)."""
    try:
        spec = load(target.spec)
        result.diagnostics.extend(_strict(validate(spec), target.strict))
        if result.failed:
            return None
        api, problems = build_api(spec, build_options(target))
    except SpecError as error:
        result.diagnostics.extend(error.diagnostics)
        return None
    result.diagnostics.extend(_strict(problems, target.strict))
    result.diagnostics.extend(unused_overrides(target, api))
    result.api = api
    return None if result.failed else api


def build_files(target: Target, result: Result) -> list[OutputFile] | None:
    """Run every stage up to format; None when an error stopped it (see result.diagnostics)."""
    api = build_ir(target, result)
    if api is None:
        return None
    try:
        return format_files(render(api, target.templates, target.template_vars))
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
