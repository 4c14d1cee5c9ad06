"""Schema -> TypeRef, with one registry of named models and aliases.

Every `$ref` target is converted once and remembered by (file, pointer); recursion is
handled by handing out the target's name before converting it. Component schemas
claim their class names first, in sorted order, so a name never depends on which
operation happened to mention a schema first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec, join_pointer, split_pointer
from . import names
from .nodes import Alias, Field, Model
from .types import (
    NONE,
    AliasRef,
    AnyType,
    ListOf,
    LiteralOf,
    MapOf,
    ModelRef,
    Primitive,
    TupleOf,
    TypeRef,
    input_annotation,
    make_union,
    strip_none,
)

MAX_DEPTH = 64

# Class names the generated model modules import; a schema may not take them.
RESERVED_CLASSES = (
    "Any",
    "Annotated",
    "APIError",
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
    "TypeAlias",
    "TypedDict",
    "Union",
    "Unset",
    "UNSET",
    "TYPE_CHECKING",
)

STRING_FORMATS = {
    "date": "date",
    "date-time": "datetime",
    "time": "time",
    "uuid": "uuid",
    "binary": "file",
    "decimal": "decimal",
}


@dataclass(slots=True)
class _Pending:
    ref: TypeRef
    recursive: bool = False


@dataclass(slots=True)
class SchemaRegistry:
    """Converts schemas and collects the named models and aliases they produce."""

    spec: LoadedSpec
    open_enums: bool = True
    classes: names.Scope = field(default_factory=lambda: names.Scope(RESERVED_CLASSES, True))
    pages: names.Scope = field(default_factory=lambda: names.Scope((), True))
    models: dict[str, Model] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _done: dict[str, TypeRef] = field(default_factory=dict)
    _pending: dict[str, _Pending] = field(default_factory=dict)
    _component_names: dict[str, str] = field(default_factory=dict)

    # -- names -------------------------------------------------------------------------
    def claim_class(self, wanted: str) -> str:
        """A class name free together with its `TypedDict` twin."""
        candidate, counter = wanted, 1
        if wanted in RESERVED_CLASSES:
            wanted = candidate = wanted + "Model"
        while self.classes.is_taken(candidate) or self.classes.is_taken(candidate + "TypedDict"):
            counter += 1
            candidate = f"{wanted}{counter}"
        self.classes.reserve(candidate)
        self.classes.reserve(candidate + "TypedDict")
        return candidate

    def claim_page(self, class_name: str) -> str:
        """A docs page (and module) name, unique even on case-insensitive file systems."""
        return self.pages.claim(names.module_name(class_name))

    def preclaim_components(self) -> None:
        """Give every `components/schemas` entry its class name, in sorted order."""
        schemas = (self.spec.data.get("components") or {}).get("schemas") or {}
        if not isinstance(schemas, dict):
            return
        for key in sorted(schemas):
            pointer = join_pointer("#/components/schemas", key)
            self._component_names[self.spec.root_key + pointer] = self.claim_class(
                names.pascal(key)
            )

    # -- diagnostics ---------------------------------------------------------------------
    def warn(self, file: str, pointer: str, rule: str, message: str, hint: str = "") -> None:
        """Record a warning located at `pointer` in `file`."""
        location = self.spec.locate(file, pointer)
        self.diagnostics.append(Diagnostic(Severity.WARNING, rule, location, message, hint))

    def error(self, file: str, pointer: str, rule: str, message: str, hint: str = "") -> None:
        """Record an error located at `pointer` in `file`."""
        location = self.spec.locate(file, pointer)
        self.diagnostics.append(Diagnostic(Severity.ERROR, rule, location, message, hint))

    # -- conversion ----------------------------------------------------------------------
    def convert(self, schema: Any, file: str, pointer: str, hint: str, depth: int = 0) -> TypeRef:
        """TypeRef for the schema at `pointer` in `file`; inline objects are named `hint`."""
        if depth > MAX_DEPTH:
            self.warn(
                file,
                pointer,
                "schema-too-deep",
                f"schema nests deeper than {MAX_DEPTH} levels; typed as Any",
                "name the nested schema under components/schemas",
            )
            return AnyType()
        if not isinstance(schema, dict):
            return AnyType()
        if "$ref" in schema:
            target = self.resolve_ref(schema, file, pointer, hint, depth)
            if schema.get("nullable") is True:
                return make_union([target, NONE])
            return target
        return self._convert_plain(schema, file, pointer, hint, depth)

    def resolve_ref(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        """Convert the target of a `$ref` once; later references reuse the result."""
        ref = schema["$ref"]
        if not isinstance(ref, str):
            self.error(file, pointer, "unresolved-ref", "$ref must be a string")
            return AnyType()
        try:
            target = self.spec.resolve(ref, file)
        except ValueError as problem:
            self.error(
                file,
                join_pointer(pointer, "$ref"),
                "unresolved-ref",
                str(problem),
                "check the reference target",
            )
            return AnyType()
        key = target.file + target.pointer
        if key in self._done:
            return self._done[key]
        pending = self._pending.get(key)
        if pending is not None:
            pending.recursive = True
            return pending.ref
        return self._convert_target(key, target.value, target.file, target.pointer, hint, depth)

    def _convert_target(
        self, key: str, schema: Any, file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        name = self._component_names.get(key) or self._target_name(file, pointer, hint)
        kind = self.classify(schema, file)
        if kind == "model":
            name = self._own_name(key, name)
            ref: TypeRef = ModelRef(name, self.claim_page(name))
            self._pending[key] = _Pending(ref)
            self._done[key] = self.build_model(name, schema, file, pointer, depth, ref)
            del self._pending[key]
            return self._done[key]
        name = self._own_name(key, name)
        page = self.claim_page(name)
        twin = None if "enum" in schema else f"{name}TypedDict"
        self._pending[key] = _Pending(AliasRef(name, page, twin))
        converted = self._convert_plain(schema, file, pointer, name, depth + 1, named=True)
        pending = self._pending.pop(key)
        if pending.recursive or kind == "alias":
            converted = self.add_alias(name, converted, schema, file, pointer, page)
        self._done[key] = converted
        return converted

    def classify(self, schema: Any, file: str) -> str:
        """'model' for object schemas with properties, 'alias' for enums/unions, else 'inline'."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return "inline"
        if "enum" in schema or (
            ("oneOf" in schema or "anyOf" in schema) and not _has_object_shape(schema)
        ):
            return "alias"
        if _has_object_shape(schema):
            return "model"
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and any(self._is_object(p, file, 0) for p in all_of):
            return "model"
        return "inline"

    def _is_object(self, part: Any, file: str, depth: int) -> bool:
        if not isinstance(part, dict) or depth > MAX_DEPTH:
            return False
        if "$ref" in part:
            try:
                target = self.spec.resolve(str(part["$ref"]), file)
            except ValueError:
                return False
            return self._is_object(target.value, target.file, depth + 1)
        if _has_object_shape(part) or part.get("type") == "object":
            return True
        parts = part.get("allOf")
        return isinstance(parts, list) and any(self._is_object(p, file, depth + 1) for p in parts)

    def _own_name(self, key: str, name: str) -> str:
        return name if key in self._component_names else self.claim_class(name)

    def _target_name(self, file: str, pointer: str, hint: str) -> str:
        tokens = split_pointer(pointer)
        if len(tokens) >= 3 and tokens[0] == "components" and tokens[1] == "schemas":
            return names.pascal("_".join(tokens[2:]))
        if len(tokens) >= 2 and tokens[-2] in ("$defs", "definitions"):
            return names.pascal(tokens[-1])
        if not tokens:
            stem = file.rsplit("/", 1)[-1].split(".", 1)[0]
            return names.pascal(stem)
        return hint

    def add_alias(
        self,
        name: str,
        target: TypeRef,
        schema: Any,
        file: str,
        pointer: str,
        page: str | None = None,
    ) -> TypeRef:
        """Register a named alias for `target` and return its reference."""
        if isinstance(target, AliasRef | ModelRef) and target.name != name:
            return target
        page = page or self.claim_page(name)
        inner, _ = strip_none(target)
        values = inner.values if isinstance(inner, LiteralOf) else ()
        is_open = bool(values) and self.open_enums and not isinstance(target, AliasRef)
        twin = None if values else f"{name}TypedDict"
        alias = Alias(
            name=name,
            module=page,
            type=target,
            description=describe(schema),
            location=self.spec.locate(file, pointer),
            enum_values=values,
            open_enum=is_open and all(isinstance(v, str) for v in values if v is not None),
            input_name=twin,
            input_type=input_annotation(target) if twin else None,
        )
        self.aliases[name] = alias
        return AliasRef(name, page, twin)

    def _convert_plain(
        self,
        schema: dict[str, Any],
        file: str,
        pointer: str,
        hint: str,
        depth: int,
        named: bool = False,
    ) -> TypeRef:
        nullable = schema.get("nullable") is True
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            types = [t for t in types if t != "null"]
            types = types[0] if len(types) == 1 else (types or None)
        result = self._shape(schema, types, file, pointer, hint, depth, named)
        if nullable and result != NONE:
            return make_union([result, NONE])
        return result

    def _shape(
        self,
        schema: dict[str, Any],
        types: Any,
        file: str,
        pointer: str,
        hint: str,
        depth: int,
        named: bool,
    ) -> TypeRef:
        if "const" in schema and _is_scalar(schema["const"]):
            return LiteralOf((schema["const"],))
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema, file, pointer, hint, named)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list) and not _has_object_shape(schema):
                return self._union(schema, keyword, file, pointer, hint, depth, named)
        if self.classify(schema, file) == "model":
            return self._inline_model(schema, file, pointer, hint, depth)
        if isinstance(schema.get("allOf"), list):
            return self._all_of_scalar(schema, file, pointer, hint, depth)
        if isinstance(types, list):
            options = [self._typed(schema, t, file, pointer, hint, depth) for t in types]
            return make_union(options)
        return self._typed(schema, types, file, pointer, hint, depth)

    def _typed(
        self, schema: dict[str, Any], kind: Any, file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        if kind == "string":
            return Primitive(STRING_FORMATS.get(str(schema.get("format")), "str"))
        if kind == "integer":
            return Primitive("int")
        if kind == "number":
            return Primitive("float")
        if kind == "boolean":
            return Primitive("bool")
        if kind == "null":
            return NONE
        if kind == "array" or (kind is None and ("items" in schema or "prefixItems" in schema)):
            return self._array(schema, file, pointer, hint, depth)
        if kind == "object" or (kind is None and "additionalProperties" in schema):
            return self._map(schema, file, pointer, hint, depth)
        return AnyType()

    def _array(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and prefix:
            items = tuple(
                self.convert(
                    item, file, join_pointer(pointer, "prefixItems", i), f"{hint}{i + 1}", depth + 1
                )
                for i, item in enumerate(prefix)
            )
            return TupleOf(items)
        items_schema = schema.get("items")
        if items_schema is None or isinstance(items_schema, bool):
            return ListOf(AnyType())
        return ListOf(
            self.convert(items_schema, file, join_pointer(pointer, "items"), hint, depth + 1)
        )

    def _map(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            value = self.convert(
                extra,
                file,
                join_pointer(pointer, "additionalProperties"),
                hint + "Value",
                depth + 1,
            )
            return MapOf(value)
        return MapOf(AnyType())

    def _enum(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, named: bool
    ) -> TypeRef:
        values = list(schema["enum"])
        if not all(_is_scalar(v) for v in values):
            return self._typed(schema, schema.get("type"), file, pointer, hint, 0)
        unique: list[Any] = []
        for value in values:
            if not any(value == u and type(value) is type(u) for u in unique):
                unique.append(value)
        nullable = None in unique
        literal = LiteralOf(tuple(v for v in unique if v is not None))
        if not literal.values:
            return NONE
        if named:
            return make_union([literal, NONE]) if nullable else literal
        name = self.claim_class(hint)
        alias = self.add_alias(name, literal, schema, file, pointer)
        return make_union([alias, NONE]) if nullable else alias

    def _union(
        self,
        schema: dict[str, Any],
        keyword: str,
        file: str,
        pointer: str,
        hint: str,
        depth: int,
        named: bool,
    ) -> TypeRef:
        options: list[TypeRef] = []
        for index, option in enumerate(schema[keyword]):
            option_hint = hint + _option_suffix(option, index)
            options.append(
                self.convert(
                    option, file, join_pointer(pointer, keyword, index), option_hint, depth + 1
                )
            )
        return make_union(options)

    def _all_of_scalar(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        parts = [p for p in schema["allOf"] if isinstance(p, dict)]
        converted = [
            self.convert(part, file, join_pointer(pointer, "allOf", i), hint, depth + 1)
            for i, part in enumerate(parts)
        ]
        meaningful = [t for t in converted if not isinstance(t, AnyType)]
        return meaningful[0] if meaningful else AnyType()

    def _inline_model(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        name = self.claim_class(hint)
        ref = ModelRef(name, self.claim_page(name))
        return self.build_model(name, schema, file, pointer, depth, ref)

    def build_model(
        self, name: str, schema: dict[str, Any], file: str, pointer: str, depth: int, ref: TypeRef
    ) -> TypeRef:
        """Build (and register) the model `name` from an object schema."""
        from .objects import object_model

        self.models[name] = object_model(self, name, ref, schema, file, pointer, depth)
        return ref

    def field_type(self, prop: Any, file: str, pointer: str, hint: str, depth: int) -> TypeRef:
        """TypeRef of one property schema (named after its model and property)."""
        return self.convert(prop, file, pointer, hint, depth + 1)

    def field_for(
        self, model: str, wire: str, prop: Any, required: bool, file: str, pointer: str, depth: int
    ) -> Field:
        """A model field with everything docs and templates need."""
        from .objects import make_field

        return make_field(self, model, wire, prop, required, file, pointer, depth)


def _has_object_shape(schema: dict[str, Any]) -> bool:
    props = schema.get("properties")
    return isinstance(props, dict) and bool(props)


def _is_scalar(value: Any) -> bool:
    return value is None or (isinstance(value, str | int | bool) and not isinstance(value, float))


def _option_suffix(option: Any, index: int) -> str:
    if isinstance(option, dict) and isinstance(option.get("title"), str) and option["title"]:
        return names.pascal(option["title"])
    return f"Option{index + 1}"


def describe(schema: Any) -> str:
    """The description (or title) of a schema, as plain text."""
    if not isinstance(schema, dict):
        return ""
    text = schema.get("description") or schema.get("title") or ""
    return text if isinstance(text, str) else str(text)
