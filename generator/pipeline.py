"""Stage orchestration: load -> validate -> build -> render -> format -> write."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import Cache
from .checked import Validation, input_files, start_validation, to_rows
from .config import Target
from .diagnostics import Diagnostic, Severity, SpecError, has_errors
from .format import format_files
from .ir.build import BuildOptions, build_api
from .ir.nodes import Api
from .load import load
from .progress import Progress
from .render.plan import OutputFile, render
from .runcache import remember, replay, run_key
from .validate import validate
from .write import WriteReport, write


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How a run is carried out, not what it generates: formatter, cache, workers, progress."""

    formatter: str = "black"
    cache: Cache = field(default_factory=lambda: Cache(None))
    jobs: int = 1
    progress: Progress = field(default_factory=Progress)


@dataclass(slots=True)
class Result:
    """What one target's run produced: diagnostics, the IR, files and the write report."""

    target: Target
    diagnostics: list[Diagnostic] = field(default_factory=list)
    api: Api | None = None
    files: list[OutputFile] = field(default_factory=list)
    report: WriteReport | None = None
    validation: Validation | None = None
    inputs: list[tuple[str, str]] = field(default_factory=list)  # spec files read, and hashes

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


def build_ir(target: Target, result: Result, settings: RunSettings | None = None) -> Api | None:
    """Load, validate and build the IR; None when an error stopped it (see result.diagnostics).

    With `settings`, validation comes from the cache or, for a big spec, runs in a worker
    while the IR is built and rendered; `build_files` waits for it before formatting.
    """
    try:
        with _stage(settings, "load"):
            spec = load(target.spec)
        if settings is None:
            result.diagnostics.extend(_strict(validate(spec), target.strict))
        else:
            result.validation = start_validation(spec, settings.cache, settings.jobs)
            result.validation.mark = len(result.diagnostics)
            if not result.validation.in_background and not _settle(result, settings):
                return None
        if result.failed:
            return None
        with _stage(settings, "build"):
            api, problems = build_api(spec, build_options(target))
        if settings is not None:
            result.inputs = input_files(spec)
    except SpecError as error:
        result.diagnostics.extend(error.diagnostics)
        return None
    except Exception:
        if result.validation is not None and not _settle(result, settings):
            return None  # the spec is invalid: report that, not what it broke
        raise
    result.diagnostics.extend(_strict(problems, target.strict))
    result.diagnostics.extend(unused_overrides(target, api))
    result.api = api
    return None if result.failed else api


def _stage(settings: RunSettings | None, name: str) -> AbstractContextManager[Any]:
    return settings.progress.stage(name) if settings is not None else nullcontext()


def _settle(result: Result, settings: RunSettings | None) -> bool:
    """Take the validation's diagnostics into `result`; False when they stop the run.

    When validation fails, problems found after it (by a build of an invalid spec) are
    dropped, as if the build had never run.
    """
    validation = result.validation
    if validation is None or settings is None:
        return not result.failed
    result.validation = None
    background = validation.in_background
    if validation.cached:
        settings.progress.record("validate", validation.seconds, "cached")
    stage = "validate (wait)" if background else "validate"
    with nullcontext() if validation.cached else _stage(settings, stage):
        found = _strict(validation.wait(), result.target.strict)
    if background:
        settings.progress.record("validate", validation.seconds, "in parallel, worker")
    if has_errors(found):
        result.diagnostics[:] = [*result.diagnostics[: validation.mark], *found]
        return False
    result.diagnostics[validation.mark : validation.mark] = found
    return not result.failed


def build_files(
    target: Target, result: Result, settings: RunSettings | None = None
) -> list[OutputFile] | None:
    """Run every stage up to format; None when an error stopped it (see result.diagnostics)."""
    api = build_ir(target, result, settings)
    if api is None:
        _settle(result, settings)
        return None
    try:
        if settings is None:
            return format_files(render(api, target.templates, target.template_vars))
        with settings.progress.stage("render"):
            rendered = render(api, target.templates, target.template_vars, settings.cache)
        if not _settle(result, settings):
            return None
        with settings.progress.stage("format", len(rendered)) as advance:
            return format_files(
                rendered, settings.formatter, settings.cache, settings.jobs, advance
            )
    except SpecError as error:
        result.diagnostics.extend(error.diagnostics)
        return None
    except Exception:
        if result.validation is not None and not _settle(result, settings):
            return None  # the spec is invalid: report that, not what it broke
        raise


def run(target: Target, check: bool = False, settings: RunSettings | None = None) -> Result:
    """Generate one target into its output folder (or, with check, compare without writing).

    With `settings` and a cache, a run whose inputs and output are as the last run left them
    is replayed (see runcache.py).
    """
    result = Result(target)
    key = None
    if settings is not None and settings.cache.enabled:
        key = run_key(target, settings.formatter)
        with _stage(settings, "replay check"):
            replayed = replay(settings.cache, key, Path(target.output))
        if replayed is not None:
            result.files, result.report, result.diagnostics = replayed
            return result
    files = build_files(target, result, settings)
    if files is None:
        return result
    result.files = files
    with _stage(settings, "check" if check else "write"):
        result.report = write(files, Path(target.output), check=check)
    if key is not None and settings is not None and result.inputs and result.report.clean:
        remember(settings.cache, key, result.inputs, files, to_rows(result.diagnostics))
    return result
