"""Stage 1, load: parse YAML/JSON files and resolve `$ref`s; interprets nothing.

One `LoadedSpec` owns every document of a spec (the root file and the files its
`$ref`s reach). It is the single `$ref` resolver of the generator, and it maps a
JSON pointer back to a file line for diagnostics. Line maps are built lazily, on
the first diagnostic that needs one, so the happy path parses each file once.

A spec is untrusted input (see limits.py): documents are bounded in size, count and
depth, external `$ref`s stay inside the spec's folder (symlinks included), and remote
ones are fetched only from URL prefixes the user allowed, never by default.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import yaml

from .diagnostics import SpecError, SpecLocation
from .limits import DEFAULT_LIMITS, Limits
from .limits import fail as _fail
from .parse import compose, may_have_surrogates, parse
from .positions import JsonPositions, YamlPositions
from .remote import fetch, is_url, normalise
from .shown import display_pointer as display_pointer  # re-exported for other stages
from .shown import quoted

MAX_DOCUMENT_BYTES = DEFAULT_LIMITS.max_document_bytes


@dataclass(slots=True)
class Document:
    """One parsed file: its path, the name to show in messages, and its data."""

    path: Path
    display: str
    data: Any
    positions: JsonPositions | YamlPositions | None = field(default=None, repr=False)
    size: int = 0
    may_have_surrogates: bool = False
    url: str = ""  # set for a document fetched from an allowed URL (it has no file)
    _lines: dict[str, tuple[int | None, int | None]] = field(default_factory=dict, repr=False)

    def line_of(self, pointer: str) -> tuple[int | None, int | None]:
        """1-based line and column of the deepest node along `pointer` (None when unknown)."""
        found = self._lines.get(pointer)
        if found is None:
            if self.positions is None:
                self.positions = YamlPositions(self._compose())
            found = self._lines[pointer] = self.positions.line_of(split_pointer(pointer))
        return found

    def _compose(self) -> Any:
        """The node tree of a document made without one (read again from its file)."""
        try:
            with self.path.open("rb") as stream:
                return compose(stream)
        except (OSError, yaml.YAMLError):
            return None


def split_pointer(pointer: str) -> list[str]:
    """Split `#/a/b~1c` (or `/a/b~1c`) into unescaped tokens `['a', 'b/c']`."""
    text = pointer[1:] if pointer.startswith("#") else pointer
    text = unquote(text)
    if not text:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in text.lstrip("/").split("/")]


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append tokens to a `#/...` pointer, escaping `~` and `/`."""
    parts = [str(t).replace("~", "~0").replace("/", "~1") for t in tokens]
    return "/".join([pointer or "#", *parts])


@dataclass(frozen=True, slots=True)
class Resolved:
    """The target of a `$ref`: which file, which pointer, and the value found there."""

    file: str
    pointer: str
    value: Any


class LoadedSpec:
    """All documents of one spec, the `$ref` resolver, and pointer -> line lookup."""

    def __init__(self, root: Document, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = root
        self.limits = limits
        self._documents: dict[str, Document] = {self.key(root.path): root}
        self.base_dir = root.path.parent
        self._real_base = os.path.realpath(self.base_dir)
        self._failed: dict[str, SpecError] = {}  # a file is read (or fetched) once, even when bad
        self.total_bytes = root.size
        # Derived data shared by the stages that read this spec (e.g. the rules' walk).
        self.cache: dict[str, Any] = {}

    @staticmethod
    def key(path: Path) -> str:
        """The identity of a file inside this spec (an absolute, normalised path)."""
        return os.path.normpath(str(path.absolute()))

    @property
    def root_key(self) -> str:
        """Key of the root document."""
        return self.key(self.root.path)

    @property
    def data(self) -> Any:
        """Data of the root document."""
        return self.root.data

    def documents(self) -> Iterator[Document]:
        """Every document loaded so far, root first."""
        return iter(self._documents.values())

    def document(self, key: str) -> Document:
        """Document for `key`, loading it on first use (raises SpecError when it cannot)."""
        found = self._documents.get(key)
        if found is None:
            if key in self._failed:
                raise self._failed[key]
            try:
                found = self._read(key)
            except SpecError as error:
                self._failed[key] = error
                raise
            self._documents[key] = found
        return found

    def _read(self, key: str) -> Document:
        """Read or fetch one more document, within the limits on count and total size."""
        shown = key if is_url(key) else self._display(Path(key))
        if len(self._documents) >= self.limits.max_documents:
            raise _fail(
                shown,
                "too-many-documents",
                f"the spec reaches more than {self.limits.max_documents} files",
                "bundle the spec into fewer files",
            )
        if is_url(key):
            found = _remote_document(key, self.limits)
        else:
            found = read_document(Path(key), display=shown, limits=self.limits)
        if self.total_bytes + found.size > self.limits.max_total_bytes:
            raise _fail(
                shown,
                "document-too-large",
                f"the spec's files add up to more than {self.limits.max_total_bytes} bytes",
                "split the API into several specs",
            )
        self.total_bytes += found.size
        return found

    def _display(self, path: Path) -> str:
        try:
            relative = path.relative_to(self.base_dir)
        except ValueError:
            return str(path)
        return str(Path(self.root.display).parent / relative)

    def key_of(self, document: Document) -> str:
        """The key under which `document` is loaded."""
        return document.url or self.key(document.path)

    def locate(self, file: str, pointer: str) -> SpecLocation:
        """SpecLocation (file shown as given, line and column) for a pointer in a file."""
        document = self._documents.get(file)
        if document is None:
            return SpecLocation(file, pointer)
        line, column = document.line_of(pointer)
        return SpecLocation(document.display, display_pointer(pointer or "#"), line, column)

    def target_file(self, ref: str, base_file: str) -> str:
        """Key of the file a `$ref` points into (raises ValueError for refs we do not follow)."""
        address = ref.split("#", 1)[0]
        if not address:
            return base_file
        if is_url(base_file) or "://" in address:
            return self._remote_target(ref, urljoin(base_file, address))
        target = Path(os.path.normpath(Path(base_file).parent / unquote(address)))
        if not self._is_within(target):
            raise ValueError(f"reference {quoted(ref)} leaves the spec's folder {self.base_dir}")
        return self.key(target)

    def _remote_target(self, ref: str, url: str) -> str:
        if not is_url(url):
            raise ValueError(f"reference {quoted(ref)} uses a scheme sdkforge does not read")
        if not self.limits.allowed_urls:
            raise ValueError(
                f"remote reference {quoted(ref)} is not fetched; download it next to the spec"
            )
        return normalise(url)

    def _is_within(self, path: Path) -> bool:
        """True when `path`, with symlinks resolved, is inside the spec's folder."""
        real = os.path.realpath(path)
        return real == self._real_base or real.startswith(self._real_base.rstrip(os.sep) + os.sep)

    def resolve(self, ref: str, base_file: str) -> Resolved:
        """Follow one `$ref` written in `base_file`; raises ValueError with the reason."""
        file = self.target_file(ref, base_file)
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
        try:
            document = self.document(file)
        except SpecError as error:
            raise ValueError(error.diagnostics[0].message) from None
        value = document.data
        for token in split_pointer(fragment):
            if isinstance(value, dict) and token in value:
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                raise ValueError(f"{quoted(ref)} does not exist: no {quoted(token)} there")
        pointer = "#" + ("/" + fragment.lstrip("/") if fragment.strip("/") else "")
        return Resolved(file, unquote(pointer), value)


def _remote_document(url: str, limits: Limits) -> Document:
    """A document fetched from an allowed URL (raises SpecError when it cannot be)."""
    try:
        raw = fetch(url, limits)
    except ValueError as error:
        raise _fail(url, "remote-ref", str(error), "check the URL or download the file") from None
    suffix = Path(url.split("?", 1)[0]).suffix
    data, positions = parse(raw, Path("remote" + suffix), url, limits)
    surrogates = may_have_surrogates(raw)
    return Document(Path(url), url, data, positions, len(raw), surrogates, url=url)


def read_document(
    path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Parse one YAML or JSON file; raises SpecError (located) when it cannot be read."""
    shown = display if display is not None else str(path)
    try:
        status = path.stat()
        size = status.st_size
        if path.is_dir():
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
            raise _fail(
                shown,
                "file-unreadable",
                "not a regular file",
                "pass the path of a YAML or JSON file",
                1,
                1,
            )
    except FileNotFoundError:
        raise _fail(
            shown, "file-not-found", "file does not exist", "check the path of the spec"
        ) from None
    except OSError as error:
        raise _fail(
            shown,
            "file-unreadable",
            f"cannot read the file ({error.strerror or error})",
            "pass the path of a readable YAML or JSON file",
        ) from None
    if size > limits.max_document_bytes:
        raise _fail(
            shown,
            "document-too-large",
            f"file is {size} bytes, more than the limit of {limits.max_document_bytes}",
            "split the spec into files joined by $ref",
            1,
            1,
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise _fail(
            shown,
            "file-unreadable",
            f"cannot read the file ({error.strerror or error})",
            "pass the path of a readable YAML or JSON file",
        ) from None
    data, positions = parse(raw, path, shown, limits)
    surrogates = may_have_surrogates(raw)
    return Document(path, shown, data, positions, len(raw), surrogates)


def load(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> LoadedSpec:
    """Read the root document of a spec; external `$ref` files are read when first resolved."""
    given = Path(path)
    document = read_document(given.absolute(), display=str(path), limits=limits)
    return LoadedSpec(document, limits)
