"""Verdicts: was a request accepted by Prism, and did the SDK parse the answer?

- accepted: Prism answered without an `sl-violations` entry of severity Error (or a
  422 `validation` list) and not with an undocumented 401/422;
- parsed: the SDK returned its documented result, or raised the typed error of a
  documented error response with the body parsed;
- a known limitation of Prism or of the spec (limitations.py) is reported as such and
  never counted as accepted;
- a response that does not conform to the spec must give a clear error (the
  ResponseValidationError names the field, or an APIError for an undocumented
  status); it is reported, not counted as parsed. Anything else fails the run.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from generator.ir.nodes import Operation
from tests.conformance.limitations import (
    Limitation,
    known_limitation,
    spec_limitation,
    unsatisfiable,
)
from tests.conformance.rawspec import RawSpec


@dataclass
class Outcome:
    """The verdict on one operation."""

    label: str
    accepted: bool = False
    parsed: bool = False
    status: int | None = None
    detail: str = ""
    limitation: str = ""
    limitation_note: str = ""
    invalid_response: bool = False
    skipped: str = ""
    failure: str = ""

    def line(self) -> str:
        """One line of the report."""
        if self.skipped:
            return f"SKIP  -        -        {self.label}  {self.skipped}"
        if self.limitation or self.limitation_note:
            verdict = "LIMIT"
        elif self.failure:
            verdict = "FAIL "
        else:
            verdict = "ok   "
        flags = (
            ("accepted" if self.accepted else "rejected" if not self.limitation else "limit   ")
            + " "
            + ("parsed  " if self.parsed else "invalid " if self.invalid_response else "-       ")
        )
        status = f"-> {self.status}" if self.status is not None else "-> (no response)"
        text = f"{verdict} {flags} {self.label} {status}"
        note = self.failure or self.limitation or self.detail
        return f"{text}  {note}" if note else text


@dataclass
class Report:
    """All outcomes of one run."""

    spec: Path
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when a request was rejected or the SDK crashed."""
        return any(o.failure for o in self.outcomes)

    def summary(self) -> str:
        """`conformance: N operations, A accepted, P parsed` (+ what was not)."""
        total = len(self.outcomes)
        accepted = sum(o.accepted for o in self.outcomes)
        parsed = sum(o.parsed for o in self.outcomes)
        line = f"conformance: {total} operations, {accepted} accepted, {parsed} parsed"
        extras = []
        limits = sum(bool(o.limitation) for o in self.outcomes)
        partial = sum(bool(o.limitation_note) for o in self.outcomes)
        invalid = sum(o.invalid_response for o in self.outcomes)
        failures = sum(bool(o.failure) for o in self.outcomes)
        if limits:
            extras.append(f"{limits} known limitations of Prism or the spec")
        if partial:
            extras.append(f"{partial} accepted only in a reduced form Prism can check")
        if invalid:
            extras.append(
                f"{invalid} responses not conforming to the spec (rejected with a clear error)"
            )
        skipped = sum(bool(o.skipped) for o in self.outcomes)
        if skipped:
            extras.append(f"{skipped} not called (no valid arguments could be built)")
        if failures:
            extras.append(f"{failures} failures")
        return line + (f" ({'; '.join(extras)})" if extras else "")


@dataclass
class Exchange:
    """What went over the wire for one call."""

    requests: list[httpx.Request] = field(default_factory=list)
    responses: list[httpx.Response] = field(default_factory=list)

    @property
    def last(self) -> httpx.Response | None:
        """The last response to a request sent to Prism."""
        return self.responses[-1] if self.responses else None


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's verdicts: `sl-violations` header entries, else its 422 `validation` list.

    Locations are normalised to start with "request" (the header's form).
    """
    text = response.headers.get("sl-violations")
    found: list[Any] = []
    if text:
        found = _parse_violations(text)
    elif response.status_code == 422:
        found = _body_violations(response)
    out = []
    for entry in found:
        if isinstance(entry, dict):
            location = [str(p) for p in entry.get("location", ())]
            if location[:1] not in (["request"], ["response"]):
                location.insert(0, "request")
            out.append({**entry, "location": location})
    return out


_ENTRY = re.compile(r'\{"location":\[([^\]]*)\],"severity":"(\w+)"')


def _parse_violations(text: str) -> list[Any]:
    """The header's JSON list; past ~8 KB Prism prefixes "Too many violations!" and cuts
    the list short, so then each complete entry's location and severity is read."""
    try:
        found = json.loads(text)
        return found if isinstance(found, list) else []
    except ValueError:
        pass
    entries = []
    for location, severity in _ENTRY.findall(text):
        path = [part.strip('"') for part in location.split(",") if part]
        entries.append({"location": path, "severity": severity, "message": "(truncated)"})
    if not entries:
        return [{"severity": "Error", "location": ["request"], "message": text[:200]}]
    return entries


def _body_violations(response: httpx.Response) -> list[dict[str, Any]]:
    """The `validation` list of Prism's 422 problem document."""
    try:
        response.read()
        body = response.json()
    except (ValueError, httpx.HTTPError):
        return []
    found = body.get("validation") if isinstance(body, dict) else None
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


def _errors(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if str(v.get("severity", "")).lower() == "error"]


def describe_violations(found: list[dict[str, Any]]) -> str:
    """`location: message` for each violation, joined."""
    return "; ".join(
        f"{'.'.join(str(p) for p in v.get('location', ()))}: {v.get('message')}" for v in found
    )


def consume(value: Any) -> Any:
    """Read a streamed result to its end (binary download, event stream)."""
    if hasattr(value, "read") and hasattr(value, "iter_bytes"):
        return value.read()
    if hasattr(value, "__iter__") and hasattr(value, "close") and hasattr(value, "response"):
        with value:
            return list(value)
    return value


def judge(
    sdk: Any,
    op: Operation,
    raw: RawSpec,
    exchange: Exchange,
    outcome: Outcome,
    result: Any,
    error: BaseException | None,
) -> tuple[Outcome, Limitation | None]:
    """Accepted? Parsed? A known limitation? A failure?"""
    response = exchange.last
    request = exchange.requests[-1] if exchange.requests else None
    if response is None or request is None:
        if _form_body_not_object(op, raw) and isinstance(error, TypeError):
            outcome.limitation = (
                "spec limitation S5: a form body whose schema is not an object; "
                f"the SDK refuses it clearly ({str(error)[:80]}...)"
            )
            return outcome, None
        outcome.failure = f"no response: {type(error).__name__}: {error}"
        return outcome, None
    outcome.status = response.status_code
    every = _errors(violations(response))
    found = [v for v in every if v["location"][:1] != ["response"]]
    documented = any(r.status == str(response.status_code) for r in op.responses)
    rejected = bool(found) or (response.status_code in (401, 422) and not documented)
    limitation = known_limitation(op, request, response, found)
    if limitation is not None:
        outcome.limitation = limitation.reason
        return outcome, limitation
    impossible = unsatisfiable(op, context_schemes(sdk), found)
    if rejected and impossible is None and op.body is not None:
        impossible = spec_limitation(
            op, raw.request_media(op, op.body.content_type)[0].get("schema"), found
        )
    elif rejected and impossible is None:
        impossible = spec_limitation(op, None, found)
    if rejected and impossible is not None:
        outcome.limitation = impossible.reason
        return outcome, impossible
    if rejected:
        outcome.failure = "REJECTED by Prism: " + (
            describe_violations(found) or response.text[:300]
        )
        return outcome, None
    outcome.accepted = True
    _judge_result(sdk, op, raw, response, outcome, result, error)
    if outcome.parsed and len(every) > len(found):
        outcome.detail += " (Prism notes its own response breaks the spec: " + (
            describe_violations([v for v in every if v not in found])[:200] + ")"
        )
    return outcome, None


def context_schemes(sdk: Any) -> dict[str, tuple[str, str]]:
    """Scheme key -> (location, name), read from the generated client module."""
    module = importlib.import_module(sdk.__name__ + ".client")
    return {key: (s.location_in, s.name) for key, s in module._SCHEMES.items()}


def _judge_result(
    sdk: Any,
    op: Operation,
    raw: RawSpec,
    response: httpx.Response,
    outcome: Outcome,
    result: Any,
    error: BaseException | None,
) -> None:
    """Parsed, a documented error, a clear error for a non-conforming answer, or a failure."""
    errors = sdk.errors
    if error is None:
        outcome.parsed = True
        outcome.detail = type(result).__name__
    elif isinstance(error, errors.APIError) and _documented_error(op, response.status_code):
        outcome.parsed = getattr(error, "data", None) is not None or not _has_schema(op, error)
        outcome.detail = f"{type(error).__name__} (documented error response)"
        if not outcome.parsed:
            _invalid_or_fail(op, raw, response, outcome, error)
    elif isinstance(error, errors.ResponseValidationError):
        _invalid_or_fail(op, raw, response, outcome, error)
    elif isinstance(error, errors.APIError) and not _documented(op, response.status_code):
        outcome.invalid_response = True
        outcome.detail = f"status {response.status_code} is not documented; SDK raised APIError"
    else:
        outcome.failure = f"SDK raised {type(error).__name__}: {str(error)[:300]}"


def _form_body_not_object(op: Operation, raw: RawSpec) -> bool:
    if op.body is None or op.body.kind != "form":
        return False
    media, file = raw.request_media(op, op.body.content_type)
    schema, _ = raw.deref(media.get("schema"), file)
    return isinstance(schema, dict) and schema.get("type") not in (None, "object")


def _documented(op: Operation, status: int) -> bool:
    keys = (str(status), f"{status // 100}XX", "DEFAULT")
    return any(r.status.upper() in keys for r in op.responses)


def _documented_error(op: Operation, status: int) -> bool:
    return any(r.is_error for r in op.responses) and not 200 <= status < 300


def _has_schema(op: Operation, error: Any) -> bool:
    status = str(error.status_code)
    keys = (status, f"{status[0]}XX", "DEFAULT")
    return any(r.type is not None for r in op.responses if r.status.upper() in keys)


def _invalid_or_fail(
    op: Operation, raw: RawSpec, response: httpx.Response, outcome: Outcome, error: BaseException
) -> None:
    """A non-conforming answer must give a clear error; a conforming one must parse."""
    media = response.headers.get("content-type", "").split(";")[0].strip()
    documented = raw.response_schema(op, response.status_code, media)
    problems = ["undocumented response"]
    if documented is not None:
        try:
            body = response.json()
        except ValueError:
            body = response.text
        problems = raw.values.errors(documented[0], documented[1], body, write=False)
    if problems:
        outcome.invalid_response = True
        outcome.detail = (
            f"Prism's response does not match the spec ({problems[0]}); "
            f"SDK: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
        )
        return
    outcome.failure = (
        f"SDK could not parse a conforming response: {type(error).__name__}: {str(error)[:300]}"
    )
