"""The SDK under test: generated with the command line, imported, and its IR."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.ir.build import BuildOptions, build_api
from generator.ir.nodes import Api, Group
from generator.load import LoadedSpec
from tests.conformance.prism import ROOT

CLIENT = "Conformance"


def package_name(spec: Path) -> str:
    """A package name unique to the spec file (several SDKs share one interpreter)."""
    slug = re.sub(r"[^a-z0-9]+", "_", spec.stem.lower()).strip("_")[:40] or "spec"
    return f"conformance_{slug}"


def generate(spec: Path, out: Path, package: str) -> None:
    """Generate the SDK for `spec` into `out` with the command line (as a user would)."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--package-name",
            package,
            "--client-name",
            CLIENT,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"sdkforge generate failed for {spec}:\n{run.stdout}{run.stderr}")


def build_ir(spec: LoadedSpec, package: str, display: str) -> Api:
    """The same IR the command line built (same names), to know every method's arguments."""
    options = BuildOptions(
        package=package,
        client_class=CLIENT,
        distribution=package.replace("_", "-"),
        sdk_version="0.1.0",
        spec_display=display,
    )
    api, _ = build_api(spec, options)
    return api


def import_sdk(out: Path, package: str) -> Any:
    """Import the generated package from `out/src` (fresh, even if imported before)."""
    source = str(out / "src")
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    if source not in sys.path:
        sys.path.insert(0, source)
    importlib.invalidate_caches()
    return importlib.import_module(package)


def group_paths(api: Api) -> dict[int, tuple[str, ...]]:
    """id(operation) -> attribute chain from the client to its group."""
    out: dict[int, tuple[str, ...]] = {}

    def walk(group: Group, chain: tuple[str, ...]) -> None:
        for op in group.operations:
            out[id(op)] = chain
        for child in group.children:
            walk(child, (*chain, child.attribute))

    walk(api.root, ())
    return out
