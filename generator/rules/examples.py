"""invalid-example: an example value that does not match its schema (a warning).

openapi-spec-validator checks `default` values but not examples. SDKs never send an
example, so a wrong one is only worth a warning, one per example value. Checked:
`example` (and a 3.1 `examples` list) of a schema, and `example` / `examples`
entries of a parameter, header or media type against its `schema`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from jsonschema import validators as jsonschema_validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec, join_pointer
from ..remote import is_url
from .base import Rule
from .messages import error_message, most_specific
from .operations import follow_ref
from .version import openapi_minor
from .walk import Node, spec_index

# A mapping with one of these keys is a schema that constrains its example.
# fmt: off
_SCHEMA_KEYS = frozenset({
    "type", "properties", "items", "allOf", "anyOf", "oneOf", "enum", "const", "format",
    "pattern", "minimum", "maximum", "minLength", "maxLength", "required",
})
# fmt: on


@dataclass(frozen=True, slots=True)
class Example:
    """One example value, where it is written, and the schema it must match."""

    value: Any
    file: str
    pointer: str
    schema_file: str
    schema_pointer: str


def check(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Warn once per example value that its schema rejects."""
    index = spec_index(spec)  # loads every external document first
    validate = _schema_validator(spec)
    for node in index.objects:
        for example in _examples(spec, node):
            error = validate(example)
            if error is not None:
                pointer = join_pointer(example.pointer, *error.absolute_path)
                yield RULE.diagnostic(
                    spec,
                    example.file,
                    pointer,
                    f"example does not match its schema: {error_message(error)}",
                    "fix the example or remove it; the SDK does not use it",
                )


def _examples(spec: LoadedSpec, node: Node) -> Iterator[Example]:
    value = node.value
    if isinstance(value.get("schema"), dict):  # parameter, header or media type
        schema = join_pointer(node.pointer, "schema")
        if "example" in value:
            pointer = join_pointer(node.pointer, "example")
            yield Example(value["example"], node.file, pointer, node.file, schema)
        yield from _named_examples(spec, node, schema)
    elif "$ref" not in value and not _SCHEMA_KEYS.isdisjoint(value):
        if "example" in value:
            pointer = join_pointer(node.pointer, "example")
            yield Example(value["example"], node.file, pointer, node.file, node.pointer)
        listed = value.get("examples")
        for index, item in enumerate(listed if isinstance(listed, list) else []):
            pointer = join_pointer(node.pointer, "examples", index)
            yield Example(item, node.file, pointer, node.file, node.pointer)


def _named_examples(spec: LoadedSpec, node: Node, schema: str) -> Iterator[Example]:
    named = node.value.get("examples")
    for name, entry in (named.items() if isinstance(named, dict) else []):
        pointer = join_pointer(node.pointer, "examples", name)
        target = follow_ref(spec, node.file, pointer, entry)
        if target is not None and "value" in target[2]:
            where = join_pointer(target[1], "value")  # the example itself, maybe shared
            yield Example(target[2]["value"], target[0], where, node.file, schema)


def _no_check(*_: Any) -> Iterator[ValidationError]:
    return iter(())


@cache
def without_patterns(cls: type[Validator]) -> type[Validator]:
    """`cls` ignoring `pattern`: Python's re backtracks exponentially on some (beezup.com's
    `([\\/\\w \\.-]*)*` against its own example), and the SDK checks no pattern anyway."""
    return cast(type[Validator], jsonschema_validators.extend(cls, {"pattern": _no_check}))


def _schema_validator(spec: LoadedSpec) -> Callable[[Example], ValidationError | None]:
    """A function: Example -> its most specific error, or None when it matches."""
    oas31 = openapi_minor(spec.data) == "3.1"
    cls = without_patterns(OAS31Validator if oas31 else OAS30Validator)
    checker = oas31_format_checker if oas31 else oas30_format_checker
    registry: Registry[Any] = Registry().with_resources(
        (document.url or _uri(document.path), Resource.from_contents(document.data, DRAFT202012))
        for document in spec.documents()
    )

    def first_error(example: Example) -> ValidationError | None:
        try:
            # A pointer may hold lone surrogates (JSON `\ud800` escapes): quote them too.
            fragment = quote(example.schema_pointer[1:], "/~", errors="surrogatepass")
            base = example.schema_file
            target = (base if is_url(base) else _uri(Path(base))) + "#" + fragment
            validator = cls({"$ref": target}, registry=registry, format_checker=checker)
            error = next(iter(validator.iter_errors(example.value)), None)
        except Exception:  # a broken schema (openapi-schema reports it) or a name it cannot read
            return None
        return None if error is None else most_specific(error)

    return first_error


def _uri(path: Path) -> str:
    return path.absolute().as_uri()


RULE = Rule("invalid-example", Severity.WARNING, check)
RULES = (RULE,)
