"""The "not given" sentinel: an unset argument is never sent, unlike an explicit None."""

from __future__ import annotations

from typing import Final, TypeVar

T = TypeVar("T")


class Unset:
    """Type of UNSET, the default of optional nullable arguments."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()
