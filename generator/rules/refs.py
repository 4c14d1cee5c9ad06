"""unresolved-ref: every `$ref` must resolve; ref-cycle: a chain of `$ref`s must end.

A `$ref` whose target is itself only a `$ref` is an alias; a chain of aliases that comes
back to where it started (`A -> B -> A`) or goes on for more than MAX_REF_HOPS names no
schema at all, and later stages would chase it forever.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity, SpecError
from ..load import LoadedSpec, Resolved, split_pointer
from .base import Rule
from .messages import quoted
from .walk import RefSite, spec_index

MAX_REF_HOPS = 64


def check(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """One error per `$ref` that `LoadedSpec.resolve` cannot follow, at the `$ref` itself."""
    for site in spec_index(spec).refs:
        if site.target is None:
            given = quoted(site.ref) in site.problem
            message = site.problem if given else f"{quoted(site.ref)}: {site.problem}"
            yield RULE.diagnostic(spec, site.file, site.pointer, message, _hint(spec, site))


def _hint(spec: LoadedSpec, site: RefSite) -> str:
    address, _, fragment = site.ref.partition("#")
    if "://" in address:
        return "save a copy inside the spec's folder and $ref it by a relative path"
    if "leaves the spec's folder" in site.problem:
        return "move the file into the spec's folder (or below it) and refer to it from there"
    if site.problem == "file does not exist":
        return "check the file name; it is relative to the file that holds this $ref"
    if address and "does not exist:" not in site.problem:
        return "make the referenced file a readable UTF-8 YAML or JSON document"
    tokens = split_pointer(fragment)
    if len(tokens) > 1 and tokens[0] == "components":
        hint = f"check the name under components/{tokens[1]}"
    else:
        hint = "check the JSON pointer after '#' (names are case-sensitive; '/' in a name is ~1)"
    close = _closest_name(spec, site, tokens)
    return f"{hint}; did you mean '{close}'?" if close else hint


def _closest_name(spec: LoadedSpec, site: RefSite, tokens: list[str]) -> str | None:
    """The existing name most like the first token of the pointer that is not there."""
    try:
        value = spec.document(spec.target_file(site.ref, site.file)).data
    except (ValueError, OSError, SpecError):
        return None
    for token in tokens:
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            names = [str(name) for name in value] if isinstance(value, dict) else []
            close = difflib.get_close_matches(token, names, n=1, cutoff=0.6)
            return close[0] if close else None
    return None


def check_cycles(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """One error per `$ref` whose chain of `$ref`-only targets loops or never ends."""
    for site in spec_index(spec).refs:
        if site.target is None:
            continue
        problem = _chain_problem(spec, site.target)
        if problem is not None:
            yield CYCLE.diagnostic(
                spec,
                site.file,
                site.pointer,
                f"{quoted(site.ref)} {problem}",
                "point the $ref at the real definition",
            )


def _chain_problem(spec: LoadedSpec, target: Resolved) -> str | None:
    """Why following `$ref`-only targets from `target` never ends (None: it ends)."""
    seen = [(target.file, target.pointer)]
    current = target
    while isinstance(current.value, dict) and isinstance(current.value.get("$ref"), str):
        if len(seen) > MAX_REF_HOPS:
            return f"starts a chain of more than {MAX_REF_HOPS} $refs (the limit)"
        try:
            current = spec.resolve(current.value["$ref"], current.file)
        except (ValueError, OSError, SpecError):
            return None  # unresolved-ref reports the broken link
        here = (current.file, current.pointer)
        if here in seen:
            loop = [pointer for _, pointer in seen[seen.index(here) :]] + [here[1]]
            chain = " -> ".join(map(quoted, loop))
            return f"leads into a loop of $refs ({chain}) that never reaches a definition"
        seen.append(here)
    return None


RULE = Rule("unresolved-ref", Severity.ERROR, check)
CYCLE = Rule("ref-cycle", Severity.ERROR, check_cycles)
RULES = (RULE, CYCLE)
