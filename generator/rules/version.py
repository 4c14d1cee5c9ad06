"""The version gate: only OpenAPI 3.0.x and 3.1.x documents go further."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..load import LoadedSpec
from .base import Rule

_SUPPORTED = re.compile(r"3\.[01]\.\d+(-.+)?")


def openapi_minor(data: Any) -> str | None:
    """`"3.0"` or `"3.1"` for a supported document, None for anything else."""
    version = data.get("openapi") if isinstance(data, dict) else None
    if isinstance(version, str) and _SUPPORTED.fullmatch(version):
        return version[:3]
    return None


def _root_kind(data: Any) -> str:
    if data is None:
        return "the file is empty"
    if isinstance(data, list):
        return "the root is a list, not a mapping"
    return f"the root is a {type(data).__name__} value, not a mapping"


def check_not_openapi(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """The root must be a mapping with an `openapi` (or at least `swagger`) field."""
    data = spec.data
    if not isinstance(data, dict):
        reason = _root_kind(data)
    elif "openapi" not in data and "swagger" not in data:
        reason = "it has no 'openapi' field"
    else:
        return
    yield NOT_OPENAPI.diagnostic(
        spec,
        spec.root_key,
        "#",
        f"this is not an OpenAPI document: {reason}",
        "pass an OpenAPI 3.0 or 3.1 document, a mapping that starts with e.g. " "'openapi: 3.1.0'",
    )


def check_unsupported_version(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Swagger 2.0 and OpenAPI versions other than 3.0.x and 3.1.x are refused."""
    data = spec.data
    if not isinstance(data, dict) or openapi_minor(data) is not None:
        return
    if "openapi" not in data and "swagger" in data:
        yield UNSUPPORTED_VERSION.diagnostic(
            spec,
            spec.root_key,
            "#/swagger",
            f"Swagger {data['swagger']} is not supported, only OpenAPI 3.0 and 3.1",
            "convert it to OpenAPI 3 first, e.g. "
            "'npx swagger2openapi spec.yaml -o openapi.yaml'",
        )
    elif "openapi" in data:
        yield UNSUPPORTED_VERSION.diagnostic(
            spec, spec.root_key, "#/openapi", *_version_problem(data["openapi"])
        )


def _version_problem(version: Any) -> tuple[str, str]:
    if not isinstance(version, str):
        return (
            f'the version must be a string such as "3.1.0", not {version!r}',
            'write the full version in quotes, e.g. openapi: "3.0.3"',
        )
    return (
        f"OpenAPI {version} is not supported; sdkforge reads OpenAPI 3.0.x and 3.1.x",
        "use a 3.0.x or 3.1.x version of the document (e.g. openapi: 3.1.0)",
    )


NOT_OPENAPI = Rule("not-openapi", Severity.ERROR, check_not_openapi)
UNSUPPORTED_VERSION = Rule("unsupported-version", Severity.ERROR, check_unsupported_version)
RULES = (NOT_OPENAPI, UNSUPPORTED_VERSION)
