"""Commands for the release workflow: `templates` (list, eject), `init` and `diff`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_common import fail, print_diagnostics, targets_from
from .config import CONFIG_NAME, Target, display_path, distribution_name, read_config
from .diagnostics import Severity, SpecError
from .diff import Surface, compare, surface_of
from .diff.report import FORMATS, render_changelog
from .diff.report import render as render_report
from .pipeline import Result, build_ir
from .render.env import eject as eject_templates
from .render.env import resolve_templates, select_builtins
from .scaffold import init_text


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


@click.group(invoke_without_command=True)
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
        fail(error.diagnostics)
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


@click.command()
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--out", default=CONFIG_NAME, type=click.Path(dir_okay=False), help="File.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(spec: str | None, out: str, force: bool) -> None:
    """Write a commented sdkforge.yaml (names derived from SPEC when given)."""
    target = Path(out)
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; use --force to overwrite it")
    spec_text = spec or "openapi.yaml"
    config = targets_from(spec_text, None, None, None, (), False, None) if spec else None
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
        distribution=distribution_name(package),
        spec_display=display_path(Path(spec), Path.cwd()),
    )
    result = Result(target)
    api = build_ir(target, result)
    print_diagnostics(
        [d for d in result.diagnostics if api is None or d.severity is Severity.ERROR]
    )
    if api is None:
        click.echo(f"{spec}: cannot build the SDK, so it cannot be compared", err=True)
        sys.exit(1)
    return surface_of(api)


@click.command()
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
    names = targets_from(new, None, package_name, client_name, (), False, None).targets[0]
    before = _surface(old, names.package, names.client_class)
    after = _surface(new, names.package, names.client_class)
    report = compare(before, after)
    click.echo(render_report(report, form), nl=False)
    if changelog:
        Path(changelog).write_text(render_changelog(report), encoding="utf-8")
        click.echo(f"wrote the changelog entry to {changelog}", err=True)
    sys.exit(1 if fail_on_breaking and report.breaking else 0)
