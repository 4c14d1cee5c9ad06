"""Checks for sdkforge.yaml values: each returns a clean value or records a located problem."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .diagnostics import Diagnostic, Severity
from .load import LoadedSpec, join_pointer

_AUTHOR = re.compile(r"\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>\s]+@[^<>\s]+)>)?\s*")
_LICENSE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9.+\-]*(\s+(AND|OR|WITH)\s+[A-Za-z0-9][A-Za-z0-9.+\-]*)*"
)
_GROUP = re.compile(r"[^.\s][^.]*(\.[^.\s][^.]*)*")
_STATUS = re.compile(r"[1-5]([0-9]{2}|XX|xx)")
RETRY_KEYS = ("strategy", "backoff", "statusCodes", "retryConnectionErrors")
BACKOFF_KEYS = ("initialInterval", "maxInterval", "exponent", "maxElapsedTime")
OVERRIDE_KEYS = {
    "name": "method name used instead of the operationId",
    "group": "dotted group path, e.g. router.images",
    "ignore": "true leaves the operation out of the SDK",
    "retries": "retry policy of this operation (same shape as `retries`)",
}


class Checker:
    """Collects located `config-invalid` problems for one config file."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.problems: list[Diagnostic] = []

    def problem(self, pointer: str, message: str, hint: str) -> None:
        """Record one problem at `pointer` of the config file."""
        location = self.loaded.locate(self.loaded.root_key, pointer)
        self.problems.append(Diagnostic(Severity.ERROR, "config-invalid", location, message, hint))

    def text(
        self, value: Any, pointer: str, hint: str, pattern: re.Pattern[str] | None = None
    ) -> str | None:
        """A non-empty string (matching `pattern` when given)."""
        if (
            isinstance(value, str)
            and value.strip()
            and (pattern is None or pattern.fullmatch(value))
        ):
            return value
        self.problem(pointer, f"invalid value {value!r}", hint)
        return None

    def flag(self, value: Any, pointer: str) -> bool | None:
        """A YAML boolean."""
        if isinstance(value, bool):
            return value
        self.problem(pointer, f"expected true or false, not {value!r}", "write true or false")
        return None

    def texts(self, value: Any, pointer: str, hint: str) -> list[str] | None:
        """A list of non-empty strings."""
        if isinstance(value, list):
            clean = [self.text(v, join_pointer(pointer, i), hint) for i, v in enumerate(value)]
            return None if None in clean else [v for v in clean if v is not None]
        self.problem(pointer, "expected a list", hint)
        return None

    def mapping(self, value: Any, pointer: str, hint: str) -> dict[str, Any] | None:
        """A mapping with string keys (values are free)."""
        if isinstance(value, dict):
            return value
        self.problem(pointer, "expected a mapping (key: value lines)", hint)
        return None

    def keys(self, value: dict[str, Any], pointer: str, allowed: Any) -> bool:
        """True when every key of `value` is allowed; records each unknown key."""
        ok = True
        for key in value:
            if key not in allowed:
                hint = "allowed: " + ", ".join(sorted(allowed))
                self.problem(join_pointer(pointer, key), f"unknown key {key!r}", hint)
                ok = False
        return ok

    def authors(self, value: Any, pointer: str) -> tuple[tuple[str, str], ...] | None:
        """`Name <email>` (or a list of them) as (name, email) pairs."""
        hint = "write `Name <email@example.com>` or a list of them"
        items = value if isinstance(value, list) else [value]
        found = []
        for index, item in enumerate(items):
            where = join_pointer(pointer, index) if isinstance(value, list) else pointer
            match = _AUTHOR.fullmatch(item) if isinstance(item, str) else None
            if match is None or not (match["name"] or match["email"]):
                self.problem(where, f"invalid author {item!r}", hint)
                return None
            found.append((match["name"], match["email"] or ""))
        return tuple(found)

    def license(self, value: Any, pointer: str) -> str | None:
        """An SPDX license expression such as `MIT` or `Apache-2.0 OR MIT`."""
        return self.text(value, pointer, "use an SPDX expression, e.g. MIT or Apache-2.0", _LICENSE)

    def group(self, value: Any, pointer: str) -> str | None:
        """A dotted group path."""
        return self.text(value, pointer, "a dotted group path, e.g. router.images", _GROUP)

    def retries(self, value: Any, pointer: str) -> dict[str, Any] | None:
        """A retry policy in the `x-speakeasy-retries` shape."""
        hint = "see `retries` in docs/configuration.md"
        data = self.mapping(value, pointer, hint)
        if data is None or not self.keys(data, pointer, RETRY_KEYS):
            return None
        before = len(self.problems)
        if "strategy" in data and data["strategy"] not in ("backoff", "none"):
            self.problem(
                join_pointer(pointer, "strategy"), "strategy must be backoff or none", hint
            )
        backoff = data.get("backoff", {})
        where = join_pointer(pointer, "backoff")
        if self.mapping(backoff, where, hint) is not None and self.keys(
            backoff, where, BACKOFF_KEYS
        ):
            for key, number in backoff.items():
                if not _number(number, integer=key != "exponent"):
                    self.problem(join_pointer(where, key), f"{key} must be a positive number", hint)
        for index, code in enumerate(data.get("statusCodes", [])):
            if not _STATUS.fullmatch(str(code)):
                self.problem(
                    join_pointer(pointer, "statusCodes", index),
                    f"invalid status code {code!r}",
                    "a code such as 429 or a range such as 5XX",
                )
        if "retryConnectionErrors" in data:
            self.flag(data["retryConnectionErrors"], join_pointer(pointer, "retryConnectionErrors"))
        return data if len(self.problems) == before else None

    def overrides(self, value: Any, pointer: str) -> list[tuple[str, dict[str, Any], str]]:
        """`operations:` entries as (operationId, checked settings, pointer)."""
        data = self.mapping(value, pointer, "operationId: {name: ..., group: ...}")
        found: list[tuple[str, dict[str, Any], str]] = []
        for operation_id, settings in (data or {}).items():
            where = join_pointer(pointer, operation_id)
            entry = self.mapping(settings, where, "name, group, ignore or retries")
            if entry is None or not self.keys(entry, where, OVERRIDE_KEYS):
                continue
            checks: dict[str, Callable[[Any, str], Any]] = {
                "name": lambda v, p: self.text(v, p, OVERRIDE_KEYS["name"]),
                "group": self.group,
                "ignore": self.flag,
                "retries": self.retries,
            }
            clean = {k: checks[k](v, join_pointer(where, k)) for k, v in entry.items()}
            if None not in clean.values():
                found.append((operation_id, clean, where))
        return found


def _number(value: Any, integer: bool) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value > 0 and (not integer or isinstance(value, int))
