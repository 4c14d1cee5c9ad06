"""Request values for any operation, built from the spec's own examples and schemas.

Every candidate is checked with the OpenAPI schema validator before it is used, so a
request Prism rejects points at the SDK's encoding, not at a made-up value. Candidates,
in order: the spec's example, a value with every property, one with required
properties only. Binary strings (`format: binary`) become bytes.
"""

from __future__ import annotations

import base64
import functools
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema.validators
import openapi_schema_validator as oas
import referencing
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning, NoSuchExample
from referencing.jsonschema import DRAFT202012

from generator.load import LoadedSpec

MISSING: Any = object()
MAX_DEPTH = 8
BINARY = b"sdkforge conformance \x00\x01\x02"
_FORMATS = {
    "date": "2024-01-02",
    "date-time": "2024-01-02T03:04:05Z",
    "time": "03:04:05Z",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "iri": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": base64.b64encode(b"sdkforge").decode(),
    "duration": "P1D",
    "password": "secret-1",
    "int32": "1",
    "int64": "1",
}


def _implied(keyword: str, kind: type, name: str) -> Any:
    """A keyword validator that also requires the JSON type the keyword describes."""

    def check(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Any:
        nullable = schema.get("nullable") is True and instance is None
        if "type" not in schema and not nullable and not isinstance(instance, kind):
            yield jsonschema.ValidationError(f"{instance!r:.60} is not an {name} ({keyword})")
            return
        original = validator.VALIDATORS.get(f"_sdk_{keyword}")
        if original is not None:
            yield from original(validator, value, instance, schema)

    return check


def _typed(base: Any) -> Any:
    """`base` where `properties` implies an object and `items` an array."""
    return jsonschema.validators.extend(
        base,
        {
            "_sdk_properties": base.VALIDATORS["properties"],
            "_sdk_items": base.VALIDATORS["items"],
            "properties": _implied("properties", dict, "object"),
            "items": _implied("items", list, "array"),
        },
    )


def _is_uri(value: object) -> bool:
    """RFC 3986 absolute URI (what ajv-formats, Prism's checker, requires for "uri")."""
    if not isinstance(value, str):
        return True
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    return bool(parts.scheme) and parts.scheme[0].isalpha() and " " not in value


_FORMAT_CHECKERS = {}
for _name, _checker in (("3.0", oas.oas30_format_checker), ("3.1", oas.oas31_format_checker)):
    _copy = jsonschema.FormatChecker(())
    _copy.checkers = dict(_checker.checkers)
    _copy.checks("uri")(_is_uri)
    _FORMAT_CHECKERS[_name] = _copy

_TYPED = {
    base: _typed(base)
    for base in (oas.OAS31Validator, oas.OAS30WriteValidator, oas.OAS30ReadValidator)
}


class Values:
    """Schema-driven values for one loaded spec, validated with openapi-schema-validator."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        version = str(spec.data.get("openapi", "3.0"))
        self.v31 = version.startswith("3.1")
        registry: referencing.Registry[Any] = referencing.Registry()
        for document in spec.documents():
            registry = registry.with_resource(
                self.uri(spec.key(document.path)), referencing.Resource(document.data, DRAFT202012)
            )
        self.registry = registry

    @staticmethod
    def uri(file: str) -> str:
        """The URI a file is registered under."""
        return Path(file).as_uri()

    # -- validation ----------------------------------------------------------------------
    def errors(self, schema: Any, file: str, value: Any, write: bool = True) -> list[str]:
        """Validation problems of `value` against `schema` (written in `file`).

        Beyond JSON Schema: a schema with `properties` and no `type` is taken to mean an
        object, one with `items` an array (JSON Schema would accept anything else), as
        every typed SDK reads them.
        """
        if not isinstance(schema, dict):
            return []
        if self.v31:
            validator: Any = _TYPED[oas.OAS31Validator]
            checker = _FORMAT_CHECKERS["3.1"]
        else:
            validator = _TYPED[oas.OAS30WriteValidator if write else oas.OAS30ReadValidator]
            checker = _FORMAT_CHECKERS["3.0"]
        instance = validator(
            schema,
            registry=self.registry,
            _resolver=self.registry.resolver(base_uri=self.uri(file)),
            format_checker=checker,
        )
        out = []
        for error in instance.iter_errors(_jsonable(value)):
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            out.append(f"{where}: {error.message[:200]}")
        return out

    # -- candidates ----------------------------------------------------------------------
    def value_for(
        self,
        schema: Any,
        file: str,
        examples: tuple[Any, ...] = (),
        write: bool = True,
        text_first: bool = False,
    ) -> tuple[Any, list[str]]:
        """A value that validates against `schema`, or (MISSING, problems of the last try).

        `text_first` (parameters) tries string candidates first: a parameter travels as
        text, and a oneOf of an integer and a string is matched on the text as sent.
        """
        problems: list[str] = []
        later: list[Any] = []
        for candidate in self._ordered(schema, file, examples, text_first, later):
            if candidate is MISSING:
                continue
            problems = self.errors(schema, file, candidate, write)
            if not problems:
                return candidate, []
        return MISSING, problems or ["no value could be built for this schema"]

    def _ordered(
        self, schema: Any, file: str, examples: tuple[Any, ...], text_first: bool, later: list[Any]
    ) -> Iterator[Any]:
        """Candidates, lazily; with `text_first`, non-strings after all strings."""
        for candidate in self._candidates(schema, file, examples):
            if text_first and not isinstance(candidate, str):
                later.append(candidate)
            else:
                yield candidate
        yield from later

    def _candidates(self, schema: Any, file: str, examples: tuple[Any, ...]) -> Iterator[Any]:
        yield from examples
        resolved, _ = self.resolve(schema, file)
        if isinstance(resolved, dict):
            for key in ("example", "default"):
                if key in resolved:
                    yield resolved[key]
            if self.v31 and isinstance(resolved.get("examples"), list):
                yield from resolved["examples"]
        for minimal in (False, True):
            for branch in (0, 1, 2, -1):
                yield self.build(schema, file, minimal=minimal, branch=branch)

    # -- building ------------------------------------------------------------------------
    def resolve(self, schema: Any, file: str) -> tuple[Any, str]:
        """Follow `$ref`s to the schema and the file it is written in."""
        for _ in range(32):
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            try:
                target = self.spec.resolve(str(schema["$ref"]), file)
            except ValueError:
                return {}, file
            schema, file = target.value, target.file
        return schema, file

    def build(
        self, schema: Any, file: str, minimal: bool = False, branch: int = 0, depth: int = 0
    ) -> Any:
        """A value shaped by `schema` (MISSING when none can be made at this depth)."""
        schema, file = self.resolve(schema, file)
        if not isinstance(schema, dict):
            return "value" if schema is not False else MISSING
        if depth > MAX_DEPTH:
            return MISSING
        for key in ("const",):
            if key in schema:
                return schema[key]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            # Not None, and not "" (an empty path segment addresses another resource).
            return next((v for v in enum if v not in (None, "")), enum[0])
        if "allOf" in schema:
            return self._all_of(schema, file, minimal, branch, depth)
        for key in ("oneOf", "anyOf"):
            options = [o for o in schema.get(key) or () if not _is_null(self.resolve(o, file)[0])]
            if options:
                option = options[branch % len(options)] if branch >= 0 else options[-1]
                return self.build(_merged(schema, key, option), file, minimal, branch, depth + 1)
        kind = _type(schema)
        if kind == "object":
            return self._object(schema, file, minimal, branch, depth)
        if kind == "array":
            return self._array(schema, file, minimal, branch, depth)
        if kind == "string":
            return _string(schema)
        if kind == "integer":
            return _integer(schema)
        if kind == "number":
            return _number(schema)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "value"

    def _all_of(
        self, schema: dict[str, Any], file: str, minimal: bool, branch: int, depth: int
    ) -> Any:
        merged: dict[str, Any] = {}
        objects = False
        plain = {
            k: v
            for k, v in schema.items()
            if k != "allOf" and k not in _ANNOTATIONS and not k.startswith("x-")
        }
        parts = [*schema["allOf"], plain] if plain else list(schema["allOf"])
        for part in parts:
            value = self.build(part, file, minimal, branch, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
                objects = True
            elif value is not MISSING and not objects and _constrains(part, self, file):
                return value
        return merged if objects else "value"

    def _object(
        self, schema: dict[str, Any], file: str, minimal: bool, branch: int, depth: int
    ) -> Any:
        required = set(schema.get("required") or ())
        out: dict[str, Any] = {}
        for name, sub in (schema.get("properties") or {}).items():
            resolved, _ = self.resolve(sub, file)
            if isinstance(resolved, dict) and resolved.get("readOnly") is True:
                continue
            if name not in required and (minimal or depth >= MAX_DEPTH - 2):
                continue
            value = self.build(sub, file, minimal, branch, depth + 1)
            if value is MISSING:
                if name in required:
                    return MISSING
                continue
            out[name] = value
        extra = schema.get("additionalProperties")
        for name in required - set(schema.get("properties") or {}):
            if extra is not False:  # required but not described: any value will do
                out[name] = self.build(
                    extra if isinstance(extra, dict) else {}, file, True, branch, depth + 1
                )
        wanted = int(schema.get("minProperties") or 0)
        if not out and wanted and extra is not False:
            value = self.build(
                extra if isinstance(extra, dict) else {}, file, minimal, branch, depth + 1
            )
            for index in range(wanted):
                out[f"key{index}"] = value
        return out

    def _array(
        self, schema: dict[str, Any], file: str, minimal: bool, branch: int, depth: int
    ) -> Any:
        items = schema.get("items", {})
        count = max(int(schema.get("minItems") or 0), 0 if minimal else 2)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        value = self.build(items, file, minimal, branch, depth + 1)
        if value is MISSING:
            return [] if count == 0 else MISSING
        if count > 1 and schema.get("uniqueItems"):
            return [_vary(value, index) for index in range(count)]
        return [value] * count


def _constrains(part: Any, values: Values, file: str) -> bool:
    """True when an allOf member says something about the value beyond `required`."""
    resolved, _ = values.resolve(part, file)
    return isinstance(resolved, dict) and bool(set(resolved) - {"required"} - _ANNOTATIONS)


def _type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("enum") == [None]
    )


_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "externalDocs",
        "xml",
        "readOnly",
        "writeOnly",
        "nullable",
        "discriminator",
        "$comment",
        "contentMediaType",
    }
)


def _merged(schema: dict[str, Any], key: str, option: Any) -> dict[str, Any]:
    """An option of a oneOf/anyOf, with the sibling keywords of the parent applied."""
    siblings = {
        k: v
        for k, v in schema.items()
        if k != key and k not in _ANNOTATIONS and not k.startswith("x-")
    }
    if not siblings:
        return option if isinstance(option, dict) else {}
    return {"allOf": [siblings, option]}


def _string(schema: dict[str, Any]) -> Any:
    fmt = schema.get("format")
    if fmt == "binary":
        return BINARY
    low = int(schema.get("minLength") or 0)
    high = int(schema["maxLength"]) if "maxLength" in schema else None
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        found = _from_regex(pattern, low, high)
        if found is not None:
            return found
    text = _FORMATS.get(str(fmt), "sdkforge")
    if high is not None and len(text) > high and fmt not in _FORMATS:
        text = text[:high]
    if len(text) < low:
        text += "x" * (low - len(text))
    return text


@functools.lru_cache(maxsize=4096)
def _from_regex(pattern: str, low: int, high: int | None) -> str | None:
    """The simplest string matching an (ECMAScript-ish) pattern within the length bounds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        try:
            strategy = st.from_regex(pattern, fullmatch=False)
            return str(
                find(
                    strategy,
                    lambda s: low <= len(s)
                    and (high is None or len(s) <= high)
                    and s.isprintable()
                    and s.isascii(),
                    settings=settings(
                        database=None,
                        max_examples=2000,
                        deadline=None,
                        suppress_health_check=list(HealthCheck),
                    ),
                )
            )
        except (NoSuchExample, Exception):  # a pattern Python's re cannot read
            return None


def _bounds(schema: dict[str, Any]) -> tuple[float, float]:
    low, high = -math.inf, math.inf
    if "minimum" in schema:
        low = float(schema["minimum"])
        if schema.get("exclusiveMinimum") is True:
            low += 1e-9
    if "maximum" in schema:
        high = float(schema["maximum"])
        if schema.get("exclusiveMaximum") is True:
            high -= 1e-9
    if isinstance(schema.get("exclusiveMinimum"), int | float) and not isinstance(
        schema.get("exclusiveMinimum"), bool
    ):
        low = max(low, float(schema["exclusiveMinimum"]) + 1e-9)
    if isinstance(schema.get("exclusiveMaximum"), int | float) and not isinstance(
        schema.get("exclusiveMaximum"), bool
    ):
        high = min(high, float(schema["exclusiveMaximum"]) - 1e-9)
    return low, high


def _integer(schema: dict[str, Any]) -> int:
    low, high = _bounds(schema)
    step = schema.get("multipleOf")
    step = int(step) if isinstance(step, int | float) and step >= 1 else 1
    start = 1 if low <= 1 <= high else math.ceil(low) if low > -math.inf else math.floor(high)
    value = int(start)
    if value % step:
        value += step - value % step
    return value


def _number(schema: dict[str, Any]) -> float | int:
    low, high = _bounds(schema)
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step > 0:
        base = math.ceil(max(low, 0 if high >= 0 else low) / step) * step
        return round(base, 6) if base else step
    if low <= 1.5 <= high:
        return 1.5
    return low if low > -math.inf else high


def _vary(value: Any, index: int) -> Any:
    if isinstance(value, str):
        return value if index == 0 else f"{value}{index}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value + index
    return value


def _jsonable(value: Any) -> Any:
    """Bytes (file contents) validate as strings, as they do on the wire."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
