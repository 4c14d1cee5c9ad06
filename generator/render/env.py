"""The Jinja environment: template search path (team layers first), strict undefined.

Also the layer tools behind `sdkforge templates`: which file a template name resolves
to, copying built-ins out (`eject`), and finding the template line an error came from.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, TracebackType
from typing import ClassVar

import jinja2

from .filters import FILTERS

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
BUILTIN_PREFIX = "builtin"
_SKIPPED_PARTS = frozenset({"__pycache__", ".git"})
_COMPILED_LIMIT = 1024  # compiled templates kept per process (oldest dropped first)


def builtin_templates() -> Path:
    """The built-in templates folder (in a checkout, or installed with the package)."""
    installed = Path(__file__).resolve().parent.parent / "templates"
    return installed if installed.is_dir() else BUILTIN_TEMPLATES


def make_environment(
    layers: tuple[Path, ...] = (), compiled_folder: Path | None = None
) -> jinja2.Environment:
    """Environment searching the team layers in order, then the built-in templates.

    Built-ins stay reachable as `builtin/<path>`, so a team template can extend the
    built-in one and override a single block. Templates are compiled once per process
    (and kept in `compiled_folder` across processes when given).
    """
    builtin = builtin_templates()
    loader = jinja2.PrefixLoader(
        {BUILTIN_PREFIX: jinja2.FileSystemLoader(str(builtin))}, delimiter="/"
    )
    search = jinja2.FileSystemLoader([str(p) for p in layers] + [str(builtin)])
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([loader, search]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,
        bytecode_cache=CompiledTemplates(
            jinja2.FileSystemBytecodeCache(str(compiled_folder)) if compiled_folder else None
        ),
    )
    env.filters.update(FILTERS)
    return env


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of the process, then an optional disk cache.

    Entries are keyed by template name, file and a checksum of its source, so an edited or
    different file is compiled anew. Each render still gets a fresh environment: sharing one
    would leak `api` between runs through Jinja's cached macro modules, which copy globals.
    """

    _codes: ClassVar[dict[tuple[str, str], CodeType]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, disk: jinja2.BytecodeCache | None = None) -> None:
        self.disk = disk

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Take the code from memory, else from the disk cache."""
        code = self._codes.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self._keep(bucket.key, bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a newly compiled template in memory and on disk."""
        if bucket.code is not None:
            self._keep(bucket.key, bucket.checksum, bucket.code)
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)

    @classmethod
    def _keep(cls, key: str, checksum: str, code: CodeType) -> None:
        with cls._lock:
            while len(cls._codes) >= _COMPILED_LIMIT:
                del cls._codes[next(iter(cls._codes))]
            cls._codes[(key, checksum)] = code


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where one template name resolves: the file used and the layer it comes from."""

    name: str
    path: Path
    layer: Path | None  # None: the built-in templates
    overrides_builtin: bool


def _files(folder: Path) -> dict[str, Path]:
    """Every template file under `folder`, by its name relative to the folder."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        skipped = _SKIPPED_PARTS.intersection(relative.parts) or path.suffix == ".pyc"
        if path.is_file() and not skipped:
            found[relative.as_posix()] = path
    return found


def resolve_templates(layers: tuple[Path, ...] = ()) -> list[Resolved]:
    """Every template name of the layers and the built-ins, with the file that wins."""
    builtin = _files(builtin_templates())
    chosen: dict[str, Resolved] = {}
    for layer in layers:
        for name, path in _files(layer).items():
            if name not in chosen:
                chosen[name] = Resolved(name, path, layer, name in builtin)
    for name, path in builtin.items():
        chosen.setdefault(name, Resolved(name, path, None, False))
    return [chosen[name] for name in sorted(chosen)]


def select_builtins(patterns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(built-in names matching the patterns, patterns that matched nothing).

    A pattern is a template name (`sdk/README.md.jinja`) or a folder (`docs`, `sdk/package`);
    no pattern selects every built-in template.
    """
    names = sorted(_files(builtin_templates()))
    if not patterns:
        return names, []
    picked: list[str] = []
    unknown: list[str] = []
    for pattern in patterns:
        clean = pattern.strip("/").removeprefix(BUILTIN_PREFIX + "/")
        matches = [n for n in names if n == clean or n.startswith(clean + "/")]
        if not matches:
            unknown.append(pattern)
        picked.extend(m for m in matches if m not in picked)
    return sorted(picked), unknown


def eject(names: list[str], out_dir: Path, force: bool = False) -> tuple[list[str], list[str]]:
    """Copy built-in templates into `out_dir`: (copied names, names skipped as existing)."""
    source = builtin_templates()
    copied: list[str] = []
    skipped: list[str] = []
    for name in names:
        target = out_dir / name
        if target.exists() and not force:
            skipped.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)
        copied.append(name)
    return copied, skipped


def template_frame(
    traceback: TracebackType | None, roots: tuple[Path, ...]
) -> tuple[str, int] | None:
    """(file, line) of the innermost traceback frame that runs a template under `roots`.

    Jinja rewrites tracebacks so that template frames carry the template's file name
    and line; this finds the one closest to the error, for runtime errors too.
    """
    folders = [str(root.resolve()) for root in roots]
    found: tuple[str, int] | None = None
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        resolved = "" if filename.startswith("<") else str(Path(filename).resolve())
        if any(resolved.startswith(folder + "/") for folder in folders):
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
