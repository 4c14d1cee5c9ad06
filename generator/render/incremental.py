"""Re-render only what changed: a render job's text is cached under what it was made from.

A job's text depends on its template (and everything it includes), the job's context, the
team's template variables, and the parts of the `Api` the template read. The first three
are hashed up front; the last is recorded while rendering: templates see the Api through
`ApiReads`, which notes each attribute read. The next run looks up the recorded names for
the job (key 1), hashes the current values of exactly those attributes and compares them
with the stored hash (key 2). Same reads of the same values give the same text, so a hit is
always right; a change to anything read is a different key 2, and the job is rendered again.
Names, key 2 and text share one cache entry, so a job costs one file, not two.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..cache import Cache, code_fingerprint, digest


class ApiReads:
    """The Api as templates see it: attribute reads pass through and are noted."""

    __slots__ = ("_api", "_seen")

    def __init__(self, api: Any) -> None:
        object.__setattr__(self, "_api", api)
        object.__setattr__(self, "_seen", set())

    def __getattr__(self, name: str) -> Any:
        object.__getattribute__(self, "_seen").add(name)
        return getattr(object.__getattribute__(self, "_api"), name)

    def begin(self) -> None:
        """Start noting the reads of a new job."""
        object.__setattr__(self, "_seen", set())

    def reads(self) -> list[str]:
        """The attribute names read since `begin`, sorted."""
        return sorted(object.__getattribute__(self, "_seen"))


def _stable(value: Any) -> Any:
    """`value` with every set replaced by its sorted items (set order follows the hash seed)."""
    if isinstance(value, (set, frozenset)):
        return ("<set>", *sorted(value, key=repr))
    if isinstance(value, (tuple, list)):
        return type(value)(_stable(item) for item in value)
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items()}
    return value


def _fields_of(name: str, *values: Any) -> Any:
    """Stands for a dataclass instance in a fingerprint (fingerprints are never unpickled)."""
    raise NotImplementedError


@cache
def _layout(kind: Any) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """A dataclass type's field names and those declared as sets (None: not a dataclass)."""
    if not dataclasses.is_dataclass(kind):
        return None
    fields = dataclasses.fields(kind)
    sets = frozenset(f.name for f in fields if "set" in str(f.type).split("[", 1)[0])
    return tuple(f.name for f in fields), sets


class _Pickler(pickle.Pickler):
    """Pickles dataclasses as their field values, with sets in a stable order.

    The C pickler never asks `reducer_override` about plain sets, so set fields (e.g.
    `needs: frozenset[str]`) are sorted here; field names are looked up once per type.
    """

    def reducer_override(self, obj: Any) -> Any:
        kind: Any = type(obj)
        layout = _layout(kind)
        if layout is None:
            return NotImplemented
        names, sets = layout
        values = [
            _stable(getattr(obj, name)) if name in sets else getattr(obj, name) for name in names
        ]
        return _fields_of, (type(obj).__qualname__, *values)


def fingerprint(value: Any) -> str | None:
    """A stable hash of a value's content, or None when it cannot be pickled."""
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=5).dump(_stable(value))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return digest(buffer.getvalue())


def _folder_fingerprint(folders: tuple[Path, ...]) -> str:
    parts: list[str | bytes] = []
    for folder in folders:
        parts.append(str(folder))
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


class RenderCache:
    """Cached render results of one render call (see the module docstring)."""

    def __init__(self, cache: Cache, api: Any, layers: tuple[Path, ...], shared: Any) -> None:
        """`shared`: what every job sees besides the Api (headers, template variables)."""
        self.cache = cache
        self.api = api
        self.reads = ApiReads(api)
        variables = fingerprint(shared)
        self.base = digest(code_fingerprint(), _folder_fingerprint(layers), variables or "")
        self.usable = variables is not None
        self._values: dict[str, str | None] = {}

    def _value(self, name: str) -> str | None:
        if name not in self._values:
            value = getattr(self.api, name, None)
            if callable(value):  # a method reads the whole Api
                value = self.api
            self._values[name] = fingerprint(value)
        return self._values[name]

    def _second_key(self, first: str, names: list[str]) -> str | None:
        values = [self._value(name) for name in names]
        if any(v is None for v in values):
            return None
        return digest(first, *names, *(v or "" for v in values))

    def render(self, template: str, path: str, context: Any, make: Callable[[], str]) -> str:
        """The job's text: from the cache when everything it read is unchanged, else `make()`.

        One entry per job (key 1) holds what the last render read, the key of those values
        (key 2) and the text; a different key 2 now means something read has changed.
        """
        context_key = fingerprint(context) if self.usable else None
        if context_key is None:
            return make()
        first = digest(self.base, template, path, context_key)
        entry = self.cache.get_object("rendered", first)
        if isinstance(entry, tuple) and len(entry) == 3:
            names, stored, text = entry
            if self._second_key(first, names) == stored and isinstance(text, str):
                return text
            self.cache.stats.reject("rendered")
        self.reads.begin()
        text = make()
        names = self.reads.reads()
        second = self._second_key(first, names)
        if second is not None:
            self.cache.put_object("rendered", first, (names, second, text))
        return text
