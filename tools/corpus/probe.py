"""Import a generated SDK in a fresh interpreter: `python -I probe.py SRC PACKAGE CLIENT`.

Standalone on purpose (it runs with only the SDK's dependencies in mind): imports the
package and every module in it, completes every pydantic model (forward references
resolve), constructs the client and touches every resource group. Prints one JSON
object: {"ok": bool, "stage": ..., "error": ..., "modules": n, "models": n, "groups": n}.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import traceback
from typing import Any


def _models(module: Any) -> list[Any]:
    from pydantic import BaseModel

    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]


def _walk_groups(client: Any, seen: set[int], depth: int = 0) -> int:
    """Touch every public cached_property of a resource group, recursively."""
    if id(client) in seen or depth > 50:
        return 0
    seen.add(id(client))
    count = 0
    from functools import cached_property

    for name, member in vars(type(client)).items():
        if isinstance(member, cached_property) and not name.startswith("_"):
            count += 1 + _walk_groups(getattr(client, name), seen, depth + 1)
    return count


def probe(source: str, package: str, client_class: str) -> dict[str, Any]:
    """The probe's report (never raises)."""
    sys.path.insert(0, source)
    report: dict[str, Any] = {"ok": False, "stage": "import", "modules": 0, "models": 0}
    try:
        root = importlib.import_module(package)
        if not getattr(root, "__file__", "").startswith(source):
            report["error"] = f"`import {package}` found {root.__file__}, not the generated one"
            return report
        modules = [root]
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            modules.append(importlib.import_module(info.name))
        report["modules"] = len(modules)
        report["stage"] = "models"
        for module in modules:
            for model in _models(module):
                model.model_rebuild()
                if not model.__pydantic_complete__:
                    raise TypeError(f"{model.__qualname__} is not complete after model_rebuild")
                report["models"] += 1
        report["stage"] = "client"
        client = getattr(root, client_class)()
        report["groups"] = _walk_groups(client, set())
        report["ok"] = True
        report["stage"] = "done"
    except BaseException as error:  # report anything, including SystemExit from the SDK
        frames = traceback.extract_tb(error.__traceback__)
        inside = [f for f in frames if f.filename.startswith(source)] or frames
        where = inside[-1] if inside else None
        report["error"] = f"{type(error).__name__}: {error}"[:2000]
        if where is not None:
            report["where"] = f"{where.filename[len(source):].lstrip('/')}:{where.lineno}"
    return report


if __name__ == "__main__":
    result = probe(sys.argv[1], sys.argv[2], sys.argv[3])
    sys.stdout.write(json.dumps(result) + "\n")
