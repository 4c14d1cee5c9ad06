"""`sdkforge.yaml`: the targets to generate, validated into frozen values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Severity, SpecError
from .ir import names
from .load import join_pointer, load

CONFIG_NAME = "sdkforge.yaml"
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]*")
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*([.-]?(a|b|rc|dev|post)[0-9]*)*")

TARGET_KEYS = {
    "name": "target name (a folder-safe word)",
    "spec": "path of the OpenAPI document, relative to sdkforge.yaml",
    "output": "output folder, relative to sdkforge.yaml",
    "package": "Python package name of the SDK",
    "client": "class name of the client",
    "distribution": "name of the distribution on PyPI",
    "version": "version of the generated SDK",
    "templates": "list of template folders searched before the built-in ones",
    "strict": "treat spec warnings as errors",
}


@dataclass(frozen=True, slots=True)
class Target:
    """One SDK to generate: input spec, output folder and the names it uses."""

    name: str
    spec: Path
    output: Path
    package: str
    client_class: str
    distribution: str
    version: str = "0.1.0"
    templates: tuple[Path, ...] = ()
    strict: bool = False
    spec_display: str = ""


@dataclass(frozen=True, slots=True)
class GeneratorConfig:
    """Every target of a config file, in the file's order."""

    path: Path | None
    targets: tuple[Target, ...] = field(default_factory=tuple)


def default_names(title: str, stem: str) -> tuple[str, str, str]:
    """(package, client class, distribution) derived from a spec title or file stem."""
    base = title if names.snake(title) not in ("empty", "") else stem
    package = names.snake(base, prefix="sdk")
    client = names.pascal(base, prefix="Api")
    return package, client, package.replace("_", "-")


def display_path(path: Path, base: Path) -> str:
    """How a spec path is shown in headers: relative to `base`, never absolute."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


def _problem(config: Any, pointer: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR, "config-invalid", config.locate(config.root_key, pointer), message, hint
    )


def read_config(path: Path) -> GeneratorConfig:
    """Parse and validate sdkforge.yaml (raises SpecError with located problems)."""
    loaded = load(path)
    data = loaded.data
    problems: list[Diagnostic] = []
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise SpecError(
            [
                _problem(
                    loaded,
                    "#",
                    "sdkforge.yaml needs a `targets:` list",
                    "see README.md for an example",
                )
            ]
        )
    for key in data:
        if key != "targets":
            problems.append(
                _problem(
                    loaded,
                    join_pointer("#", key),
                    f"unknown key {key!r}",
                    "allowed top-level keys: targets",
                )
            )
    targets = []
    seen: set[str] = set()
    for index, entry in enumerate(data["targets"]):
        pointer = join_pointer("#/targets", index)
        target = _target(loaded, path.parent, entry, pointer, problems)
        if target is not None:
            if target.name in seen:
                problems.append(
                    _problem(
                        loaded,
                        join_pointer(pointer, "name"),
                        f"duplicate target name {target.name!r}",
                        "give every target its own name",
                    )
                )
            seen.add(target.name)
            targets.append(target)
    if problems:
        raise SpecError(problems)
    return GeneratorConfig(path, tuple(targets))


def _target(
    loaded: Any, base: Path, entry: Any, pointer: str, problems: list[Diagnostic]
) -> Target | None:
    if not isinstance(entry, dict):
        problems.append(
            _problem(
                loaded,
                pointer,
                "a target must be a mapping",
                "write `- name: ...` with spec, output and package",
            )
        )
        return None
    for key in entry:
        if key not in TARGET_KEYS:
            problems.append(
                _problem(
                    loaded,
                    join_pointer(pointer, key),
                    f"unknown key {key!r}",
                    "allowed: " + ", ".join(sorted(TARGET_KEYS)),
                )
            )
    missing = [
        key
        for key in ("name", "spec", "output", "package", "client")
        if not isinstance(entry.get(key), str) or not entry[key].strip()
    ]
    for key in missing:
        where = join_pointer(pointer, key) if key in entry else pointer
        problems.append(
            _problem(loaded, where, f"`{key}` is required and must be text", TARGET_KEYS[key])
        )
    if missing:
        return None
    before = len(problems)
    checks = (
        ("package", _PACKAGE, "a lowercase Python identifier, e.g. orq_sdk"),
        ("client", re.compile(r"[A-Z][A-Za-z0-9_]*"), "a class name, e.g. Orq"),
        ("distribution", _DISTRIBUTION, "a PyPI name, e.g. orq-sdk"),
        ("version", _VERSION, "a PEP 440 version, e.g. 1.2.0"),
    )
    for key, pattern, hint in checks:
        value = entry.get(key)
        if value is not None and (not isinstance(value, str) or not pattern.fullmatch(value)):
            problems.append(
                _problem(
                    loaded, join_pointer(pointer, key), f"invalid {key} {value!r}", f"use {hint}"
                )
            )
    templates = entry.get("templates", [])
    if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        problems.append(
            _problem(
                loaded,
                join_pointer(pointer, "templates"),
                "`templates` must be a list of folders",
                TARGET_KEYS["templates"],
            )
        )
        templates = []
    if len(problems) > before:
        return None
    spec = base / entry["spec"]
    return Target(
        name=entry["name"],
        spec=spec,
        output=base / entry["output"],
        package=entry["package"],
        client_class=entry["client"],
        distribution=entry.get("distribution") or entry["package"].replace("_", "-"),
        version=str(entry.get("version", "0.1.0")),
        templates=tuple(base / t for t in templates),
        strict=entry.get("strict") is True,
        spec_display=display_path(spec, base),
    )
