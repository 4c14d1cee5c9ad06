"""Compare two SDK surfaces: every change, whether it breaks user code, and the semver bump."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ir.types import TypeRef, annotation
from .relation import NARROWER, SAME, WIDER, Context, relation
from .surface import (
    INPUT,
    OUTPUT,
    AliasSurface,
    Argument,
    Field,
    Method,
    ModelSurface,
    Surface,
)

BUMPS = ("none", "patch", "minor", "major")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the old and the new SDK."""

    kind: str
    breaking: bool
    location: str
    message: str
    bump: str = "minor"  # what this change alone needs: major, minor or patch

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: kind, breaking, location, message."""
        return {
            "kind": self.kind,
            "breaking": self.breaking,
            "location": self.location,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class DiffReport:
    """Every change between two SDKs, in a stable order."""

    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        """True when any change breaks code written against the old SDK."""
        return any(c.breaking for c in self.changes)

    @property
    def bump(self) -> str:
        """The semver bump the new SDK needs: major, minor, patch or none."""
        return max((c.bump for c in self.changes), key=BUMPS.index, default="none")

    def as_dict(self) -> dict[str, Any]:
        """`{"breaking", "bump", "changes": [...]}`, the `--format json` document."""
        return {
            "breaking": self.breaking,
            "bump": self.bump,
            "changes": [c.as_dict() for c in self.changes],
        }


class _Changes:
    """Collects changes; the bump follows from `breaking` unless given."""

    def __init__(self) -> None:
        self.items: list[Change] = []

    def add(self, kind: str, breaking: bool, location: str, message: str, bump: str = "") -> None:
        self.items.append(
            Change(kind, breaking, location, message, "major" if breaking else bump or "minor")
        )


def compare(old: Surface, new: Surface) -> DiffReport:
    """Every change from `old` to `new`, classified."""
    out = _Changes()
    renames = _renames(old, new, out)
    context = Context(
        renames,
        {n: a.full_type for n, a in old.aliases.items()},
        {n: a.full_type for n, a in new.aliases.items()},
    )
    _methods(old, new, context, out)
    _models(old, new, context, out)
    _aliases(old, new, context, out)
    return DiffReport(tuple(sorted(out.items, key=lambda c: (c.location, c.kind, c.message))))


def _renames(old: Surface, new: Surface, out: _Changes) -> dict[str, str]:
    """Models (and enums) that vanished while one with the same shape appeared: renames."""
    renames: dict[str, str] = {}
    added = {m.signature: m.name for n, m in sorted(new.models.items()) if n not in old.models}
    for name in sorted(set(old.models) - set(new.models)):
        target = added.pop(old.models[name].signature, None)
        if target is not None and old.models[name].fields:
            renames[name] = target
    added_aliases = {
        (annotation(a.type), a.values): n
        for n, a in sorted(new.aliases.items())
        if n not in old.aliases
    }
    for name in sorted(set(old.aliases) - set(new.aliases)):
        alias = old.aliases[name]
        target = added_aliases.pop((annotation(alias.type), alias.values), None)
        if target is not None:
            renames[name] = target
    for before, after in sorted(renames.items()):
        out.add(
            "model-renamed",
            True,
            f"models.{before}",
            f"model {before} is now called {after}; imports of {before} break",
        )
    return renames


def _methods(old: Surface, new: Surface, context: Context, out: _Changes) -> None:
    by_id = {m.operation_id: m for m in new.methods.values() if m.key not in old.methods}
    moved: set[str] = set()
    for key in sorted(old.methods):
        method = old.methods[key]
        if key in new.methods:
            _method(method, new.methods[key], context, out)
            continue
        target = by_id.get(method.operation_id)
        if target is None:
            out.add("operation-removed", True, key, f"method {key} ({method.http}) was removed")
            continue
        moved.add(target.key)
        same_group = key.rpartition(".")[0] == target.key.rpartition(".")[0]
        kind = "operation-renamed" if same_group else "operation-moved"
        out.add(kind, True, key, f"method {key} is now {target.key}")
        _method(method, target, context, out)
    for key in sorted(set(new.methods) - set(old.methods) - moved):
        out.add("operation-added", False, key, f"new method {key} ({new.methods[key].http})")


def _method(old: Method, new: Method, context: Context, out: _Changes) -> None:
    key = new.key
    for name in sorted(set(old.arguments) - set(new.arguments)):
        out.add("argument-removed", True, f"{key}({name})", f"argument {name} was removed")
    for name in sorted(set(new.arguments) - set(old.arguments)):
        required = new.arguments[name].required
        kind = "argument-added-required" if required else "argument-added"
        text = "a new required argument" if required else "a new optional argument"
        out.add(kind, required, f"{key}({name})", f"{name} is {text}")
    for name in sorted(set(old.arguments) & set(new.arguments)):
        before, after = old.arguments[name], new.arguments[name]
        where = f"{key}({name})"
        _presence(before, after, where, frozenset({INPUT}), out)
        _type(before.type, after.type, where, frozenset({INPUT}), context, out)
        if before.wire != after.wire:
            out.add(
                "argument-wire-changed",
                False,
                where,
                f"{name} is now sent as {after.wire} (was {before.wire})",
                "patch",
            )
    _returns(old, new, context, out)
    if new.deprecated and not old.deprecated:
        out.add("operation-deprecated", False, key, f"method {key} is deprecated")
    if old.doc != new.doc:
        out.add("docs-changed", False, key, f"the summary or description of {key} changed", "patch")


def _returns(old: Method, new: Method, context: Context, out: _Changes) -> None:
    where = f"{new.key}() -> {new.return_annotation}"
    if old.returns is not None and new.returns is not None:
        fit = relation(old.returns, new.returns, context)
    else:
        fit = SAME if old.returns == new.returns else (WIDER if old.returns is None else NARROWER)
    if fit == SAME and _shape(old.return_annotation) == _shape(new.return_annotation):
        return
    breaking = fit != NARROWER and not (old.returns is None and fit == WIDER)
    out.add(
        "response-type-changed",
        breaking,
        where,
        f"{new.key} returned {old.return_annotation}, now {new.return_annotation}",
    )


def _shape(text: str) -> str:
    """A return annotation without model names (EventStream[...], BinaryResponse, None...)."""
    return text.split("[", 1)[0] if "[" in text else ("model" if text[:1].isupper() else text)


def _presence(
    old: Argument | Field, new: Argument | Field, where: str, uses: frozenset[str], out: _Changes
) -> None:
    """Required-ness and nullability: stricter inputs and looser outputs break callers."""
    prefix = "argument" if isinstance(new, Argument) else "field"
    if old.required != new.required:
        breaking = (INPUT in uses) if new.required else (OUTPUT in uses)
        kind = "became-required" if new.required else "became-optional"
        text = "required" if new.required else "optional"
        out.add(f"{prefix}-{kind}", breaking, where, f"{where} is now {text}")
    if old.nullable != new.nullable:
        breaking = (OUTPUT in uses) if new.nullable else (INPUT in uses)
        text = "may now be null" if new.nullable else "may no longer be null"
        out.add(f"{prefix}-nullability-changed", breaking, where, f"{where} {text}")


def _type(
    old: TypeRef,
    new: TypeRef,
    where: str,
    uses: frozenset[str],
    context: Context,
    out: _Changes,
) -> None:
    """A type change: widening breaks outputs, narrowing breaks inputs."""
    fit = relation(old, new, context)
    if fit == SAME:
        return
    breaking = (INPUT in uses and fit != WIDER) or (OUTPUT in uses and fit != NARROWER)
    kind = {WIDER: "type-widened", NARROWER: "type-narrowed"}.get(fit, "type-changed")
    out.add(kind, breaking, where, f"{where} was {annotation(old)}, now {annotation(new)}")


def _uses(old: Surface, new: Surface, old_name: str, new_name: str) -> frozenset[str]:
    found = old.usage.get(old_name, frozenset()) | new.usage.get(new_name, frozenset())
    return found or frozenset({INPUT, OUTPUT})


def _models(old: Surface, new: Surface, context: Context, out: _Changes) -> None:
    for name in sorted(set(old.models) - set(new.models) - set(context.renames)):
        out.add("model-removed", True, f"models.{name}", f"model {name} was removed")
    for name in sorted(set(new.models) - set(old.models) - set(context.renames.values())):
        out.add("model-added", False, f"models.{name}", f"new model {name}")
    pairs = [(n, n) for n in sorted(set(old.models) & set(new.models))]
    pairs += [(a, b) for a, b in sorted(context.renames.items()) if a in old.models]
    for before, after in pairs:
        _model(old.models[before], new.models[after], _uses(old, new, before, after), context, out)


def _model(
    old: ModelSurface,
    new: ModelSurface,
    uses: frozenset[str],
    context: Context,
    out: _Changes,
) -> None:
    base = f"models.{new.name}"
    for name in sorted(set(old.fields) - set(new.fields)):
        out.add("field-removed", True, f"{base}.{name}", f"field {name} of {new.name} was removed")
    for name in sorted(set(new.fields) - set(old.fields)):
        required = new.fields[name].required and INPUT in uses
        kind = "field-added-required" if required else "field-added"
        out.add(kind, required, f"{base}.{name}", f"{new.name} has a new field {name}")
    for name in sorted(set(old.fields) & set(new.fields)):
        before, after = old.fields[name], new.fields[name]
        where = f"{base}.{name}"
        _presence(before, after, where, uses, out)
        _type(before.type, after.type, where, uses, context, out)
    if old.doc != new.doc:
        out.add("docs-changed", False, base, f"the description of {new.name} changed", "patch")


def _aliases(old: Surface, new: Surface, context: Context, out: _Changes) -> None:
    for name in sorted(set(old.aliases) - set(new.aliases) - set(context.renames)):
        out.add("model-removed", True, f"models.{name}", f"type {name} was removed")
    for name in sorted(set(new.aliases) - set(old.aliases) - set(context.renames.values())):
        out.add("model-added", False, f"models.{name}", f"new type {name}")
    for name in sorted(set(old.aliases) & set(new.aliases)):
        _alias(old.aliases[name], new.aliases[name], _uses(old, new, name, name), context, out)


def _alias(
    old: AliasSurface,
    new: AliasSurface,
    uses: frozenset[str],
    context: Context,
    out: _Changes,
) -> None:
    where = f"models.{new.name}"
    if not (old.values or new.values):
        _type(old.type, new.type, where, uses, context, out)
        return
    for value in [v for v in old.values if v not in new.values]:
        out.add(
            "enum-value-removed",
            INPUT in uses,
            where,
            f"{new.name} no longer has the value {value!r}",
        )
    for value in [v for v in new.values if v not in old.values]:
        closed = OUTPUT in uses and not new.open_enum
        out.add("enum-value-added", closed, where, f"{new.name} has a new value {value!r}")
    if old.open_enum and not new.open_enum:
        out.add("enum-closed", OUTPUT in uses, where, f"{new.name} no longer accepts other values")
