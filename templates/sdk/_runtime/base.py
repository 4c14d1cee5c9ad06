"""Base class of every generated model."""

from __future__ import annotations

from typing import Any

import pydantic


class SDKModel(pydantic.BaseModel):
    """A generated model: fields by Python name or wire name, unknown wire fields kept.

    `model_dump(exclude_unset=True)` (what the SDK sends) leaves out fields you never
    set, so "not given" and an explicit `None` stay different on the wire.
    """

    model_config = pydantic.ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
        protected_namespaces=(),
        arbitrary_types_allowed=True,
        defer_build=True,
    )


def is_none(value: Any) -> bool:
    """`exclude_if` of optional, non-nullable fields: an explicit None is not sent."""
    return value is None
