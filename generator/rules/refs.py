"""unresolved-ref: every `$ref`, in the root and in the files it reaches, must resolve."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity, SpecError
from ..load import LoadedSpec, split_pointer
from .base import Rule
from .walk import RefSite, spec_index


def check(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """One error per `$ref` that `LoadedSpec.resolve` cannot follow, at the `$ref` itself."""
    for site in spec_index(spec).refs:
        if site.target is None:
            message = site.problem if site.ref in site.problem else f"'{site.ref}': {site.problem}"
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


RULE = Rule("unresolved-ref", Severity.ERROR, check)
RULES = (RULE,)
