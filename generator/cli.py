"""The `sdkforge` command line: the only place that prints or exits.

generate, check and validate live here; the release-workflow commands (templates, init,
diff) in cli_workflow.py, helpers shared by both in cli_common.py.
"""

from __future__ import annotations

import sys

import click

from .cli_common import fail, print_diagnostics, targets_from
from .cli_workflow import diff, init, templates
from .config import (
    CONFIG_NAME,
    RUN_KEYS,
    GeneratorConfig,
    Target,
)
from .diagnostics import Severity, SpecError, has_errors
from .load import load
from .pipeline import Result, RunSettings, run
from .run_options import make_settings, speed_options, timings_text
from .run_options import reset as reset_run_options
from .validate import validate as validate_spec
from .write import WriteReport


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sdkforge")
def main() -> None:
    """sdkforge: generate a typed Python SDK from an OpenAPI 3.0/3.1 document."""


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False, path_type=str))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(spec: str, strict: bool) -> None:
    """Check SPEC; print every problem as FILE:LINE:COL: severity[rule] POINTER: message."""
    try:
        diagnostics = validate_spec(load(spec))
    except SpecError as error:
        diagnostics = error.diagnostics
    if strict:
        diagnostics = [d.as_error() for d in diagnostics]
    print_diagnostics(diagnostics)
    if has_errors(diagnostics):
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        click.echo(f"{spec}: {errors} error(s); the spec is not valid", err=True)
        sys.exit(1)
    click.echo(f"{spec}: valid ({len(diagnostics)} warning(s))", err=True)


def _common(function: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=str)),
        click.option(
            "-o",
            "--out",
            type=click.Path(file_okay=False, path_type=str),
            help="Output folder (default: generated/<spec name>).",
        ),
        click.option("--package-name", help="Python package name of the SDK."),
        click.option("--client-name", help="Class name of the client."),
        click.option(
            "--templates",
            multiple=True,
            type=click.Path(file_okay=False, exists=True),
            help="Template folder searched before the built-in templates (repeatable).",
        ),
        click.option("--strict", is_flag=True, help="Treat spec warnings as errors."),
        click.option(
            "--config",
            type=click.Path(dir_okay=False),
            help="Config file " f"(default: {CONFIG_NAME}).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _with_run_config(
    config: GeneratorConfig, settings: RunSettings, timings: bool, quiet: bool
) -> tuple[RunSettings, bool, bool]:
    """Run options from the config's `run:` where the command line left them at their default."""
    context = click.get_current_context()
    chosen = {
        flag: config.run[flag]
        for flag in RUN_KEYS
        if flag in config.run
        and context.get_parameter_source(flag) is click.core.ParameterSource.DEFAULT
    }
    if not chosen:
        return settings, timings, quiet
    values = {**context.params, **chosen}
    settings = make_settings(
        values["formatter"],
        values["cache_dir"],
        values["no_cache"],
        values["jobs"],
        values["quiet"],
    )
    return settings, bool(values["timings"]), bool(values["quiet"])


def _run_all(
    config: GeneratorConfig, check: bool, settings: RunSettings | None = None, timings: bool = False
) -> list[Result]:
    results = []
    for target in config.targets:
        result = run(target, check=check, settings=settings)
        print_diagnostics(result.diagnostics)
        if settings is not None and timings:
            click.echo(timings_text(settings, target.name), err=True)
        if settings is not None:
            reset_run_options(settings)
        results.append(result)
    return results


@main.command()
@_common
@speed_options
def generate(
    spec: str | None,
    out: str | None,
    package_name: str | None,
    client_name: str | None,
    templates: tuple[str, ...],
    strict: bool,
    config: str | None,
    settings: RunSettings,
    timings: bool,
    quiet: bool,
) -> None:
    """Generate the SDK for SPEC (or for every target of sdkforge.yaml)."""
    try:
        targets = targets_from(spec, out, package_name, client_name, templates, strict, config)
    except SpecError as error:
        fail(error.diagnostics)
    settings, timings, quiet = _with_run_config(targets, settings, timings, quiet)
    failed = False
    for result in _run_all(targets, False, settings, timings):
        if result.failed or result.report is None:
            click.echo(f"{result.target.name}: generation failed", err=True)
            failed = True
            continue
        report = result.report
        if quiet:
            continue
        click.echo(
            f"{result.target.name}: {len(result.files)} files in {result.target.output} "
            f"({len(report.written)} written, {len(report.unchanged)} unchanged, "
            f"{len(report.removed)} removed)",
            err=True,
        )
    sys.exit(1 if failed else 0)


@main.command()
@_common
@speed_options
def check(
    spec: str | None,
    out: str | None,
    package_name: str | None,
    client_name: str | None,
    templates: tuple[str, ...],
    strict: bool,
    config: str | None,
    settings: RunSettings,
    timings: bool,
    quiet: bool,
) -> None:
    """Exit 0 when the output is exactly what generate would write; else list what differs."""
    try:
        targets = targets_from(spec, out, package_name, client_name, templates, strict, config)
    except SpecError as error:
        fail(error.diagnostics)
    settings, timings, quiet = _with_run_config(targets, settings, timings, quiet)
    failed = False
    for result in _run_all(targets, True, settings, timings):
        report = result.report
        if result.failed or report is None:
            click.echo(f"{result.target.name}: generation failed", err=True)
            failed = True
            continue
        if report.clean:
            click.echo(
                f"{result.target.name}: {result.target.output} is up to date "
                f"({len(report.unchanged)} files)",
                err=True,
            )
            continue
        failed = True
        _explain_stale(result.target, report)
    sys.exit(1 if failed else 0)


_SHOWN_DIFFS = 5


def _explain_stale(target: Target, report: WriteReport) -> None:
    """What differs, file by file, with the first diffs: enough to act on from a CI log."""
    click.echo(
        f"{target.name}: {target.output} is stale: {len(report.differing)} file(s) differ, "
        f"{len(report.missing)} missing, {len(report.stale)} no longer generated "
        f"({len(report.unchanged)} up to date)",
        err=True,
    )
    for label, paths in (
        ("differs", report.differing),
        ("missing", report.missing),
        ("stale (would be removed)", report.stale),
    ):
        for path in paths:
            click.echo(f"  {label}: {path}", err=True)
    diffs = list(report.diffs.values())
    for text in diffs[:_SHOWN_DIFFS]:
        click.echo(text, err=True)
    if len(diffs) > _SHOWN_DIFFS:
        click.echo(f"... and {len(diffs) - _SHOWN_DIFFS} more differing file(s)", err=True)
    click.echo(
        f"the spec ({target.spec_display or target.spec}), sdkforge.yaml, a template or sdkforge "
        "changed since the output was generated: run `make generate` (or `sdkforge generate`), "
        "review the diff and commit it",
        err=True,
    )


main.add_command(templates)
main.add_command(init)
main.add_command(diff)
