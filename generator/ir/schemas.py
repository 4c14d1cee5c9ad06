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
from . import names, shapes, unions, variants
from .nodes import Alias, Field, Model
from .types import (
    NONE,
    AliasRef,
    AnyType,
    LiteralOf,
    ModelRef,
    TypeRef,
    input_annotation,
    make_union,
    strip_none,
)

MAX_DEPTH = 64


# Keywords that change which values are valid in ways a Python type cannot say.
UNSUPPORTED = ("if", "$dynamicRef", "$recursiveRef", "dependentSchemas")


@dataclass(slots=True)
class _Pending:
    ref: TypeRef
    recursive: bool = False


@dataclass(slots=True)
class SchemaRegistry:
    """Converts schemas and collects the named models and aliases they produce."""

    spec: LoadedSpec
    open_enums: bool = True
    classes: names.Scope = field(default_factory=lambda: names.Scope(names.RESERVED_CLASSES, True))
    pages: names.Scope = field(default_factory=lambda: names.Scope((), True))
    models: dict[str, Model] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _done: dict[str, TypeRef] = field(default_factory=dict)
    _pending: dict[str, _Pending] = field(default_factory=dict)
    _component_names: dict[str, str] = field(default_factory=dict)
    _subtypes: dict[str, list[tuple[str, str, Any]]] | None = None
    _following: set[str] = field(default_factory=set)
    _full_names: dict[str, str] = field(default_factory=dict)

    # -- names -------------------------------------------------------------------------
    def claim_class(self, wanted: str) -> str:
        """A class name free together with its `TypedDict` twin (length-capped)."""
        full, wanted = wanted, names.bounded_class(wanted)
        candidate, counter = wanted, 1
        if wanted in names.RESERVED_CLASSES:
            wanted = candidate = wanted + "Model"
        while self.classes.is_taken(candidate) or self.classes.is_taken(candidate + "TypedDict"):
            counter += 1
            candidate = f"{wanted}{counter}"
        self.classes.reserve(candidate)
        self.classes.reserve(candidate + "TypedDict")
        if full != wanted:
            self._full_names[candidate] = full
        return candidate

    def path_name(self, class_name: str) -> str:
        """The uncapped name a class was claimed for (inline names grow from it)."""
        return self._full_names.get(class_name, class_name)

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

    def convert_components(self) -> None:
        """Convert every `components/schemas` entry (sorted), so unused ones are generated too."""
        schemas = (self.spec.data.get("components") or {}).get("schemas") or {}
        if not isinstance(schemas, dict):
            return
        for key in sorted(schemas):
            pointer = join_pointer("#/components/schemas", key)
            self.convert({"$ref": pointer}, self.spec.root_key, pointer, names.pascal(key))

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
        if pointer.startswith("#/components/") and not pointer.startswith("#/components/schemas"):
            # a shared response, parameter or body: converted once, named after its component
            key = file + pointer
            if key in self._done:
                return self._done[key]
            if key in self._pending:
                return self._pending[key].ref
            return self._convert_target(key, schema, file, pointer, hint, depth)
        self._check_supported(schema, file, pointer)
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
        result = self.convert_target(target.file, target.pointer, target.value, hint, depth)
        if isinstance(result, ModelRef) and variants.is_polymorphic(target.value):
            return self._variants(target.file + target.pointer, result, target.value, target)
        return result

    def convert_target(
        self, file: str, pointer: str, value: Any, hint: str, depth: int = 0
    ) -> TypeRef:
        """The type of the schema at `pointer` in `file`, converted once (recursion-safe)."""
        key = file + pointer
        if key in self._done:
            return self._done[key]
        pending = self._pending.get(key)
        if pending is not None:
            pending.recursive = True
            return pending.ref
        return self._convert_target(key, value, file, pointer, hint, depth)

    def _variants(self, key: str, base: ModelRef, schema: dict[str, Any], at: Any) -> TypeRef:
        """A base model with a discriminator: the tagged union of it and its subtypes."""
        key += "|variants"
        if key in self._done:
            return self._done[key]
        if key in self._pending:
            self._pending[key].recursive = True
            return self._pending[key].ref
        name = self.claim_class(base.name + "Variants")
        page = self.claim_page(name)
        self._pending[key] = _Pending(AliasRef(name, page, f"{name}TypedDict"))
        union = variants.variants(self, base, schema, at.file, at.pointer)
        del self._pending[key]
        result: TypeRef = base
        if union is not None:
            result = self.add_alias(name, union, schema, at.file, at.pointer, page)
        self._done[key] = result
        return result

    def subtypes(self, base_key: str) -> list[tuple[str, str, Any]]:
        """(file, pointer, schema) of the components whose `allOf` names `base_key` directly."""
        if self._subtypes is None:
            self._subtypes = variants.subtype_index(self.spec)
        return self._subtypes.get(base_key, [])

    def _convert_target(
        self, key: str, schema: Any, file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        name = self._component_names.get(key) or self._target_name(file, pointer, hint)
        if isinstance(schema, dict) and "$ref" in schema:
            return self._reference_target(key, name, schema, file, pointer, hint, depth)
        kind = self.classify(schema, file)
        if isinstance(schema, dict):
            self._check_supported(schema, file, pointer)
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

    def _reference_target(
        self, key: str, name: str, schema: Any, file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        """A target that is itself a `$ref`: the type it leads to (a component also gets an
        alias of its own name, so `models.<Name>` exists as the spec names it)."""
        if key in self._following:
            self.warn(file, pointer, "unresolved-ref", "$ref chain loops back to itself; Any")
            return AnyType()
        self._following.add(key)
        result = self.convert(schema, file, pointer, hint, depth + 1)
        self._following.discard(key)
        if key in self._component_names and not isinstance(result, AnyType):
            self.add_alias(name, result, schema, file, pointer, force=True)
        self._done[key] = result
        return result

    def classify(self, schema: Any, file: str) -> str:
        """'model' for object schemas with properties, 'alias' for enums/unions, else 'inline'."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return "inline"
        if "enum" in schema or (
            unions.has_union(schema) and (not _has_object_shape(schema) or unions.is_tagged(schema))
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

    def location_name(self, file: str, pointer: str, hint: str) -> str:
        """Class name of a schema under `components/schemas` from its path there, else `hint`."""
        if file != self.spec.root_key or not pointer.startswith("#/components/schemas/"):
            return hint
        return self._target_name(file, pointer, hint)

    def _target_name(self, file: str, pointer: str, hint: str) -> str:
        """Class name of a `$ref` target: from its component or file location, else `hint`."""
        stem = file.rsplit("/", 1)[-1].split(".", 1)[0]
        return names.target_class(split_pointer(pointer), file != self.spec.root_key, stem, hint)

    def add_alias(
        self,
        name: str,
        target: TypeRef,
        schema: Any,
        file: str,
        pointer: str,
        page: str | None = None,
        force: bool = False,
    ) -> TypeRef:
        """Register a named alias for `target` and return its reference.

        A target that already has a name is returned as it is, unless `force` (the alias is
        then registered for users of the models package, but references keep the target).
        """
        if isinstance(target, AliasRef | ModelRef) and target.name != name:
            if not force:
                return target
            self.aliases[name] = Alias(
                name=name,
                module=page or self.claim_page(name),
                type=target,
                description=describe(schema) or f"Another name for {target.name}.",
                location=self.spec.locate(file, pointer),
            )
            return target
        page = page or self.claim_page(name)
        inner, nullable = strip_none(target)
        values = inner.values if isinstance(inner, LiteralOf) else ()
        is_open = bool(values) and self.open_enums and bool(shapes.open_type(values))
        if is_open:
            target = make_union([inner, *shapes.open_type(values), *([NONE] if nullable else [])])
        twin = None if values else f"{name}TypedDict"
        alias = Alias(
            name=name,
            module=page,
            type=target,
            description=describe(schema),
            location=self.spec.locate(file, pointer),
            enum_values=values,
            open_enum=is_open,
            input_name=twin,
            input_type=input_annotation(target) if twin else None,
        )
        self.aliases[name] = alias
        return AliasRef(name, page, twin)

    def inline_alias(
        self, hint: str, target: TypeRef, schema: Any, file: str, pointer: str
    ) -> TypeRef:
        """The alias of an inline enum or tagged union: one per location, however reached."""
        key = file + pointer + "|alias"
        if key not in self._done:
            name = self.claim_class(hint)
            self._done[key] = self.add_alias(name, target, schema, file, pointer)
        return self._done[key]

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
            types = types[0] if len(types) == 1 else (types or ("null" if nullable else None))
        result = self._shape(schema, types, file, pointer, hint, depth, named)
        if nullable and result != NONE:
            return make_union([result, NONE])
        return result

    def _check_supported(self, schema: dict[str, Any], file: str, pointer: str) -> None:
        for keyword in UNSUPPORTED:
            if keyword in schema:
                self.warn(
                    file,
                    join_pointer(pointer, keyword),
                    "unsupported-schema",
                    f"'{keyword}' is not modelled; the type is built from the other keywords",
                    "describe the alternatives with oneOf/anyOf to get precise types",
                )

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
        if "const" in schema and shapes.is_scalar(schema["const"]):
            return NONE if schema["const"] is None else LiteralOf((schema["const"],))
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return shapes.enum(self, schema, file, pointer, hint, named)
        if unions.has_union(schema) and (not _has_object_shape(schema) or unions.is_tagged(schema)):
            return unions.convert_union(self, schema, file, pointer, hint, depth, named)
        if self.classify(schema, file) == "model":
            return self._inline_model(schema, file, pointer, hint, depth)
        if isinstance(schema.get("allOf"), list):
            return shapes.all_of_scalar(self, schema, file, pointer, hint, depth)
        if isinstance(types, list):
            options = [shapes.typed(self, schema, t, file, pointer, hint, depth) for t in types]
            return make_union(options)
        return shapes.typed(self, schema, types, file, pointer, hint, depth)

    def _inline_model(
        self, schema: dict[str, Any], file: str, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        # One model per location: a property reached again through `allOf` (inherited, or
        # naming a model still being built: Node.next = allOf[Node, {...}]) reuses it.
        key = file + pointer
        if key in self._done:
            return self._done[key]
        pending = self._pending.get(key)
        if pending is not None:
            pending.recursive = True
            return pending.ref
        name = self.claim_class(hint)
        ref = ModelRef(name, self.claim_page(name))
        self._pending[key] = _Pending(ref)
        self._done[key] = self.build_model(name, schema, file, pointer, depth, ref)
        del self._pending[key]
        return ref

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


def describe(schema: Any) -> str:
    """The description (or title) of a schema, as plain text."""
    if not isinstance(schema, dict):
        return ""
    text = schema.get("description") or schema.get("title") or ""
    return text if isinstance(text, str) else str(text)
