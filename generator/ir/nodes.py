"""The intermediate model: frozen values that say everything templates need.

Every name, type, import and doc text is decided before rendering; nodes keep their
wire names next to their Python names and their SpecLocation for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import SpecLocation
from ..text import py_str
from .names import KEYWORDS, MODEL_RESERVED
from .types import (
    NONE,
    TypeRef,
    UnionOf,
    annotation,
    doc_type,
    input_annotation,
    open_kinds,
    strip_none,
    tag_default,
    tag_rows,
    wrapper_for,
)

# Names a class-syntax TypedDict key may not take (they are used in its annotations).
_TYPED_DICT_RESERVED = MODEL_RESERVED | {"Any", "Literal", "NotRequired", "Annotated", "File"}


@dataclass(frozen=True, slots=True)
class Example:
    """A value for docs snippets: `source` is Python text, `present` says if the spec gave one."""

    source: str
    present: bool = True


@dataclass(frozen=True, slots=True)
class Field:
    """A property of a model (also used for flattened request-body arguments)."""

    name: str
    wire_name: str
    type: TypeRef
    required: bool
    nullable: bool
    description: str
    location: SpecLocation
    default_source: str | None = None
    default_value: Any = None
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    example: Any = None
    has_example: bool = False
    example_source: str = "None"
    const: bool = False

    @property
    def optional_in_model(self) -> bool:
        """True when the model attribute may be left out (write-only fields never come back)."""
        return not self.required or self.write_only

    @property
    def always_sent(self) -> bool:
        """A required `const` field: defaults to its value and is sent even when not set."""
        return self.const and not self.optional_in_model and self.default_source is not None

    @property
    def annotation(self) -> str:
        """Annotation of the model attribute."""
        base = annotation(self.type)
        if self.type == NONE:
            return base
        return f"{base} | None" if self.nullable or self.optional_in_model else base

    @property
    def default_expr(self) -> str | None:
        """Right-hand side of the attribute (None: required, no Field() needed)."""
        options = []
        if self.name != self.wire_name:
            options.append(f"alias={py_str(self.wire_name)}")
        if self.optional_in_model and not self.nullable and self.type != NONE:
            options.append("exclude_if=is_none")
        if self.optional_in_model:
            default: str | None = self.default_source or "None"
        else:
            default = self.default_source if self.always_sent else None
        if not options:
            return default
        if default is not None:
            options.insert(0, f"default={default}")
        return "Field(" + ", ".join(options) + ")"

    @property
    def doc_type(self) -> str:
        """Docs type on a model page (links relative to docs/models/)."""
        return doc_type(self.type, wrapper_for(self.required, self.nullable), "./")

    @property
    def typed_dict_annotation(self) -> str:
        """Annotation of the key in the model's TypedDict twin."""
        base = input_annotation(self.type)
        if self.nullable and self.type != NONE:
            base += " | None"
        return base if self.required else f"NotRequired[{base}]"


@dataclass(frozen=True, slots=True)
class Model:
    """A generated pydantic model and its TypedDict twin."""

    name: str
    module: str
    fields: tuple[Field, ...]
    description: str
    location: SpecLocation
    extra: str = "allow"
    extra_type: TypeRef | None = None
    bases: tuple[str, ...] = ()
    deprecated: bool = False

    @property
    def typed_dict_name(self) -> str:
        """Name of the TypedDict that mirrors this model with wire-name keys."""
        return f"{self.name}TypedDict"

    @property
    def typed_dict_functional(self) -> bool:
        """True when a wire name cannot be a class-syntax TypedDict key."""
        return any(
            not f.wire_name.isidentifier()
            or f.wire_name in KEYWORDS
            or f.wire_name in _TYPED_DICT_RESERVED
            or f.wire_name.startswith("__")
            for f in self.fields
        )


@dataclass(frozen=True, slots=True)
class Alias:
    """A named type that is not an object: an enum (Literal), union, list or map."""

    name: str
    module: str
    type: TypeRef
    description: str
    location: SpecLocation
    input_name: str | None = None
    input_type: str | None = None
    enum_values: tuple[Any, ...] = ()
    open_enum: bool = False

    @property
    def tags(self) -> tuple[tuple[str, str, str], ...]:
        """(wire tag, member class, docs page) rows of a tagged union, for its docs page."""
        return tag_rows(self.type)

    @property
    def tag_default(self) -> tuple[str, str] | None:
        """(model, docs page) that values with any other tag parse as (a base model), if any."""
        return tag_default(self.type)

    @property
    def tag_property(self) -> str:
        """Wire name of the property that tags a tagged union ('' for other aliases)."""
        inner, _ = strip_none(self.type)
        tagging = inner.discriminator if isinstance(inner, UnionOf) else None
        return tagging.property if tagging is not None else ""

    @property
    def open_kinds(self) -> tuple[str, ...]:
        """Plain types an open enum also accepts, for its docs page."""
        return open_kinds(self.type) if self.open_enum else ()


@dataclass(frozen=True, slots=True)
class Module:
    """One generated models module: the models and aliases that live in it, and its imports."""

    name: str
    models: tuple[Model, ...]
    aliases: tuple[Alias, ...]
    imports: tuple[tuple[str, tuple[str, ...]], ...]
    needs: frozenset[str]
    recursive: bool = False


@dataclass(frozen=True, slots=True)
class Parameter:
    """A path, query, header or cookie parameter of an operation."""

    name: str
    wire_name: str
    location_in: str
    type: TypeRef
    required: bool
    nullable: bool
    description: str
    style: str
    explode: bool
    allow_reserved: bool
    location: SpecLocation
    deprecated: bool = False
    example: Example = Example("None", present=False)


@dataclass(frozen=True, slots=True)
class Body:
    """The request body: how it is encoded and which arguments make it."""

    content_type: str
    kind: str  # json | multipart | form | binary | text
    type: TypeRef
    required: bool
    flattened: bool
    fields: tuple[Field, ...]
    argument: str
    description: str
    model: str | None
    encoding: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    # Docs example of a body passed whole (not flattened into arguments).
    example: Example = Example("None", present=False)
    # (property, style, explode, allowReserved) of form bodies (multipart: OpenAPI 3.1 only).
    styles: tuple[tuple[str, str, bool, bool], ...] = ()
    # Other media types the caller may pick (argument of source "content-type").
    choices: tuple[Body, ...] = ()
    # "operation": one Operation per media type; "header": a raw body, Content-Type set per call.
    choice_mode: str = ""
    choice_default: str = ""
    choice_annotation: str = ""


@dataclass(frozen=True, slots=True)
class Response:
    """One documented response: status (or range / default), content type and its type."""

    status: str
    content_type: str | None
    kind: str  # json | sse | binary | text | empty
    type: TypeRef | None
    description: str
    is_error: bool
    error_class: str | None = None
    sentinel: str | None = None


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a generated method, in signature order."""

    name: str
    wire_name: str
    source: str  # path | query | header | cookie | body | body-field
    annotation: str
    doc_type_sdk: str
    required: bool
    nullable: bool
    default: str
    description: str
    example: Example
    deprecated: bool = False
    type: TypeRef | None = None


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """A security scheme the client can apply, with its constructor arguments."""

    key: str
    kind: str  # bearer | basic | api_key | oauth2 | openid
    arguments: tuple[str, ...]
    env_vars: tuple[str, ...]
    location_in: str = "header"
    param_name: str = "Authorization"
    token_url: str = ""
    scopes: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Server:
    """A server URL with its variables' defaults."""

    url: str
    description: str
    variables: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def default_url(self) -> str:
        """The URL with every variable replaced by its default."""
        url = self.url
        for name, default, _ in self.variables:
            url = url.replace("{" + name + "}", default)
        return url


Step = str | int
"""One step of a path into a reply: an attribute (or map key) name, or a list index."""


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a paginated operation asks for the next page and where a reply keeps its items.

    kind: offset | page | cursor | url | link; `input`/`limit` are wire names of the
    inputs and `*_in` where they go (query | header | body); the step tuples are paths
    into the parsed reply by Python attribute name (see ir/pagination.py).
    """

    kind: str
    results: tuple[Step, ...]
    item_annotation: str
    item_type: TypeRef
    input: str = ""
    input_in: str = "query"
    limit: str = ""
    limit_in: str = "query"
    next_cursor: tuple[Step, ...] = ()
    next_url: tuple[Step, ...] = ()
    num_pages: tuple[Step, ...] = ()
    has_more: tuple[Step, ...] = ()

    @property
    def arguments(self) -> tuple[tuple[str, str], ...]:
        """(keyword, Python source) of the runtime Pagination's non-default arguments."""
        out = [("results", _steps_source(self.results))]
        for keyword in ("input", "input_in", "limit", "limit_in"):
            value = getattr(self, keyword)
            if value and value != "query":
                out.append((keyword, py_str(value)))
        for keyword in ("next_cursor", "next_url", "num_pages", "has_more"):
            steps = getattr(self, keyword)
            if steps:
                out.append((keyword, _steps_source(steps)))
        return tuple(out)


def _steps_source(steps: tuple[Step, ...]) -> str:
    """A tuple literal of steps."""
    items = [str(s) if isinstance(s, int) else py_str(s) for s in steps]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


@dataclass(frozen=True, slots=True)
class Operation:
    """One HTTP operation, as a method of a group."""

    operation_id: str
    method_name: str
    constant: str
    http_method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    arguments: tuple[Argument, ...]
    responses: tuple[Response, ...]
    return_annotation: str
    async_return_annotation: str
    return_doc: str
    security: tuple[tuple[str, ...], ...]
    location: SpecLocation
    deprecated: bool = False
    streaming: str = "none"  # none | always | flag
    stream_flag: str = ""
    stream_return: str = ""
    async_stream_return: str = ""
    plain_return: str = ""
    plain_accept: str = ""
    stream_accept: str = "text/event-stream"
    doc_text: str = ""
    retries: str | None = None
    servers: tuple[Server, ...] = ()
    tags: tuple[str, ...] = ()
    imports: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Paginated operations return pages (ir/pagination.py); "" when no idempotency header.
    pagination: Pagination | None = None
    idempotency_header: str = ""

    @property
    def pagination_constant(self) -> str:
        """Module constant holding the runtime Pagination of this operation."""
        return "_PAGES_" + self.constant.removeprefix("_OP_")

    @property
    def page_return(self) -> str:
        """Return annotation of a paginated sync method."""
        item = self.pagination.item_annotation if self.pagination else "Any"
        return f"Page[{self.return_annotation}, {item}]"

    @property
    def async_page_return(self) -> str:
        """Return annotation of a paginated async method."""
        item = self.pagination.item_annotation if self.pagination else "Any"
        return f"AsyncPage[{self.return_annotation}, {item}]"

    @property
    def error_rows(self) -> tuple[tuple[str, str, str], ...]:
        """(error type, status codes, content types) rows for the docs Errors table."""
        rows: dict[str, tuple[list[str], list[str]]] = {}
        for response in self.responses:
            if not response.is_error:
                continue
            name = f"errors.{response.error_class or 'APIStatusError'}"
            statuses, types = rows.setdefault(name, ([], []))
            if response.status.upper() not in statuses:
                statuses.append(response.status.upper())
            content_type = response.content_type or "*/*"
            if content_type not in types:
                types.append(content_type)
        if "errors.APIError" not in rows:
            rows["errors.APIError"] = (["4XX", "5XX"], ["*/*"])
        return tuple((name, ", ".join(s), ", ".join(t)) for name, (s, t) in rows.items())


@dataclass(frozen=True, slots=True)
class Group:
    """A resource group (`router.images.edits`): its methods and its child groups."""

    path: tuple[str, ...]
    class_name: str
    module: str
    attribute: str
    operations: tuple[Operation, ...]
    children: tuple[Group, ...]
    description: str = ""
    imports: tuple[tuple[str, tuple[str, ...]], ...] = ()
    needs: frozenset[str] = frozenset()
    # Typed error classes (the package's errors module) raised by this group's operations.
    error_imports: tuple[str, ...] = ()

    @property
    def dotted(self) -> str:
        """`router.images.edits` (empty for the root)."""
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Api:
    """Everything generated for one spec."""

    title: str
    version: str
    description: str
    spec_file: str
    package: str
    distribution: str
    client_class: str
    sdk_version: str
    env_prefix: str
    servers: tuple[Server, ...]
    security: tuple[SecurityScheme, ...]
    default_security: tuple[tuple[str, ...], ...]
    root: Group
    modules: tuple[Module, ...]
    models: tuple[Model, ...]
    aliases: tuple[Alias, ...]
    errors: tuple[tuple[str, str, str], ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)
    # Package metadata from sdkforge.yaml (pyproject.toml): (name, email) authors, SPDX license.
    authors: tuple[tuple[str, str], ...] = ()
    license: str = ""
    summary: str = ""

    def groups(self) -> tuple[Group, ...]:
        """Every group, depth first, parents before children (root included)."""
        out: list[Group] = []
        stack = [self.root]
        while stack:
            group = stack.pop()
            out.append(group)
            stack.extend(reversed(group.children))
        return tuple(out)

    def operations(self) -> tuple[Operation, ...]:
        """Every operation of every group."""
        return tuple(op for group in self.groups() for op in group.operations)
