"""The shared spec corpus: which specs to sweep and which operations each one declares.

The expected operations are read straight from the spec file here, independently of the
generator, so a generator that drops an operation cannot also hide that it did.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORE_KEYS = ("x-speakeasy-ignore", "x-sdkforge-ignore")


@dataclass(frozen=True, slots=True)
class Entry:
    """One spec of the corpus: its path under the specs folder and its MANIFEST facts."""

    path: str
    openapi: str
    features: str
    validator: str

    @property
    def slug(self) -> str:
        """A folder- and package-safe name for the spec."""
        stem = self.path.rsplit(".", 1)[0]
        return "".join(ch if ch.isalnum() else "_" for ch in stem).strip("_").lower()


def read_manifest(specs: Path) -> list[Entry]:
    """Entries of `specs/MANIFEST.tsv` (every spec under features/ and real/)."""
    with (specs / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    header, body = rows[0], rows[1:]
    column = {name: index for index, name in enumerate(header)}
    validator = header[-1]
    return [
        Entry(
            path=row[column["path"]],
            openapi=row[column["openapi"]],
            features=row[column["features"]],
            validator=row[column[validator]],
        )
        for row in body
        if row and row[0].startswith(("features/", "real/"))
    ]


def load_document(path: Path) -> Any:
    """The parsed JSON or YAML document at `path`."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def _local(document: Any, ref: str) -> Any:
    value = document
    for raw in ref.lstrip("#").strip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        value = value.get(token) if isinstance(value, dict) else None
    return value


def expected_operations(path: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(operations the SDK must offer, operations the spec marks as ignored), as (METHOD, path)."""
    document = load_document(path)
    paths = document.get("paths") if isinstance(document, dict) else None
    wanted: set[tuple[str, str]] = set()
    ignored: set[tuple[str, str]] = set()
    for url, raw in (paths or {}).items():
        item = raw
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            item = _local(document, raw["$ref"]) if raw["$ref"].startswith("#") else raw
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            key = (method.upper(), str(url))
            (ignored if any(op.get(k) is True for k in IGNORE_KEYS) else wanted).add(key)
    return wanted, ignored
