"""A hypothesis strategy for whole hostile OpenAPI documents, with what must hold for each.

Documents are valid OpenAPI by construction (hostility is in names and text, in deep
nesting, recursive `$ref`s and huge enums), so most of them exercise generation; the
invalid cases live in `mutations`. Each schema is drawn with a `Shape` that knows a wire
value valid for it, so the test can round-trip a value through every generated model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from . import extras, paths
from .hostile import Texts, component_names

OMIT = object()  # "no value": an optional property left out of a sample
_MAX_SAMPLE_DEPTH = 3
_SAMPLE_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
BUILDERS = {
    "union": extras.union,
    "map": extras.mapping,
    "allof": extras.all_of,
    "tagged": extras.discriminated,
    "odd": extras.odd_object,
}
KINDS = (
    "leaf",
    "leaf",
    "leaf",
    "leaf",
    "array",
    "object",
    "ref",
    "union",
    "map",
    "allof",
    "typed31",
    "tagged",
    "odd",
)
_FORMATS = ("date-time", "date", "uuid", "byte", "binary", "email", "uri", "password", "int64")


@dataclass(frozen=True)
class Sizes:
    """How big a drawn document may get (`make test` draws small ones, `make fuzz` large)."""

    components: int = 5
    paths: int = 3
    deep_levels: int = 40
    huge_enum: int = 1500
    huge_chance: float = 0.05
    recursive_all_of: bool = True  # allOf may name a component that leads back to itself


# SMALL nests past the old 255-byte module-name limit (F1, 35 levels) and lets allOf lead back
# to its own component (F5); both are fixed (tools/FINDINGS.md).
SMALL = Sizes(3, 2, 36, 300, 0.03)
LARGE = Sizes()


@dataclass
class Shape:
    """How to make a wire value for a schema: a leaf value, an array, an object or a `$ref`."""

    kind: str  # leaf | none | array | object | ref | nullable
    value: Any = None
    item: Shape | None = None
    properties: list[tuple[str, Shape, bool]] = field(default_factory=list)  # (wire, shape, in)
    target: str = ""


@dataclass
class Facts:
    """What a drawn document promises: its texts, and values its models must round-trip."""

    texts: Texts
    shapes: dict[str, Shape] = field(default_factory=dict)
    instances: list[tuple[str, Any]] = field(default_factory=list)
    enums: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    mutated: bool = False  # broken on purpose (mutations.py): no value is promised
    truncate: float | None = None  # write only this fraction of the file


def sample(shape: Shape, shapes: dict[str, Shape], depth: int = 0) -> Any:
    """A wire value for `shape` (OMIT when there is none, e.g. past the recursion depth)."""
    if shape.kind == "leaf":
        return shape.value
    if shape.kind == "nullable":
        return None if shape.value else sample(shape.item, shapes, depth)  # type: ignore[arg-type]
    if shape.kind == "array":
        item = sample(shape.item, shapes, depth + 1) if depth < _MAX_SAMPLE_DEPTH else OMIT  # type: ignore[arg-type]
        return [] if item is OMIT else [item]
    if shape.kind == "ref":
        target = shapes[shape.target]
        while target.kind == "ref":  # an alias chain is one step, however long
            target = shapes[target.target]
        if depth >= _MAX_SAMPLE_DEPTH:
            return OMIT
        return sample(target, shapes, depth + 1)
    if shape.kind == "map":
        item = sample(shape.item, shapes, depth + 1) if depth < _MAX_SAMPLE_DEPTH else OMIT  # type: ignore[arg-type]
        return {} if item is OMIT else {shape.value: item}
    if shape.kind == "allof":
        merged: dict[str, Any] = {}
        for _, part, _ in shape.properties:
            value = sample(part, shapes, depth)
            if value is OMIT:  # a `$ref` part past the depth: its required properties are missing
                return OMIT
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if shape.kind == "object":
        value = {}
        for wire, child, include in shape.properties:
            if include:
                item = sample(child, shapes, depth)
                if item is not OMIT:
                    value[wire] = item
        return value
    return OMIT


class _Builder:
    """Draws one document; keeps the texts it used and the shape of every component."""

    def __init__(self, draw: st.DrawFn, v31: bool, sizes: Sizes) -> None:
        self.draw = draw
        self.v31 = v31
        self.sizes = sizes
        self.texts = Texts(surrogates=draw(st.integers(0, 9)) == 7)  # ~1 in 10, not minimal
        self.components: list[str] = []
        self.object_components: dict[str, bool] = {}
        self.building = 0  # index of the component being drawn

    def maybe(self, probability: float = 0.5) -> bool:
        """True with about `probability`; shrinks to False (the simpler document)."""
        return self.draw(st.integers(0, 999)) >= round(1000 * (1 - probability))

    def describe(self, schema: dict[str, Any], key: str = "description") -> None:
        if self.maybe(0.6):
            schema[key] = self.texts.text(self.draw)

    def leaf(self) -> tuple[dict[str, Any], Shape, bool]:
        """A primitive schema, its shape, and whether a property of it may be required."""
        draw = self.draw
        kind = draw(st.sampled_from(("string", "enum", "integer", "number", "boolean", "format")))
        schema: dict[str, Any]
        value: Any
        if kind == "format":
            schema = {"type": "string", "format": draw(st.sampled_from(_FORMATS))}
            self.describe(schema)
            return schema, Shape("none"), False
        if kind == "enum":
            schema, value = self.string_enum()
        elif kind == "string":
            schema, value = {"type": "string"}, draw(_SAMPLE_TEXT)
            if self.maybe(0.3):
                schema["default"] = self.texts.text(draw)
        elif kind == "integer":
            schema, value = {"type": "integer"}, draw(st.integers(-(2**53), 2**53))
            if self.maybe(0.2):
                schema["enum"] = sorted({value, *draw(st.lists(st.integers(-5, 5), max_size=3))})
        elif kind == "number":
            schema, value = {"type": "number"}, draw(
                st.floats(allow_nan=False, allow_infinity=False)
            )
        else:
            schema, value = {"type": "boolean"}, draw(st.booleans())
        if self.maybe(0.3):
            schema["example"] = self.texts.text(draw) if kind == "string" else value
        self.describe(schema)
        return schema, Shape("leaf", value), True

    def string_enum(self) -> tuple[dict[str, Any], str]:
        draw = self.draw
        if self.maybe(self.sizes.huge_chance):  # a huge enum
            base = self.texts.text(draw, max_fragments=2)
            size = draw(st.integers(self.sizes.huge_enum // 4, self.sizes.huge_enum))
            values = [f"{base}{index}" for index in range(size)]
        else:
            values = []
            for _ in range(draw(st.integers(1, 6))):
                value = self.texts.text(draw, max_fragments=3)
                if value not in values:
                    values.append(value)
        schema: dict[str, Any] = {"type": "string", "enum": values}
        if self.maybe(0.3):
            schema["default"] = draw(st.sampled_from(values))
        return schema, draw(st.sampled_from(values))

    def schema(self, depth: int) -> tuple[dict[str, Any], Shape, bool]:
        """Any property schema: leaf, array, inline object, `$ref` (recursion) or nullable."""
        kind = self.draw(st.sampled_from(KINDS))
        if kind in BUILDERS and depth < 3:
            build = BUILDERS[kind]
            schema, shape = build(self, depth)
            return schema, shape, False
        if kind == "typed31" and self.v31:
            return (*extras.typed_31(self), True)
        if kind == "array" and depth < 6:
            item, shape, _ = self.schema(depth + 1)
            return {"type": "array", "items": item}, Shape("array", item=shape), True
        if kind == "object" and depth < 3:
            return (*self.object(depth + 1), True)
        if kind == "ref" and self.components:
            name = self.draw(st.sampled_from(self.components))
            return {"$ref": f"#/components/schemas/{name}"}, Shape("ref", target=name), False
        schema, shape, required = self.leaf()
        if self.maybe(0.25):
            schema, shape = self.nullable(schema, shape)
        return schema, shape, required

    def nullable(self, schema: dict[str, Any], shape: Shape) -> tuple[dict[str, Any], Shape]:
        if self.v31:
            schema = {**schema, "type": [schema["type"], "null"]}
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        else:
            schema = {**schema, "nullable": True}
        return schema, Shape("nullable", self.maybe(), item=shape)

    def object(self, depth: int) -> tuple[dict[str, Any], Shape]:
        """An object schema with hostile property names (collisions included)."""
        properties: dict[str, Any] = {}
        shape = Shape("object")
        required = []
        for _ in range(self.draw(st.integers(0, 5))):
            name = self.texts.name(self.draw)
            if name in properties:
                continue
            schema, child, can_require = self.schema(depth)
            properties[name] = schema
            samplable = child.kind != "none"
            is_required = can_require and samplable and self.maybe(0.4)
            if is_required:
                required.append(name)
            shape.properties.append((name, child, is_required or (samplable and self.maybe())))
        schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        self.describe(schema)
        if self.maybe(0.2):
            schema["title"] = self.texts.text(self.draw, max_fragments=2)
        return schema, shape

    def deep(self, levels: int) -> tuple[dict[str, Any], Shape]:
        """Inline objects nested `levels` deep, one optional property each."""
        schema: dict[str, Any] = {"type": "string"}
        shape = Shape("leaf", "bottom")
        for level in range(levels):
            key = f"level{level}"
            schema = {"type": "object", "properties": {key: schema}}
            shape = Shape("object", properties=[(key, shape, True)])
        return schema, shape


def _components(b: _Builder, facts: Facts) -> dict[str, Any]:
    names = b.draw(
        st.lists(component_names(), min_size=1, max_size=b.sizes.components, unique=True)
    )
    b.components = names
    kinds = [
        b.draw(st.sampled_from(("object", "object", "object", "enum", "deep", "chain")))
        for _ in names
    ]
    b.object_components = {name: kind != "enum" for name, kind in zip(names, kinds, strict=True)}
    schemas: dict[str, Any] = {}
    for index, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        b.building = index
        pointer = f"#/components/schemas/{name}"
        if kind == "enum":
            schema, value = b.string_enum()
            schemas[name] = schema
            facts.enums.append((pointer, tuple(schema["enum"])))
            facts.shapes[name] = Shape("leaf", value)
            continue
        if kind == "deep":
            schema, shape = b.deep(b.draw(st.integers(4, b.sizes.deep_levels)))
        else:
            schema, shape = b.object(0)
        if kind == "chain":  # Name -> Name.1 -> ... -> the object: aliases of aliases
            links = [f"{name}.{index}" for index in range(1, b.draw(st.integers(2, 12)))]
            links = [link for link in links if link not in names]
            for here, there in zip([name, *links], [*links, None], strict=True):
                target = there if there is not None else None
                schemas[here] = {"$ref": f"#/components/schemas/{target}"} if target else schema
                facts.shapes[here] = Shape("ref", target=target) if target else shape
            continue
        schemas[name] = schema
        facts.shapes[name] = shape
    for name in [*names, *(n for n in schemas if n not in names)]:
        if facts.shapes[name].kind == "object" and facts.shapes[name].properties:
            value = sample(facts.shapes[name], facts.shapes)
            facts.instances.append((f"#/components/schemas/{name}", value))
    return schemas


@st.composite
def documents(
    draw: st.DrawFn, sizes: Sizes = SMALL, version: str | None = None
) -> tuple[dict[str, Any], Facts]:
    """A hostile but valid OpenAPI 3.0/3.1 document (`version`, or either), and its facts."""
    version = version or draw(st.sampled_from(("3.0.3", "3.1.0")))
    v31 = version.startswith("3.1")
    b = _Builder(draw, v31, sizes)
    facts = Facts(b.texts)
    components: dict[str, Any] = {"schemas": _components(b, facts)}
    info: dict[str, Any] = {"title": b.texts.text(draw, 3), "version": b.texts.text(draw, 1)}
    b.describe(info)
    document: dict[str, Any] = {"openapi": version, "info": info}
    servers = paths.servers(b)
    if servers:
        document["servers"] = servers
    document["paths"] = paths.paths(b)
    if b.maybe(0.7):
        document["security"] = paths.security(b, components)
    document["components"] = components
    if v31 and b.maybe(0.2):
        document["webhooks"] = extras.webhooks(b)
    if b.maybe(0.3):
        document["tags"] = [{"name": b.texts.name(draw), "description": b.texts.text(draw)}]
    return document, facts
