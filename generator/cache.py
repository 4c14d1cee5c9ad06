"""Content-addressed cache kept outside the output folder (`--cache-dir`).

Entries are files named by the SHA-256 of everything that determines them (the input text,
the tool and its version, the generator's own code), so an entry is never stale: a change
to any input is a different key. Writes are atomic; a damaged or missing entry is a miss.
Several runs may share one cache folder at the same time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

LAYOUT = "v1"
DEFAULT_LIMIT_BYTES = 2 * 1024**3
_PRUNE_EVERY_SECONDS = 24 * 3600


def default_cache_dir() -> Path:
    """`$SDKFORGE_CACHE_DIR`, else `$XDG_CACHE_HOME/sdkforge`, else `~/.cache/sdkforge`."""
    explicit = os.environ.get("SDKFORGE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkforge"


def digest(*parts: str | bytes) -> str:
    """SHA-256 hex of the parts, each length-prefixed so that boundaries count."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@cache
def code_fingerprint() -> str:
    """Hash of the generator's own source and built-in templates: new code, new keys."""
    root = Path(__file__).resolve().parent
    from .render.env import builtin_templates

    hasher = hashlib.sha256()
    for folder in (root, builtin_templates()):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".jinja", ".typed") and "__pycache__" not in path.parts:
                hasher.update(path.relative_to(folder).as_posix().encode())
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


@dataclass(slots=True)
class CacheStats:
    """Hits, misses and writes of one run, per kind of entry."""

    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)
    writes: dict[str, int] = field(default_factory=dict)

    def count(self, table: dict[str, int], kind: str, n: int = 1) -> None:
        """Add n to the counter of `kind` in `table`."""
        table[kind] = table.get(kind, 0) + n

    def reject(self, kind: str) -> None:
        """Count a found entry that turned out unusable (an input changed) as a miss."""
        self.count(self.hits, kind, -1)
        self.count(self.misses, kind)


class Cache:
    """A folder of entries `<root>/v1/<kind>/<key[:2]>/<key[2:]>`; `Cache(None)` is off."""

    def __init__(self, root: Path | None, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.root = root / LAYOUT if root is not None else None
        self.limit_bytes = limit_bytes
        self.stats = CacheStats()

    @property
    def enabled(self) -> bool:
        """False for a cache that stores nothing (no folder, or `--cache-dir ''`)."""
        return self.root is not None

    def folder(self, kind: str) -> Path | None:
        """The folder of one kind of entry, created; None when off or it cannot be created."""
        if self.root is None:
            return None
        path = self.root / kind
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return path

    def _path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / key[:2] / key[2:]

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """The stored bytes for `key`, or None on a miss."""
        if self.root is None:
            return None
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.stats.count(self.stats.misses, kind)
            return None
        with suppress(OSError):
            os.utime(path)  # pruning removes the least recently used entries first
        self.stats.count(self.stats.hits, kind)
        return data

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically; a cache that cannot be written is skipped."""
        if self.root is None:
            return
        target = self._path(kind, key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temp, target)
        except OSError:
            return
        self.stats.count(self.stats.writes, kind)

    def get_text(self, kind: str, key: str) -> str | None:
        """A stored UTF-8 text, or None on a miss."""
        data = self.get_bytes(kind, key)
        return None if data is None else data.decode("utf-8", "surrogatepass")

    def put_text(self, kind: str, key: str, text: str) -> None:
        """Store a text under `key`."""
        self.put_bytes(kind, key, text.encode("utf-8", "surrogatepass"))

    def get_object(self, kind: str, key: str) -> Any:
        """A stored Python value (our own pickles only), or None on a miss or a bad entry."""
        data = self.get_bytes(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a damaged entry is a miss
            return None

    def put_object(self, kind: str, key: str, value: Any) -> None:
        """Store a picklable value under `key`."""
        self.put_bytes(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, now: float | None = None) -> int:
        """Delete the least recently written entries beyond the size limit; bytes freed.

        Runs at most once a day per cache folder (a stamp file records the last time).
        """
        if self.root is None:
            return 0
        now = time.time() if now is None else now
        stamp = self.root / ".pruned"
        try:
            if now - stamp.stat().st_mtime < _PRUNE_EVERY_SECONDS:
                return 0
        except OSError:
            pass
        entries = sorted(_entries(self.root), key=lambda e: e[1])
        total = sum(size for _, _, size in entries)
        freed = 0
        for path, _, size in entries:
            if total - freed <= self.limit_bytes:
                break
            try:
                path.unlink()
                freed += size
            except OSError:
                continue
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
            os.utime(stamp, (now, now))
        except OSError:
            pass
        return freed


def _entries(root: Path) -> Iterable[tuple[Path, float, int]]:
    for folder, _, names in os.walk(root):
        for name in names:
            if name.startswith("."):
                continue
            path = Path(folder) / name
            try:
                info = path.stat()
            except OSError:
                continue
            yield path, info.st_mtime, info.st_size
