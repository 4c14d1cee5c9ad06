"""Every identifier of the generated code is decided here, and only here.

Rules (why they differ from a plain snake_case):
- Python keywords get a trailing `_` (`from` -> `from_`). Soft keywords (`type`, `match`)
  and builtins are legal identifiers and stay as they are in attributes and parameters,
  so `cache.type` reads like the wire name; generated code never uses a builtin in a
  scope where a spec name could shadow it (see `MODEL_RESERVED`).
- A leading digit gets a word prefix (`3d` -> `field_3d`, class `Model3d`).
- Non-ASCII letters are transliterated (NFKD, accents dropped); what cannot be becomes a
  stable `x<hex>` token derived from the text itself, never from an order or a hash seed.
- Leading underscores are dropped: pydantic treats `_x` as private and Python mangles `__x`.
- Collisions inside one scope get `_2`, `_3`... in the (sorted) order the names arrive.
- Class, module and docs page names are at most `MAX_CLASS` characters: inline schemas are
  named by their path, which grows with nesting (`bounded_class` keeps the ends and adds a
  digest of the whole name).
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable

KEYWORDS = frozenset(keyword.kwlist)

# Names a field of a generated pydantic model must not take: BaseModel's own
# attributes and the builtin types used in field annotations of the same class body.
MODEL_RESERVED = frozenset(
    {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "copy",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "fields",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "tuple",
        "set",
        "frozenset",
        "object",
        "self",
        # module-level helpers the model bodies use (a field would shadow them)
        "is_none",
    }
)

# Class names the generated modules import (models, resources, errors); no schema takes them.
RESERVED_CLASSES = (
    "Any",
    "Annotated",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPage",
    "ClientCredentials",
    "Page",
    "Pagination",
    "ResponseValidationError",
    "SDKError",
    "Server",
    "Timeout",
    "AsyncEventStream",
    "BaseModel",
    "BinaryInput",
    "BinaryResponse",
    "Body",
    "ClassVar",
    "ClientState",
    "ConfigDict",
    "EventStream",
    "Field",
    "File",
    "FileInput",
    "FileTypedDict",
    "Hooks",
    "Literal",
    "Mapping",
    "NotRequired",
    "Operation",
    "Optional",
    "Param",
    "Required",
    "Result",
    "RetryConfig",
    "Schema",
    "Scheme",
    "SDKModel",
    "Tag",
    "TagPicker",
    "Discriminator",
    "TypeAliasType",
    "TypeAlias",
    "TypedDict",
    "Union",
    "Unset",
    "UNSET",
    "TYPE_CHECKING",
)

# Names a generated method takes for itself; a spec parameter may not use them.
METHOD_RESERVED = frozenset(
    {"self", "retries", "timeout_ms", "server_url", "http_headers", "accept"}
)

_WORD_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+[0-9]*|[0-9]+")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")


def _ascii_words(text: str) -> list[str]:
    """Split any text into ASCII alphanumeric words, transliterating where possible."""
    words: list[str] = []
    for chunk in re.split(r"[^\w]+|_+", text):
        if not chunk:
            continue
        folded = unicodedata.normalize("NFKD", chunk).encode("ascii", "ignore").decode()
        folded = _NON_WORD.sub(" ", folded)
        if any(ch.isalnum() for ch in folded):
            for piece in folded.split():
                words.extend(_WORD_SPLIT.findall(piece))
        else:
            words.append("x" + "".join(f"{ord(ch):x}" for ch in chunk))
    return [w for w in words if w]


def snake(text: str, prefix: str = "field") -> str:
    """`fooBar-baz` -> `foo_bar_baz`; keywords get `_`; digits first get `prefix_`."""
    words = _ascii_words(text)
    if not words:
        words = ["x" + "".join(f"{ord(ch):x}" for ch in text)] if text else ["empty"]
    name = "_".join(w.lower() for w in words)
    if name[0].isdigit():
        name = f"{prefix}_{name}"
    if name in KEYWORDS:
        name += "_"
    return name


def pascal(text: str, prefix: str = "Model") -> str:
    """`foo_bar baz` -> `FooBarBaz`; a leading digit gets `prefix`."""
    words = _ascii_words(text)
    if not words:
        words = ["x" + "".join(f"{ord(ch):x}" for ch in text)] if text else ["Empty"]
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if name[0].isdigit():
        name = prefix + name
    if name in KEYWORDS:  # True, False, None
        name += "_"
    return name


# Longest class name handed out: module files (`snake` of the class plus `.py`), docs
# pages and the `TypedDict` twin stay far below the 255-byte file-name limit.
MAX_CLASS = 64
_DIGEST = 8
_PASCAL_WORD = re.compile(r"[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+|_+")


def bounded_class(name: str, limit: int = MAX_CLASS) -> str:
    """`name` if short enough, else its first word, last words and a digest of all of it.

    Inline schemas are named by their path (`DeepLevel35Level34...`), so names grow with
    nesting; the digest keeps two long names that share their ends apart, deterministically.
    """
    if len(name) <= limit:
        return name
    tag = "X" + hashlib.sha256(name.encode()).hexdigest()[:_DIGEST]
    words: list[str] = _PASCAL_WORD.findall(name) or [name]
    head = words[0][: limit // 4]
    room = limit - len(head) - len(tag)
    tail: list[str] = []
    for word in reversed(words[1:]):
        if len(word) > room:
            break
        tail.insert(0, word)
        room -= len(word)
    if not tail and len(words) > 1:
        tail = [words[-1][-room:]]
    return head + "".join(tail) + tag


def bounded_module(text: str, prefix: str = "m") -> str:
    """`snake(text)` for a module or page name, capped like `bounded_class` when long."""
    name = snake(text, prefix=prefix)
    if len(name) <= MAX_CLASS:
        return name
    return snake(bounded_class(pascal(text)), prefix=prefix)


def constant(text: str) -> str:
    """`fooBar` -> `FOO_BAR` (for constants and enum-like members)."""
    return snake(text, prefix="v").upper()


class Scope:
    """A namespace in the generated code; hands out unique names in arrival order."""

    def __init__(self, reserved: Iterable[str] = (), casefold: bool = False) -> None:
        self._casefold = casefold
        self._taken: set[str] = {self._norm(n) for n in reserved}

    def _norm(self, name: str) -> str:
        return name.casefold() if self._casefold else name

    def reserve(self, name: str) -> None:
        """Mark a name as taken without handing it out."""
        self._taken.add(self._norm(name))

    def is_taken(self, name: str) -> bool:
        """True when `name` is already used in this scope."""
        return self._norm(name) in self._taken

    def claim(self, wanted: str, alternatives: Iterable[str] = (), sep: str = "_") -> str:
        """Return `wanted`, else the first free alternative, else `wanted{sep}2`, `{sep}3`..."""
        for candidate in (wanted, *alternatives):
            if not self.is_taken(candidate):
                self.reserve(candidate)
                return candidate
        counter = 2
        while self.is_taken(f"{wanted}{sep}{counter}"):
            counter += 1
        name = f"{wanted}{sep}{counter}"
        self.reserve(name)
        return name


def field_name(wire: str) -> str:
    """Python attribute name for a wire property name (before collision handling)."""
    name = snake(wire.lstrip("_") or wire, prefix="field")
    if name in MODEL_RESERVED:
        name += "_"
    return name


def parameter_name(wire: str) -> str:
    """Python argument name for a spec parameter or body field (before collisions)."""
    name = snake(wire.lstrip("_") or wire, prefix="param")
    if name in METHOD_RESERVED:
        name += "_"
    return name


def method_name(text: str) -> str:
    """Python method name from an operationId or a name override."""
    return snake(text, prefix="op")


def module_name(class_name: str) -> str:
    """Module (and docs file) name for a class: `CreateImageEditOrq` -> `create_image_edit_orq`."""
    return snake(class_name, prefix="m")


def env_prefix(client_class: str) -> str:
    """Environment variable prefix for a client class: `OrqClient` -> `ORQ_CLIENT`."""
    return snake(client_class).upper().rstrip("_")


_STRUCTURAL = frozenset(
    {"$defs", "definitions", "properties", "items", "prefixItems", "additionalProperties"}
    | {"allOf", "anyOf", "oneOf", "content", "schema", "patternProperties"}
)


def _structural(token: str) -> bool:
    """True for JSON pointer steps that are schema keywords, indexes or media types."""
    return token in _STRUCTURAL or token.isdigit() or "/" in token


def target_class(tokens: list[str], other_file: bool, file_stem: str, hint: str) -> str:
    """Class name for the schema at a JSON pointer (`tokens`), before collisions.

    `components/schemas/A/$defs/B` -> `AB`; `components/responses/Problem/...` ->
    `Problem`; in another file the last named step (or the file name); `$defs/X` -> `X`;
    anywhere else the caller's `hint` (named after where the schema is used).
    """
    if len(tokens) >= 3 and tokens[0] == "components":
        if tokens[1] != "schemas":
            return pascal(tokens[2])
        return pascal("_".join(t for t in tokens[2:] if not _structural(t)))
    words = [t for t in tokens if not _structural(t)]
    if other_file:
        return pascal(words[-1] if words else file_stem)
    if len(tokens) >= 2 and tokens[-2] in ("$defs", "definitions"):
        return pascal(tokens[-1])
    return hint
