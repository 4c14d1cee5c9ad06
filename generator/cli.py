"""The `sdkforge` command line: the only place that prints or exits."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from .config import (
    CONFIG_NAME,
    RUN_KEYS,
    GeneratorConfig,
    Target,
    default_names,
    display_path,
    read_config,
)
from .diagnostics import Diagnostic, Severity, SpecError, has_errors, sort_diagnostics
from .diff import Surface, compare, surface_of
from .diff.report import FORMATS, render_changelog
from .diff.report import render as render_report
from .load import load
from .pipeline import Result, RunSettings, build_ir, run
from .render.env import eject as eject_templates
from .render.env import resolve_templates, select_builtins
from .run_options import make_settings, speed_options, timings_text
from .run_options import reset as reset_run_options
from .scaffold import init_text
from .validate import validate as validate_spec
from .write import WriteReport


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
        _print_diagnostics(result.diagnostics)
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
        targets = _targets(spec, out, package_name, client_name, templates, strict, config)
    except SpecError as error:
        _fail(error.diagnostics)
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
        targets = _targets(spec, out, package_name, client_name, templates, strict, config)
    except SpecError as error:
        _fail(error.diagnostics)
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
    for diff in diffs[:_SHOWN_DIFFS]:
        click.echo(diff, err=True)
    if len(diffs) > _SHOWN_DIFFS:
        click.echo(f"... and {len(diffs) - _SHOWN_DIFFS} more differing file(s)", err=True)
    click.echo(
        f"the spec ({target.spec_display or target.spec}), sdkforge.yaml, a template or sdkforge "
        "changed since the output was generated: run `make generate` (or `sdkforge generate`), "
        "review the diff and commit it",
        err=True,
    )


def _layers(templates: tuple[str, ...], config: str | None, target: str | None) -> tuple[Path, ...]:
    """Template layers: --templates, else those of a target of sdkforge.yaml (when there is one)."""
    if templates:
        return tuple(Path(t) for t in templates)
    path = Path(config or CONFIG_NAME)
    if not path.is_file():
        if config or target:
            raise click.UsageError(f"{path} does not exist")
        return ()
    targets = read_config(path).targets
    chosen = [t for t in targets if target in (None, t.name)]
    if not chosen:
        raise click.UsageError(f"no target named {target!r} in {path}")
    return chosen[0].templates


@main.group(invoke_without_command=True)
@click.option(
    "--templates",
    "layers",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="Template folder searched before the built-ins (repeatable; default: the config's).",
)
@click.option("--config", type=click.Path(dir_okay=False), help=f"Config file ({CONFIG_NAME}).")
@click.option("--target", help="Use the template folders of this target of the config.")
@click.pass_context
def templates(
    context: click.Context, layers: tuple[str, ...], config: str | None, target: str | None
) -> None:
    """List every template name and the file it resolves to (team layers first)."""
    if context.invoked_subcommand is not None:
        return
    try:
        chosen = _layers(layers, config, target)
    except SpecError as error:
        _fail(error.diagnostics)
    click.echo("search order: " + ", ".join([*(str(p) for p in chosen), "built-in"]))
    for item in resolve_templates(chosen):
        origin = (
            "built-in"
            if item.layer is None
            else ("overrides built-in" if item.overrides_builtin else "team only")
        )
        click.echo(f"{item.name}  ->  {item.path}  [{origin}]")


@templates.command()
@click.argument("names", nargs=-1)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help="Folder.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def eject(names: tuple[str, ...], out: str, force: bool) -> None:
    """Copy built-in templates (NAMES: files or folders; none: all) into OUT to edit them."""
    chosen, unknown = select_builtins(names)
    if unknown:
        raise click.UsageError(
            f"no built-in template matches {', '.join(unknown)}; see `sdkforge templates`"
        )
    copied, skipped = eject_templates(chosen, Path(out), force)
    for name in copied:
        click.echo(f"ejected {name}", err=True)
    for name in skipped:
        click.echo(f"kept {name}: it exists in {out} (use --force to overwrite)", err=True)
    click.echo(f"{len(copied)} template(s) copied to {out}; pass --templates {out}", err=True)


@main.command()
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--out", default=CONFIG_NAME, type=click.Path(dir_okay=False), help="File.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(spec: str | None, out: str, force: bool) -> None:
    """Write a commented sdkforge.yaml (names derived from SPEC when given)."""
    target = Path(out)
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; use --force to overwrite it")
    spec_text = spec or "openapi.yaml"
    config = _targets(spec_text, None, None, None, (), False, None) if spec else None
    names = config.targets[0] if config else None
    stem = Path(spec_text).stem
    base = target.resolve().parent
    text = init_text(
        spec=display_path(Path(spec_text), base) if spec else spec_text,
        output=f"generated/{names.name if names else stem}",
        package=names.package if names else "example_sdk",
        client=names.client_class if names else "Example",
        name=names.name if names else stem,
    )
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}; edit it, then run `sdkforge generate`", err=True)


def _surface(spec: str, package: str, client: str) -> Surface:
    """The SDK surface generated from one spec (exits 1 with the spec's problems)."""
    target = Target(
        name=Path(spec).stem,
        spec=Path(spec),
        output=Path("."),
        package=package,
        client_class=client,
        distribution=package.replace("_", "-"),
        spec_display=display_path(Path(spec), Path.cwd()),
    )
    result = Result(target)
    api = build_ir(target, result)
    _print_diagnostics(
        [d for d in result.diagnostics if api is None or d.severity is Severity.ERROR]
    )
    if api is None:
        click.echo(f"{spec}: cannot build the SDK, so it cannot be compared", err=True)
        sys.exit(1)
    return surface_of(api)


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=str))
@click.argument("new", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "form", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when a change is breaking.")
@click.option("--changelog", type=click.Path(dir_okay=False), help="Write a CHANGELOG entry here.")
@click.option("--package-name", help="Python package name (default: from NEW's title).")
@click.option("--client-name", help="Client class name (default: from NEW's title).")
def diff(
    old: str,
    new: str,
    form: str,
    fail_on_breaking: bool,
    changelog: str | None,
    package_name: str | None,
    client_name: str | None,
) -> None:
    """Compare the SDKs generated from OLD and NEW: each change, breaking or not, and the bump."""
    names = _targets(new, None, package_name, client_name, (), False, None).targets[0]
    before = _surface(old, names.package, names.client_class)
    after = _surface(new, names.package, names.client_class)
    report = compare(before, after)
    click.echo(render_report(report, form), nl=False)
    if changelog:
        Path(changelog).write_text(render_changelog(report), encoding="utf-8")
        click.echo(f"wrote the changelog entry to {changelog}", err=True)
    sys.exit(1 if fail_on_breaking and report.breaking else 0)
