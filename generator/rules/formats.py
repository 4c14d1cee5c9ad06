"""unknown-format: a `format` the generator does not know becomes a plain type (warning)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec, join_pointer
from .base import Rule
from .messages import quoted
from .walk import spec_index

# fmt: off
KNOWN_FORMATS = frozenset({
    # JSON Schema
    "date", "date-time", "time", "duration", "email", "idn-email", "hostname",
    "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid",
    "uri-template", "json-pointer", "relative-json-pointer", "regex",
    # OpenAPI
    "byte", "binary", "password", "int32", "int64", "float", "double", "decimal",
    # common in the wild
    "url", "phone", "int8", "int16", "uint8", "uint16", "uint32", "uint64", "unixtime",
    "timestamp", "base64", "html", "markdown", "unix-time", "ulid",
    # Google discovery documents
    "google-datetime", "google-duration", "google-fieldmask",
})
# fmt: on
_FORMATTED_TYPES = frozenset({"string", "integer", "number"})


def _formatted_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return next((k for k in kinds if isinstance(k, str) and k in _FORMATTED_TYPES), None)


def _hint(value: str) -> str:
    close = difflib.get_close_matches(value.lower(), sorted(KNOWN_FORMATS), n=1, cutoff=0.75)
    if close:
        return f"did you mean '{close[0]}'?"
    return "use a standard format (e.g. date-time, uuid, int64) or ignore this warning"


def check(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Warn about each string/integer/number schema whose `format` is not a known one."""
    for node in spec_index(spec).objects:
        value = node.value.get("format")
        if not isinstance(value, str) or value in KNOWN_FORMATS:
            continue
        kind = _formatted_type(node.value)
        if kind is None:
            continue
        yield RULE.diagnostic(
            spec,
            node.file,
            join_pointer(node.pointer, "format"),
            f"unknown format {quoted(value)} (type {kind}); the SDK will treat the value as a "
            f"plain {kind}",
            _hint(value),
        )


RULE = Rule("unknown-format", Severity.WARNING, check)
RULES = (RULE,)
