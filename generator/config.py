"""`sdkforge.yaml`: the targets to generate, validated into frozen values."""

from __future__ import annotations

import keyword
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config_values import Checker
from .diagnostics import SpecError, SpecLocation
from .format import FORMATTERS
from .ir import names
from .ir.build import OperationOverride
from .load import join_pointer, load

CONFIG_NAME = "sdkforge.yaml"
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]*")
_CLIENT = re.compile(r"[A-Z][A-Za-z0-9_]*")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*([.-]?(a|b|rc|dev|post)[0-9]*)*")

# Default package names avoid these: the standard library, what the SDK imports (a package
# of that name would shadow it), and names Windows cannot use for a folder.
_TAKEN_MODULES = frozenset(sys.stdlib_module_names) | {
    "httpx", "httpcore", "h11", "anyio", "sniffio", "certifi", "idna", "pydantic",
    "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection",
    "con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10)),
}  # fmt: skip
NAME_LIMIT = 48  # characters of a default package or client name (titles run to 300+)

REQUIRED_KEYS = ("name", "spec", "output", "package", "client")
RUN_KEYS = {
    "formatter": "formatter of the generated code: " + ", ".join(FORMATTERS),
    "cache_dir": "cache folder for incremental runs, relative to sdkforge.yaml",
    "no_cache": "true: neither read nor write the cache",
    "jobs": "worker processes for formatting and validation",
    "timings": "print the time each stage took",
    "quiet": "no progress display or summary",
}
TARGET_KEYS = {
    "name": "target name (a folder-safe word)",
    "spec": "path of the OpenAPI document, relative to sdkforge.yaml",
    "output": "output folder, relative to sdkforge.yaml",
    "package": "Python package name of the SDK",
    "client": "class name of the client",
    "distribution": "name of the distribution on PyPI (default: package with dashes)",
    "version": "version of the generated SDK",
    "description": "one-line summary of the package on PyPI",
    "author": "`Name <email>` or a list of them",
    "license": "SPDX license expression of the generated SDK, e.g. MIT",
    "templates": "list of template folders searched before the built-in ones",
    "template_vars": "mapping of extra values, reachable in templates as `vars`",
    "strict": "treat spec warnings as errors",
    "retries": "default retry policy of every operation (x-speakeasy-retries shape)",
    "operations": "per-operationId overrides: name, group, ignore, retries",
}
TOP_KEYS = {
    "targets": "the SDKs to generate",
    "defaults": "target keys applied to every target that does not set them",
    "run": "how generate and check run: " + ", ".join(RUN_KEYS),
}
# Command-line option of `generate`/`check` -> the config key that sets it.
FLAG_KEYS = {
    "spec": "spec",
    "out": "output",
    "package_name": "package",
    "client_name": "client",
    "templates": "templates",
    "strict": "strict",
    **{key: f"run.{key}" for key in RUN_KEYS},
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
    description: str = ""
    authors: tuple[tuple[str, str], ...] = ()
    license: str = ""
    template_vars: dict[str, Any] = field(default_factory=dict)
    retries: dict[str, Any] | None = None
    overrides: tuple[OperationOverride, ...] = ()
    override_locations: dict[str, SpecLocation] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GeneratorConfig:
    """Every target of a config file, in the file's order."""

    path: Path | None
    targets: tuple[Target, ...] = field(default_factory=tuple)
    run: dict[str, Any] = field(default_factory=dict)  # RUN_KEYS given in the file


def default_names(title: str, stem: str) -> tuple[str, str, str]:
    """(package, client class, distribution) derived from a spec title or file stem."""
    base = title if names.snake(title) not in ("empty", "") else stem
    package = _default_package(names.snake(base, prefix="sdk"))
    client = _cut(names.pascal(base, prefix="Api"), "", NAME_LIMIT)
    return package, client, distribution_name(package)


def distribution_name(package: str) -> str:
    """`my_api_` -> `my-api`: a PEP 508 name (no leading, trailing or doubled separators)."""
    return "-".join(part for part in package.split("_") if part) or "sdk"


def _default_package(snake: str) -> str:
    """A default package name that imports: short, and shadowing no module it or Python needs."""
    package = _cut(snake.rstrip("_"), "_", NAME_LIMIT) or "sdk"
    if keyword.iskeyword(package) or package.lower() in _TAKEN_MODULES:
        package += "_sdk"
    return package


def _cut(name: str, separator: str, limit: int) -> str:
    """`name` cut to `limit` characters, at a word boundary when there is one."""
    if len(name) <= limit:
        return name
    head = name[:limit]
    if separator and separator in head[1:]:
        head = head[: head.rindex(separator)]
    return head.rstrip("_")


def display_path(path: Path, base: Path) -> str:
    """How a spec path is shown in headers: relative to `base`, never absolute."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


def read_config(path: Path) -> GeneratorConfig:
    """Parse and validate sdkforge.yaml (raises SpecError with every located problem)."""
    check = Checker(load(path))
    data = check.loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        check.problem("#", "sdkforge.yaml needs a `targets:` list", "run `sdkforge init`")
        raise SpecError(check.problems)
    check.keys(data, "#", TOP_KEYS)
    defaults = _defaults(check, data.get("defaults", {}))
    run = _run(check, path.parent, data.get("run", {}))
    targets = []
    seen: set[str] = set()
    for index, entry in enumerate(data["targets"]):
        pointer = join_pointer("#/targets", index)
        if not isinstance(entry, dict):
            check.problem(pointer, "a target must be a mapping", "write `- name: ...` and so on")
            continue
        target = _target(check, path.parent, entry, defaults, pointer)
        if target is not None:
            if target.name in seen:
                where = join_pointer(pointer, "name")
                check.problem(where, f"duplicate target name {target.name!r}", "rename one")
            seen.add(target.name)
            targets.append(target)
    if check.problems:
        raise SpecError(check.problems)
    return GeneratorConfig(path, tuple(targets), run)


def _defaults(check: Checker, value: Any) -> dict[str, Any]:
    data = check.mapping(value, "#/defaults", TOP_KEYS["defaults"]) or {}
    allowed = {k for k in TARGET_KEYS if k not in ("name", "spec", "output")}
    return data if check.keys(data, "#/defaults", allowed) else {}


def _run(check: Checker, base: Path, value: Any) -> dict[str, Any]:
    data = check.mapping(value, "#/run", TOP_KEYS["run"]) or {}
    if not check.keys(data, "#/run", RUN_KEYS):
        return {}
    clean: dict[str, Any] = {}
    for key, item in data.items():
        where = join_pointer("#/run", key)
        if key == "formatter":
            choices = re.compile("|".join(FORMATTERS))
            clean[key] = check.text(item, where, RUN_KEYS[key], choices)
        elif key == "cache_dir":
            folder = check.text(item, where, RUN_KEYS[key])
            clean[key] = folder and str(base / folder)
        elif key == "jobs":
            if isinstance(item, bool) or not isinstance(item, int) or item < 1:
                check.problem(where, f"invalid value {item!r}", "a whole number, 1 or more")
            clean[key] = item
        else:
            clean[key] = check.flag(item, where)
    return clean


def _target(
    check: Checker, base: Path, entry: dict[str, Any], defaults: dict[str, Any], pointer: str
) -> Target | None:
    before = len(check.problems)
    check.keys(entry, pointer, TARGET_KEYS)
    for key in REQUIRED_KEYS:
        if key not in entry:
            check.problem(pointer, f"`{key}` is required", TARGET_KEYS[key])
    merged = {**defaults, **entry}
    values = {
        k: _value(check, base, k, v, join_pointer(pointer if k in entry else "#/defaults", k))
        for k, v in merged.items()
    }
    if len(check.problems) > before:
        return None
    spec = _normal(base / values["spec"])
    overrides = values.get("operations", [])
    return Target(
        name=values["name"],
        spec=spec,
        output=_normal(base / values["output"]),
        package=values["package"],
        client_class=values["client"],
        distribution=values.get("distribution") or distribution_name(values["package"]),
        version=values.get("version", "0.1.0"),
        templates=tuple(base / t for t in values.get("templates", [])),
        strict=values.get("strict", False),
        spec_display=display_path(spec, base),
        description=values.get("description", ""),
        authors=values.get("author", ()),
        license=values.get("license", ""),
        template_vars=values.get("template_vars", {}),
        retries=values.get("retries"),
        overrides=tuple(
            OperationOverride(
                op_id, s.get("name"), s.get("group"), s.get("ignore", False), s.get("retries")
            )
            for op_id, s, _ in overrides
        ),
        override_locations={
            op_id: check.loaded.locate(check.loaded.root_key, where)
            for op_id, _, where in overrides
        },
    )


def _normal(path: Path) -> Path:
    """`a/../b` -> `b`, keeping a relative path relative."""
    return Path(os.path.normpath(path))


def _value(check: Checker, base: Path, key: str, value: Any, pointer: str) -> Any:
    """The checked value of one target key (None after recording a problem)."""
    hint = TARGET_KEYS.get(key, "")
    patterns = {
        "name": (_NAME, "a folder-safe word, e.g. orq"),
        "package": (_PACKAGE, "a lowercase Python identifier, e.g. orq_sdk"),
        "client": (_CLIENT, "a class name, e.g. Orq"),
        "distribution": (_DISTRIBUTION, "a PyPI name, e.g. orq-sdk"),
        "version": (_VERSION, "a PEP 440 version, e.g. 1.2.0"),
    }
    if key in patterns:
        pattern, example = patterns[key]
        return check.text(value, pointer, f"use {example}", pattern)
    if key in ("spec", "output", "description"):
        return check.text(value, pointer, hint)
    if key == "strict":
        return check.flag(value, pointer)
    if key == "templates":
        folders = check.texts(value, pointer, hint)
        for index, folder in enumerate(folders or []):
            if not (base / folder).is_dir():
                where = join_pointer(pointer, index)
                check.problem(where, f"template folder {folder!r} does not exist", hint)
        return folders
    if key == "template_vars":
        return check.mapping(value, pointer, hint)
    if key == "author":
        return check.authors(value, pointer)
    if key == "license":
        return check.license(value, pointer)
    if key == "retries":
        return check.retries(value, pointer)
    if key == "operations":
        return check.overrides(value, pointer)
    return None  # an unknown key, already reported
