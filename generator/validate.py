"""Stage 2, validate: openapi-spec-validator plus our own rules; changes nothing.

`validate(spec)` runs the version gate, then openapi-spec-validator (every problem,
not the first), then each rule of `generator.rules`. Validator errors become located,
short diagnostics: a problem in an `example`/`examples`/`default` value is a warning
(`invalid-example` / `invalid-default`, SDKs tolerate it), anything else an error
(`openapi-schema`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.settings import get_resolved_cache_maxsize
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    UnresolvableParameterError,
)
from openapi_spec_validator.validation.keywords import (
    KeywordValidator,
    SchemaValidator,
    ValueValidator,
)
from openapi_spec_validator.validation.validators import SpecValidator

from .diagnostics import Diagnostic, Severity, SpecError, has_errors, sort_diagnostics
from .load import LoadedSpec
from .remote import allowed, normalise
from .rules import GATE, RULES
from .rules.examples import without_patterns
from .rules.messages import (
    error_message,
    known_field_like,
    most_specific,
    quoted,
    shorten,
    unexpected_fields,
)
from .rules.version import openapi_minor
from .rules.walk import NAME_MAPS, physical_location

_DATA_KEYWORDS = {
    "example": "invalid-example",
    "examples": "invalid-example",
    "default": "invalid-default",
}
# Our rules report these better (located, and undeclared vs unused told apart).
_REPORTED_BY_RULES = (DuplicateOperationIDError, UnresolvableParameterError)
_DATA_WARNINGS = {
    "invalid-default": ("default value does not match its schema", "fix the default or remove it"),
    "invalid-example": ("invalid example", "fix the example or remove it; the SDK does not use it"),
    "unsupported-pattern": (
        "Python's re cannot read this pattern (patterns are ECMA-262 regexes)",
        "nothing to do: the SDK does not check patterns",
    ),
    # Both are allowed by OpenAPI (its 3.0 schema has `enum: uniqueItems: false`, 3.1 uses
    # JSON Schema 2020-12) and by JSON Schema `required`; only the validator's checks object.
    "duplicate-enum-value": ("enum", "remove the repeated value; the SDK keeps each value once"),
    "required-undefined": ("required", "define them under properties, or drop them from required"),
    # Value constraints the SDK never checks, written in another dialect's form
    # (`exclusiveMaximum: true` is draft 4 / OpenAPI 3.0), and `$schema` dialects the
    # validator does not know: the types are built from the other keywords either way.
    "unchecked-constraint": (
        "constraint the SDK does not check",
        "write it as the dialect expects",
    ),
    "unknown-dialect": ("schema read as OpenAPI's own dialect", "use a known $schema URI"),
    # OpenAPI asks for at least one response; without one the method simply returns None.
    "no-responses": (
        "the operation documents no response",
        "add the responses it can return; until then the method returns None",
    ),
}
# Schema keywords that only restrict values; generated types never depend on them.
_CONSTRAINTS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    | {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}
)
_PER_FIELD = frozenset({"required", "additionalProperties", "unevaluatedProperties"})
_LOCATED = "_sdkforge_located"


def validate(spec: LoadedSpec) -> list[Diagnostic]:
    """Every problem of `spec`: only the gate's when it is not OpenAPI 3.0/3.1, else all."""
    gate = [d for rule in GATE for d in rule.check(spec)]
    if gate:
        return sort_diagnostics(gate)
    diagnostics = [d for rule in RULES for d in rule.check(spec)]
    found, stopped = _run_validator(spec)
    diagnostics += found
    if stopped is not None and not has_errors(diagnostics):
        diagnostics.append(stopped)
    return sort_diagnostics(diagnostics)


# --- openapi-spec-validator, adapted ------------------------------------------------


class _SeenIds(list[int]):
    """The validator's list of visited schema ids with set-speed `in` (it was quadratic)."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set[int] = set()

    def append(self, item: int) -> None:
        self._ids.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._ids


class _SpecFiles(dict[str, Any]):
    """`$ref` handlers: the spec's own files as `load` parsed them; no other scheme.

    Any scheme is "handled" here (or jsonschema-path would fetch http refs itself):
    `file` inside the spec's folder, http(s) under an allowed URL prefix (through the
    spec's own loader and limits); all else fails. The unresolved-ref rule reports those.
    """

    def __init__(self, spec: LoadedSpec) -> None:
        super().__init__()
        self.spec = spec

    def __contains__(self, scheme: object) -> bool:
        return True

    def __missing__(self, scheme: str) -> Any:
        if scheme == "file":
            return self.read
        return self.read_remote if scheme in ("http", "https") else _refuse_remote

    def read(self, uri: str) -> Any:
        path = Path(url2pathname(urlsplit(uri).path))
        if not path.is_relative_to(self.spec.base_dir.absolute()):
            raise ValueError(f"'{uri}' is outside the spec's folder")
        try:
            return self.spec.document(self.spec.key(path)).data
        except SpecError as error:
            raise ValueError(error.diagnostics[0].message) from None

    def read_remote(self, uri: str) -> Any:
        if not allowed(uri, self.spec.limits):
            raise ValueError(f"remote reference '{uri}' is not fetched")
        try:
            return self.spec.document(normalise(uri)).data
        except SpecError as error:
            raise ValueError(error.diagnostics[0].message) from None


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"remote reference '{uri}' is not fetched")


def _locating(base: type[KeywordValidator], suffix: tuple[str, ...]) -> type[Any]:
    """`base` whose errors carry their spec path (keyword validators report none)."""
    call = cast(Any, base).__call__

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((arg for arg in args if isinstance(arg, SchemaPath)), None)
        for error in call(self, *args, **kwargs):
            if where is not None and not getattr(error, _LOCATED, False):
                error.path.extendleft(reversed((*where.parts, *suffix)))
                setattr(error, _LOCATED, True)
            yield error

    members: dict[str, Any] = {"__call__": __call__}
    if issubclass(base, SchemaValidator):
        members["__init__"] = _fast_schema_init(base)
    if issubclass(base, ValueValidator):  # defaults: no `pattern` (see rules.examples)
        members["value_validator_cls"] = without_patterns(base.value_validator_cls)
    return type(base.__name__, (base,), members)


def _fast_schema_init(base: type[SchemaValidator]) -> Any:
    def __init__(self: SchemaValidator, registry: Any) -> None:
        base.__init__(self, registry)
        self.visited_schema_ids = _SeenIds()
        self.meta_checked_schema_ids = _SeenIds()

    return __init__


def _iter_errors(self: SpecValidator) -> Iterator[ValidationError]:
    # The library's iter_errors is lru_cached on `self`, keeping every spec alive.
    yield from self.schema_validator.iter_errors(self.schema)
    yield from self.root_validator(self.schema_path)


def _located(base: type[SpecValidator]) -> type[SpecValidator]:
    keywords = {
        name: _locating(cls, ("default",) if name == "default" else ())
        for name, cls in base.keyword_validators.items()
    }
    members = {"keyword_validators": keywords, "iter_errors": _iter_errors}
    return type(f"Located{base.__name__}", (base,), members)


_VALIDATORS = {"3.0": _located(OpenAPIV30SpecValidator), "3.1": _located(OpenAPIV31SpecValidator)}


def _run_validator(spec: LoadedSpec) -> tuple[list[Diagnostic], Diagnostic | None]:
    """Diagnostics of every validator error, and one for the validator stopping early."""
    found: dict[tuple[str, ...], Diagnostic] = {}
    errors = _validator_errors(spec)
    while True:
        try:
            error = next(errors)
        except StopIteration:
            return list(found.values()), None
        except RecursionError:
            return list(found.values()), _stopped(spec, "the spec nests too deeply for it")
        except Exception as stop:  # third-party code fed arbitrary input: no traceback
            reason = f"{type(stop).__name__}: {shorten(str(stop))}"
            return list(found.values()), _stopped(spec, reason)
        if not isinstance(error, _REPORTED_BY_RULES):
            diagnostic, key = _diagnostic(spec, error)
            found.setdefault(key, diagnostic)


def _validator_errors(spec: LoadedSpec) -> Iterator[ValidationError]:
    uri = spec.root.path.absolute().as_uri()
    document = SchemaPath.from_dict(
        spec.data,
        base_uri=uri,
        handlers=_SpecFiles(spec),
        resolved_cache_maxsize=get_resolved_cache_maxsize(),
    )
    validator = _VALIDATORS[openapi_minor(spec.data) or "3.0"]
    yield from validator(document, base_uri=uri).iter_errors()


def _stopped(spec: LoadedSpec, reason: str) -> Diagnostic:
    return Diagnostic(
        Severity.WARNING,
        "validator-incomplete",
        spec.locate(spec.root_key, "#"),
        f"openapi-spec-validator stopped early ({reason}); the rest was not checked",
        "fix the other problems first; if there are none, the spec may still be valid",
    )


# --- one validator error -> one diagnostic -------------------------------------------


def _diagnostic(spec: LoadedSpec, error: ValidationError) -> tuple[Diagnostic, tuple[str, ...]]:
    """The diagnostic, and a key that is equal for two reports of one problem."""
    best = most_specific(error)
    parts = [*best.absolute_path, *unexpected_fields(best)[:1]]  # at the unexpected key
    file, pointer = physical_location(spec, parts)
    location = spec.locate(file, pointer)
    rule = _data_rule(parts) or _pattern_rule(best) or _lenient_rule(best)
    message = error_message(best)
    if rule is not None:
        # One warning per value: a null default fails both `nullable` and `type`.
        prefix, hint = _DATA_WARNINGS[rule]
        if rule == "required-undefined":  # the validator lists them in set order
            names = sorted(str(n) for n in _named(error.message))
            message = shorten("names undefined properties: " + ", ".join(map(quoted, names)))
        warning = Diagnostic(Severity.WARNING, rule, location, f"{prefix}: {message}", hint)
        return warning, (rule, file, pointer)
    # The OpenAPI schema and the schema meta-check can both report one bad keyword.
    key: tuple[str, ...] = (file, pointer, str(best.validator))
    if best.validator in _PER_FIELD:
        key += (message,)
    diagnostic = Diagnostic(Severity.ERROR, "openapi-schema", location, message, _hint(best, spec))
    return diagnostic, key


def _pattern_rule(error: ValidationError) -> str | None:
    """A `pattern` that Python's `re` rejects is not wrong: patterns are ECMA-262."""
    if error.validator == "format" and error.validator_value == "regex":
        return "unsupported-pattern"
    return None


def _lenient_rule(error: ValidationError) -> str | None:
    """Validator checks stricter than OpenAPI: repeated enum values, undefined required names."""
    if isinstance(error, ExtraParametersError) and str(error.message).startswith("Required list"):
        return "required-undefined"
    path = error.absolute_path
    if error.validator == "uniqueItems" and path and path[-1] == "enum":
        return "duplicate-enum-value"
    if error.validator == "minProperties" and path and path[-1] == "responses":
        return "no-responses"
    if str(error.message).startswith("Unknown JSON Schema dialect"):
        return "unknown-dialect"
    if len(path) > 1 and path[-1] in _CONSTRAINTS and path[-2] not in NAME_MAPS:
        return "unchecked-constraint"
    return None


def _named(message: str) -> list[object]:
    """The list at the end of a validator message: `... properties: ['a', 'b']`."""
    try:
        found = ast.literal_eval(message[message.index("[") :])
    except (ValueError, SyntaxError):
        return [message]
    return list(found) if isinstance(found, list) else [found]


def _data_rule(parts: list[str | int]) -> str | None:
    """The warning rule when the path goes through a literal `example`/`default` value."""
    for index, part in enumerate(parts):
        if not isinstance(part, str) or part not in _DATA_KEYWORDS:
            continue
        parent = parts[index - 1] if index > 0 else None
        grandparent = parts[index - 2] if index > 1 else None
        if parent in NAME_MAPS or grandparent == "variables":
            continue  # a name (`responses/default`), or a server variable's default
        return _DATA_KEYWORDS[part]
    return None


_HINTS = {
    "required": "add the missing field",
    "additionalProperties": "remove or rename the field; custom fields must start with 'x-'",
    "unevaluatedProperties": "remove or rename the field; custom fields must start with 'x-'",
    "type": "change the value to the expected type",
    "enum": "use one of the allowed values",
    "const": "use the allowed value",
    "minProperties": "add at least one entry",
    "minItems": "add at least one item",
    "pattern": "change the value to match the pattern",
    "format": "fix the value's format",
}


def _hint(error: ValidationError, spec: LoadedSpec) -> str:
    extra = unexpected_fields(error)
    close = known_field_like(error, extra[0]) if extra else None
    if close:
        return f"did you mean '{close}'? Custom fields must start with 'x-'"
    found = _HINTS.get(str(error.validator))
    if found:
        return found
    version = spec.data.get("openapi") if isinstance(spec.data, dict) else None
    return f"see what this object may contain in the OpenAPI {version} specification"
