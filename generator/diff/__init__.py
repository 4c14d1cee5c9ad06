"""`sdkforge diff`: compare the SDK surfaces generated from two versions of a spec."""

from __future__ import annotations

from .compare import Change, DiffReport, compare
from .surface import Surface, surface_of

__all__ = ["Change", "DiffReport", "Surface", "compare", "surface_of"]
