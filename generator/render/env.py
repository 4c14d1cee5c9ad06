"""The Jinja environment: template search path (team layers first), strict undefined."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .filters import FILTERS

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def builtin_templates() -> Path:
    """The built-in templates folder (in a checkout, or installed with the package)."""
    installed = Path(__file__).resolve().parent.parent / "templates"
    return installed if installed.is_dir() else BUILTIN_TEMPLATES


def make_environment(layers: tuple[Path, ...] = ()) -> jinja2.Environment:
    """Environment searching the team layers in order, then the built-in templates.

    Built-ins stay reachable as `builtin/<path>`, so a team template can extend the
    built-in one and override a single block.
    """
    builtin = builtin_templates()
    loader = jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin))}, delimiter="/")
    search = jinja2.FileSystemLoader([str(p) for p in layers] + [str(builtin)])
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([loader, search]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env
