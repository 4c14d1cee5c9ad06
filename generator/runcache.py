"""A whole run remembered: when nothing that decides the output has changed and the output
folder still holds exactly what the last run wrote, the run is replayed instead of redone.

What decides the output: the bytes of every spec file the run read, the target's settings,
the team's template folders, the formatter (name, version, mode), the generator's own code
and the working folder. The replay prints the same diagnostics. Anything else (a changed
input, an edited, missing or extra generated file) runs the pipeline, whose stage caches
then redo only what changed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .cache import Cache, code_fingerprint, digest
from .checked import Deps, Row, file_hash, from_rows
from .config import Target
from .format import formatter_identity
from .render.incremental import _folder_fingerprint
from .render.plan import OutputFile
from .write import WriteReport, _previous

KIND = "run"


def run_key(target: Target, formatter: str) -> str:
    """Everything but the spec files' bytes (those are checked through the entry's deps)."""
    return digest(
        code_fingerprint(),
        formatter_identity(formatter),
        repr(target),
        _folder_fingerprint(tuple(target.templates)),
        os.getcwd(),
    )


def remember(cache: Cache, key: str, deps: Deps, files: list[OutputFile], rows: list[Row]) -> None:
    """Record a finished run: its inputs' hashes, each output file's hash, its diagnostics."""
    manifest = [(f.path, hashlib.sha256(f.content.encode("utf-8")).hexdigest()) for f in files]
    cache.put_object(KIND, key, {"deps": deps, "manifest": manifest, "rows": rows})


def _verified(entry: dict[str, Any], out_dir: Path) -> list[OutputFile] | None:
    """The output files when the inputs and the output folder are as the entry recorded."""
    if any(file_hash(Path(path)) != sha for path, sha in entry["deps"]):
        return None
    files = []
    for path, sha in entry["manifest"]:
        try:
            data = (out_dir / path).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != sha:
            return None
        files.append(OutputFile(path, data.decode("utf-8")))
    if _previous(out_dir) - {f.path for f in files}:
        return None  # a stale generated file: the pipeline removes it
    return files


def replay(
    cache: Cache, key: str, out_dir: Path
) -> tuple[list[OutputFile], WriteReport, list[Any]] | None:
    """Files, an all-unchanged report and the diagnostics of the remembered run, or None."""
    entry = cache.get_object(KIND, key)
    if not isinstance(entry, dict):
        return None
    files = _verified(entry, out_dir)
    if files is None:
        cache.stats.reject(KIND)
        return None
    report = WriteReport(unchanged=[f.path for f in files])
    return files, report, from_rows(entry["rows"])
