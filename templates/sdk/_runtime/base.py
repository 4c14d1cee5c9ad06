"""Base class of every generated model, and the tag picker of discriminated unions."""

from __future__ import annotations

from collections.abc import Mapping
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


class TagPicker:
    """Discriminator of a tagged union: which member a value belongs to.

    A dict (wire data) is routed by the value of its tag property through `tags`
    (wire value -> member tag); a model instance is its own class, whose name is the
    member's tag. An unknown tag goes to `default` (a base model) when there is one;
    else `None` makes pydantic report a clear validation error.
    """

    __slots__ = ("__name__", "_default", "_property", "_tags")

    def __init__(self, property: str, tags: Mapping[str, str], default: str | None = None) -> None:
        self._property = property
        self._tags = dict(tags)
        self._default = default
        self.__name__ = f"tag_of_{property}"  # pydantic names the discriminator in errors

    def __call__(self, value: Any) -> str | None:
        if isinstance(value, Mapping):
            tag = value.get(self._property)
            return self._tags.get(tag, self._default) if isinstance(tag, str) else self._default
        if isinstance(value, pydantic.BaseModel):
            return type(value).__name__
        return None

    def __repr__(self) -> str:
        return f"TagPicker({self._property!r}, {self._tags!r}, {self._default!r})"
