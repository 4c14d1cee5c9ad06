"""Import a generated SDK and report what it really offers (run in a fresh interpreter).

`python -m tests.sweep.probe SRC PACKAGE CLIENT` imports every module of the package,
builds every pydantic model and every operation's validator (models are built lazily,
so a broken annotation only shows here), walks the client's resource tree and prints
JSON: the (METHOD, path) of every sync and async method, and the model count.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
import traceback
from functools import cached_property
from typing import Any

import pydantic


def import_all(package: str) -> list[Any]:
    """Every module of `package`, imported."""
    root = importlib.import_module(package)
    modules = [root]
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        modules.append(importlib.import_module(info.name))
    return modules


def build_models(package: str) -> tuple[int, int]:
    """Build every exported model and alias with pydantic; (models, aliases) counted."""
    models_package = importlib.import_module(package + ".models")
    models = aliases = 0
    for name in sorted(getattr(models_package, "_EXPORTS", {})):
        value = getattr(models_package, name)
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
            value.model_rebuild(force=True)  # builds validator and serializer: every name resolves
            models += 1
        elif not name.endswith("TypedDict") and not (
            isinstance(value, type) and value.__module__ == models_package.__name__
        ):
            pydantic.TypeAdapter(value)
            aliases += 1
    return models, aliases


def _operations_of(function: Any) -> list[Any]:
    """The module-level Operation objects a method uses (a dict maps media types to them)."""
    names = function.__code__.co_names
    scope = function.__globals__
    found: list[Any] = []
    for value in (scope[n] for n in names if n.startswith("_OP") and n in scope):
        found.extend(value.values() if isinstance(value, dict) else [value])
    return found


def walk(
    obj: Any,
    seen: set[int],
    out: dict[str, dict[int, tuple[str, str]]],
    objects: dict[tuple[str, str], list[Any]] | None = None,
) -> None:
    """Collect the operations of `obj`'s methods, then of its child groups."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    cls = type(obj)
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        if isinstance(member, cached_property):
            walk(getattr(obj, name), seen, out, objects)
            continue
        if not inspect.isfunction(member):
            continue
        kind = "async" if inspect.iscoroutinefunction(member) else "sync"
        for op in _operations_of(member):
            for result in op.results:
                if result.schema is not None:
                    _ = result.schema.adapter
            if op.body is not None and op.body.schema is not None:
                _ = op.body.schema.adapter
            if objects is not None and id(op) not in out["sync"] and id(op) not in out["async"]:
                objects.setdefault((op.method, op.path), []).append(op)
            out[kind][id(op)] = (op.method, op.path)


def main(src: str, package: str, client: str) -> int:
    """Print the probe report as JSON; exit 1 when something failed to import or build."""
    sys.path.insert(0, src)
    report: dict[str, Any] = {"ok": False}
    try:
        import_all(package)
        report["models"], report["aliases"] = build_models(package)
        found: dict[str, dict[int, tuple[str, str]]] = {"sync": {}, "async": {}}
        client_class = getattr(importlib.import_module(package), client)
        walk(client_class(), set(), found)
        report["sync"] = sorted(found["sync"].values())  # one entry per distinct operation
        report["async"] = sorted(found["async"].values())
        report["ok"] = True
    except Exception:  # report any failure of the generated code, do not crash the sweep
        report["error"] = traceback.format_exc(limit=8)[-4000:]
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
