"""Helpers shared by the command modules: printing diagnostics and choosing the targets."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from .config import (
    CONFIG_NAME,
    GeneratorConfig,
    Target,
    default_names,
    display_path,
    distribution_name,
    read_config,
)
from .diagnostics import Diagnostic, SpecError, sort_diagnostics
from .load import load


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Every diagnostic on stderr, one line each, sorted by file and line."""
    for diagnostic in sort_diagnostics(diagnostics):
        click.echo(diagnostic.render(), err=True)


def fail(diagnostics: list[Diagnostic]) -> None:
    """Print the diagnostics and exit 1."""
    print_diagnostics(diagnostics)
    sys.exit(1)


def targets_from(
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
            return replace(read, targets=targets)
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
        distribution=distribution_name(package),
        templates=tuple(Path(t) for t in templates),
        strict=strict,
        spec_display=display_path(spec_path, Path.cwd()),
    )
    return GeneratorConfig(None, (target,))
