"""Short, readable text for jsonschema errors (shared by validate and the example rule)."""

from __future__ import annotations

import difflib
import re
import reprlib

from jsonschema.exceptions import ValidationError

from ..shown import quoted as quoted
from ..shown import shown as shown

MAX_MESSAGE = 200
_REQUIRED = re.compile(r"(.+) is a required property")
_WEAK = frozenset({"oneOf", "anyOf"})
_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxdict = _short.maxlist = 4
_short.maxlevel = 2


def most_specific(error: ValidationError) -> ValidationError:
    """The sub-error that says what is wrong, for `oneOf`/`anyOf` failures.

    Like jsonschema's best_match, the deepest branch error wins (ties: the first branch,
    preferring a concrete keyword); best_match itself fails on errors that
    openapi-spec-validator re-created, which lack a type checker.
    """
    best = error
    while best.context:
        depth = max(len(sub.path) for sub in best.context)
        deepest = [sub for sub in best.context if len(sub.path) == depth]
        concrete = [sub for sub in deepest if sub.validator not in _WEAK]
        best = (concrete or deepest)[0]
    return best


def error_message(error: ValidationError) -> str:
    """jsonschema's message, with a huge instance abbreviated and a length cap."""
    if error.message == "None for not nullable":
        return "null is not allowed: the schema is not nullable"
    missing = _REQUIRED.fullmatch(error.message)
    if error.validator == "required" and missing:
        return f"required field {missing.group(1)} is missing"
    extra = unexpected_fields(error)
    if extra:
        return "unexpected field " + ", ".join(repr(name) for name in extra)
    text = error.message
    whole = repr(error.instance)
    if len(whole) > MAX_MESSAGE // 2 and whole in text:
        text = text.replace(whole, _short.repr(error.instance), 1)
    return shorten(text)


def shorten(text: str) -> str:
    """One line of at most MAX_MESSAGE characters."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def unexpected_fields(error: ValidationError) -> list[str]:
    """The fields an `additionalProperties: false` error is about (else empty)."""
    schema, instance = error.schema, error.instance
    if error.validator != "additionalProperties" or not isinstance(schema, dict):
        return []
    known = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [
        name
        for name in (instance if isinstance(instance, dict) else {})
        if name not in known and not any(re.search(pattern, name) for pattern in patterns)
    ]


def known_field_like(error: ValidationError, name: str) -> str | None:
    """The declared field closest to `name`, for a "did you mean" hint."""
    schema = error.schema
    known = schema.get("properties") if isinstance(schema, dict) else None
    close = difflib.get_close_matches(name, list(known or {}), n=1, cutoff=0.6)
    return close[0] if close else None
