"""Stage 3, build: walk the spec into the frozen intermediate model (`Api`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostic
from ..load import LoadedSpec, join_pointer
from ..text import py_literal
from . import names
from .groups import build_groups, group_path, parse_group, wanted_method
from .imports import with_imports
from .modules import plan_modules
from .nodes import Api, Argument, Operation, Response, Server
from .operations import (
    METHODS,
    RawOperation,
    build_arguments,
    collect_parameters,
    resolve_object,
)
from .pagination import with_pagination
from .requests import build_body
from .responses import build_responses, return_annotation, with_error_classes
from .schemas import SchemaRegistry
from .security import build_security, requirements


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the config decides about the generated package."""

    package: str
    client_class: str
    distribution: str
    sdk_version: str
    spec_display: str
    open_enums: bool = True
    # From sdkforge.yaml: package metadata, the default retry policy, per-operation overrides.
    authors: tuple[tuple[str, str], ...] = ()
    license: str = ""
    summary: str = ""
    retries: dict[str, Any] | None = None
    overrides: tuple[OperationOverride, ...] = ()


@dataclass(frozen=True, slots=True)
class OperationOverride:
    """Config settings for one operationId: method name, group, ignore, retry policy."""

    operation_id: str
    method: str | None = None
    group: str | None = None
    ignore: bool = False
    retries: dict[str, Any] | None = None


def build_api(spec: LoadedSpec, options: BuildOptions) -> tuple[Api, list[Diagnostic]]:
    """The whole IR for a spec, and the problems found while building it."""
    reg = SchemaRegistry(spec, open_enums=options.open_enums)
    reg.classes.reserve(options.client_class)
    reg.preclaim_components()
    reg.convert_components()
    data = spec.data
    env_prefix = names.env_prefix(options.client_class)
    schemes = build_security(reg, env_prefix)
    default_security = requirements(data.get("security"))
    entries = []
    overrides = {o.operation_id: o for o in options.overrides}
    default_retries = data.get("x-sdkforge-retries", data.get("x-speakeasy-retries"))
    for raw in iter_operations(reg):
        override = overrides.get(operation_id(raw))
        if override is not None and override.ignore:
            continue
        operation = build_operation(reg, raw, default_security)
        operation = with_pagination(reg, raw.op, operation, raw.file, raw.pointer)
        entries.append(_overridden(raw, operation, override, default_retries or options.retries))
    entries, errors = with_error_classes(entries, (*reg.models, *reg.aliases))
    root = build_groups(entries, reg.classes, options.client_class)
    modules, placed = plan_modules(reg.models, reg.aliases)
    root = with_imports(root, placed)
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    api = Api(
        title=str(info.get("title") or options.client_class),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or ""),
        spec_file=options.spec_display,
        package=options.package,
        distribution=options.distribution,
        client_class=options.client_class,
        sdk_version=options.sdk_version,
        authors=options.authors,
        license=options.license,
        summary=options.summary,
        env_prefix=env_prefix,
        servers=servers_of(data.get("servers")),
        security=schemes,
        default_security=default_security,
        root=root,
        modules=modules,
        models=tuple(reg.models[n] for n in sorted(reg.models)),
        aliases=tuple(reg.aliases[n] for n in sorted(reg.aliases)),
        errors=errors,
        extras={
            "retries": _retries(data.get("x-sdkforge-retries", data.get("x-speakeasy-retries")))
        },
    )
    return api, reg.diagnostics


def _overridden(
    raw: RawOperation,
    operation: Operation,
    override: OperationOverride | None,
    default_retries: Any,
) -> tuple[tuple[str, ...], Operation]:
    """(group path, operation) after config overrides and the default retry policy."""
    path = group_path(raw.op)
    retries = operation.retries or _retries(default_retries)
    if override is not None:
        path = parse_group(override.group) if override.group is not None else path
        if override.method is not None:
            operation = replace(operation, method_name=names.method_name(override.method))
        retries = _retries(override.retries) or retries
    return path, replace(operation, retries=retries)


def iter_operations(reg: SchemaRegistry) -> list[RawOperation]:
    """Every operation of the spec, sorted by path then method; ignored ones left out."""
    spec = reg.spec
    paths = spec.data.get("paths")
    if not isinstance(paths, dict):
        return []
    found = []
    for path in sorted(paths):
        where = join_pointer("#/paths", path)
        item, item_file, item_pointer = resolve_object(reg, paths[path], spec.root_key, where)
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict) or _ignored(op):
                continue
            found.append(
                RawOperation(
                    path=str(path),
                    method=method,
                    op=op,
                    path_item=item,
                    file=item_file,
                    pointer=join_pointer(item_pointer, method),
                    item_file=item_file,
                    item_pointer=item_pointer,
                )
            )
    return found


def _ignored(op: dict[str, Any]) -> bool:
    return op.get("x-speakeasy-ignore") is True or op.get("x-sdkforge-ignore") is True


def operation_id(raw: RawOperation) -> str:
    """The operationId, or one made from the method and path when the spec has none."""
    value = raw.op.get("operationId")
    if isinstance(value, str) and value.strip():
        return value
    return f"{raw.method}_{raw.path}"


def build_operation(
    reg: SchemaRegistry, raw: RawOperation, default_security: tuple[tuple[str, ...], ...]
) -> Operation:
    """Operation node for one raw operation (its method name is final after grouping)."""
    op_id = operation_id(raw)
    op_class = names.pascal(op_id)
    body = build_body(reg, raw, op_class)
    parameters = collect_parameters(reg, raw, op_class)
    arguments, parameters_named = build_arguments(parameters, body)
    responses = build_responses(reg, raw, op_class)
    returns = return_annotation(responses)
    streaming, flag = _streaming(arguments, returns.plain, returns.stream)
    security = requirements(raw.op["security"]) if "security" in raw.op else default_security
    return Operation(
        operation_id=op_id,
        method_name=wanted_method(raw.op, op_id),
        constant="",
        http_method=raw.method.upper(),
        path=raw.path,
        summary=_text(raw.op.get("summary")),
        description=_text(raw.op.get("description")),
        parameters=parameters_named,
        body=body,
        arguments=arguments,
        responses=responses,
        return_annotation=returns.sync,
        async_return_annotation=returns.async_,
        return_doc=returns.doc,
        security=security,
        location=reg.spec.locate(raw.file, raw.pointer),
        deprecated=raw.op.get("deprecated") is True,
        streaming=streaming,
        stream_flag=flag,
        stream_return=returns.stream,
        async_stream_return=returns.async_stream,
        plain_return=returns.plain,
        plain_accept=_plain_accept(responses),
        doc_text=method_doc(raw.op, arguments, returns.doc),
        retries=_retries(raw.op.get("x-sdkforge-retries", raw.op.get("x-speakeasy-retries"))),
        servers=servers_of(raw.op.get("servers") or raw.path_item.get("servers")),
        tags=tuple(str(t) for t in raw.op.get("tags") or () if isinstance(t, str)),
    )


def _streaming(arguments: tuple[Argument, ...], plain: str, stream: str) -> tuple[str, str]:
    """'flag' when a boolean `stream` body field picks SSE, 'always' for SSE only, else 'none'."""
    if not stream:
        return "none", ""
    if plain == "None":
        return "always", ""
    for argument in arguments:
        if (
            argument.source == "body-field"
            and argument.wire_name == "stream"
            and (argument.annotation.startswith("bool"))
        ):
            return "flag", argument.name
    return "none", ""


def _plain_accept(responses: tuple[Response, ...]) -> str:
    types = [
        r.content_type for r in responses if not r.is_error and r.kind != "sse" and r.content_type
    ]
    return ", ".join(dict.fromkeys(types)) or "application/json"


def method_doc(op: dict[str, Any], arguments: tuple[Argument, ...], returns: str) -> str:
    """Docstring text of a method: summary, description, arguments (before escaping)."""
    parts = [p for p in (_text(op.get("summary")), _text(op.get("description"))) if p.strip()]
    if len(parts) == 2 and parts[0].strip() == parts[1].strip():
        parts = parts[:1]
    lines = ["\n\n".join(p.strip() for p in parts) or "Call the operation."]
    if arguments:
        lines.append("\nArgs:")
        for argument in arguments:
            text = " ".join(argument.description.split()) or "See the API reference."
            lines.append(f"    {argument.name}: {text}")
        lines.append("    retries: Override the client's retry configuration for this call.")
        lines.append("    timeout_ms: Override the client's timeout for this call.")
        lines.append("    server_url: Override the server URL for this call.")
        lines.append("    http_headers: Extra headers sent with this call.")
    return "\n".join(lines)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _retries(value: Any) -> str | None:
    return py_literal(value) if isinstance(value, dict) else None


def servers_of(value: Any) -> tuple[Server, ...]:
    """Servers with their variables' defaults and allowed values."""
    if not isinstance(value, list):
        return ()
    servers = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            continue
        variables = []
        for name, spec in sorted((entry.get("variables") or {}).items()):
            if isinstance(spec, dict):
                allowed = tuple(str(v) for v in spec.get("enum") or ())
                variables.append((str(name), str(spec.get("default", "")), allowed))
        servers.append(Server(entry["url"], _text(entry.get("description")), tuple(variables)))
    return tuple(servers)
