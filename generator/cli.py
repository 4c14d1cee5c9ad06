"""The `sdkforge` command line: the only place that prints or exits."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from .config import CONFIG_NAME, GeneratorConfig, Target, default_names, display_path, read_config
from .diagnostics import Diagnostic, Severity, SpecError, has_errors, sort_diagnostics
from .load import load
from .pipeline import Result, run
from .validate import validate as validate_spec


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in sort_diagnostics(diagnostics):
        click.echo(diagnostic.render(), err=True)


def _fail(diagnostics: list[Diagnostic]) -> None:
    _print_diagnostics(diagnostics)
    sys.exit(1)


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
    _print_diagnostics(diagnostics)
    if has_errors(diagnostics):
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        click.echo(f"{spec}: {errors} error(s); the spec is not valid", err=True)
        sys.exit(1)
    click.echo(f"{spec}: valid ({len(diagnostics)} warning(s))", err=True)


def _targets(
    spec: str | None,
    out: str | None,
    package: str | None,
    client: str | None,
    templates: tuple[str, ...],
    strict: bool,
    config: str | None,
) -> GeneratorConfig:
    """Targets from the command line (SPEC given) or from sdkforge.yaml."""
    if spec is None:
        if out or package or client:
            raise click.UsageError("-o/--package-name/--client-name need a SPEC argument")
        path = Path(config or CONFIG_NAME)
        if not path.is_file():
            raise click.UsageError(f"no SPEC given and no {path} here; pass a SPEC or a --config")
        read = read_config(path)
        if templates or strict:
            extra = tuple(Path(t) for t in templates)
            targets = tuple(
                replace(t, templates=extra + t.templates, strict=strict or t.strict)
                for t in read.targets
            )
            return GeneratorConfig(read.path, targets)
        return read
    spec_path = Path(spec)
    title = ""
    try:
        info = load(spec_path).data.get("info", {})
        title = str(info.get("title", "")) if isinstance(info, dict) else ""
    except (SpecError, AttributeError):
        title = ""
    default_package, default_client, _ = default_names(title, spec_path.stem)
    package = package or default_package
    target = Target(
        name=spec_path.stem,
        spec=spec_path,
        output=Path(out) if out else Path("generated") / spec_path.stem,
        package=package,
        client_class=client or default_client,
        distribution=package.replace("_", "-"),
        templates=tuple(Path(t) for t in templates),
        strict=strict,
        spec_display=display_path(spec_path, Path.cwd()),
    )
    return GeneratorConfig(None, (target,))


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


def _run_all(config: GeneratorConfig, check: bool) -> list[Result]:
    results = []
    for target in config.targets:
        result = run(target, check=check)
        _print_diagnostics(result.diagnostics)
        results.append(result)
    return results


@main.command()
@_common
def generate(
    spec: str | None,
    out: str | None,
    package_name: str | None,
    client_name: str | None,
    templates: tuple[str, ...],
    strict: bool,
    config: str | None,
) -> None:
    """Generate the SDK for SPEC (or for every target of sdkforge.yaml)."""
    try:
        targets = _targets(spec, out, package_name, client_name, templates, strict, config)
    except SpecError as error:
        _fail(error.diagnostics)
    failed = False
    for result in _run_all(targets, check=False):
        if result.failed or result.report is None:
            click.echo(f"{result.target.name}: generation failed", err=True)
            failed = True
            continue
        report = result.report
        click.echo(
            f"{result.target.name}: {len(result.files)} files in {result.target.output} "
            f"({len(report.written)} written, {len(report.unchanged)} unchanged, "
            f"{len(report.removed)} removed)",
            err=True,
        )
    sys.exit(1 if failed else 0)


@main.command()
@_common
def check(
    spec: str | None,
    out: str | None,
    package_name: str | None,
    client_name: str | None,
    templates: tuple[str, ...],
    strict: bool,
    config: str | None,
) -> None:
    """Exit 0 when the output is exactly what generate would write; else list what differs."""
    try:
        targets = _targets(spec, out, package_name, client_name, templates, strict, config)
    except SpecError as error:
        _fail(error.diagnostics)
    failed = False
    for result in _run_all(targets, check=True):
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
        click.echo(f"{result.target.name}: {result.target.output} is stale", err=True)
        for label, paths in (
            ("differs", report.differing),
            ("missing", report.missing),
            ("stale (would be removed)", report.stale),
        ):
            for path in paths:
                click.echo(f"  {label}: {path}", err=True)
        for diff in list(report.diffs.values())[:5]:
            click.echo(diff, err=True)
        click.echo("run `make generate` (or `sdkforge generate`) and commit the result", err=True)
    sys.exit(1 if failed else 0)
