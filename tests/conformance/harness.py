"""Call every operation of a spec through its generated SDK against Prism, and judge it.

For each operation the harness builds arguments from the spec (examples first, else
values made from the schemas and checked by a schema validator), calls the generated
method, records the request and Prism's answer through httpx event hooks, and decides:

- accepted: Prism answered without an `sl-violations` entry of severity Error and not
  with 401/422 (both mean the request broke the spec);
- parsed: the SDK turned the answer into its documented result (or into the typed
  error of a documented error response) without an exception;
- a known Prism limitation (see limitations.py) is reported as such, never counted as
  accepted, and does not fail the run;
- a response that does not conform to the spec (a spec with invalid examples) must
  give a ResponseValidationError naming the field; that is reported, not counted as
  parsed, and does not fail the run. Anything else (a crash) fails it.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from generator.ir.build import BuildOptions, build_api
from generator.ir.nodes import Api, Group, Operation
from generator.load import LoadedSpec, load
from tests.conformance.limitations import (
    Limitation,
    crash_limitation,
    interim_only,
    known_limitation,
    spec_limitation,
    unsatisfiable,
)
from tests.conformance.prism import ROOT, PrismServer
from tests.conformance.values import BINARY, MISSING, Values

CLIENT = "Conformance"
TOKEN = {"access_token": "conformance-token", "token_type": "Bearer", "expires_in": 3600}


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


# -- generating and importing the SDK -------------------------------------------------
def package_name(spec: Path) -> str:
    """A package name unique to the spec file (several SDKs share one interpreter)."""
    slug = re.sub(r"[^a-z0-9]+", "_", spec.stem.lower()).strip("_")[:40] or "spec"
    return f"conformance_{slug}"


def generate(spec: Path, out: Path, package: str) -> None:
    """Generate the SDK for `spec` into `out` with the command line (as a user would)."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--package-name",
            package,
            "--client-name",
            CLIENT,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"sdkforge generate failed for {spec}:\n{run.stdout}{run.stderr}")


def build_ir(spec: LoadedSpec, package: str, display: str) -> Api:
    """The same IR the command line built (same names), to know every method's arguments."""
    options = BuildOptions(
        package=package,
        client_class=CLIENT,
        distribution=package.replace("_", "-"),
        sdk_version="0.1.0",
        spec_display=display,
    )
    api, _ = build_api(spec, options)
    return api


def import_sdk(out: Path, package: str) -> Any:
    """Import the generated package from `out/src` (fresh, even if imported before)."""
    source = str(out / "src")
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    if source not in sys.path:
        sys.path.insert(0, source)
    importlib.invalidate_caches()
    return importlib.import_module(package)


def group_paths(api: Api) -> dict[int, tuple[str, ...]]:
    """id(operation) -> attribute chain from the client to its group."""
    out: dict[int, tuple[str, ...]] = {}

    def walk(group: Group, chain: tuple[str, ...]) -> None:
        for op in group.operations:
            out[id(op)] = chain
        for child in group.children:
            walk(child, (*chain, child.attribute))

    walk(api.root, ())
    return out


# -- the raw spec ------------------------------------------------------------------------
class RawSpec:
    """The spec's raw operations and their parameter/body/response schemas."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.values = Values(spec)

    def deref(self, value: Any, file: str) -> tuple[Any, str]:
        """Follow `$ref`s of any object."""
        return self.values.resolve(value, file)

    def operation(self, op: Operation) -> tuple[dict[str, Any], dict[str, Any], str]:
        """(operation object, path item, file) of an IR operation."""
        root = self.spec.root_key
        item, file = self.deref(self.spec.data["paths"][op.path], root)
        return item[op.http_method.lower()], item, file

    def parameters(self, op: Operation) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """(name, in) -> (parameter object, file), operation level winning."""
        raw, item, file = self.operation(op)
        found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner in (item, raw):
            for value in owner.get("parameters") or ():
                param, param_file = self.deref(value, file)
                if isinstance(param, dict) and "name" in param:
                    found[(str(param["name"]), str(param.get("in")))] = (param, param_file)
        return found

    def request_media(self, op: Operation, content_type: str) -> tuple[dict[str, Any], str]:
        """The media type object of the request body for `content_type`."""
        raw, _, file = self.operation(op)
        body, body_file = self.deref(raw.get("requestBody"), file)
        content = body.get("content") if isinstance(body, dict) else None
        media = content.get(content_type) if isinstance(content, dict) else None
        return (media if isinstance(media, dict) else {}), body_file

    def response_schema(self, op: Operation, status: int, media: str) -> tuple[Any, str] | None:
        """The schema documented for a status code and media type (None: undocumented)."""
        raw, _, file = self.operation(op)
        responses = raw.get("responses") or {}
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                response, response_file = self.deref(responses[key], file)
                content = response.get("content") if isinstance(response, dict) else None
                if not isinstance(content, dict):
                    return None
                entry = content.get(media) or next(iter(content.values()), None)
                if isinstance(entry, dict) and "schema" in entry:
                    return entry["schema"], response_file
                return None
        return None


def examples_of(holder: dict[str, Any]) -> tuple[Any, ...]:
    """`example` and every `examples[*].value` of a parameter or media type object."""
    found = [holder["example"]] if "example" in holder else []
    examples = holder.get("examples")
    if isinstance(examples, dict):
        found.extend(e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e)
    return tuple(found)


# -- arguments ---------------------------------------------------------------------------
def arguments(raw: RawSpec, op: Operation) -> tuple[dict[str, Any], list[str]]:
    """Keyword arguments for the method of `op`, and why some could not be built."""
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    params = raw.parameters(op)
    for argument in op.arguments:
        if argument.source not in ("path", "query", "header", "cookie"):
            continue
        param, file = params[(argument.wire_name, argument.source)]
        schema, holders = param.get("schema"), [param]
        content = param.get("content")
        if schema is None and isinstance(content, dict) and content:
            media = content[sorted(content)[0]] or {}
            schema, holders = media.get("schema"), [param, media]
        examples = tuple(e for h in holders for e in examples_of(h))
        if argument.source == "header":
            examples = tuple(e for e in examples if _header_safe(e))
        value, why = raw.values.value_for(schema, file, examples, text_first=True)
        if value is MISSING:
            if argument.required:
                problems.append(f"{argument.source} parameter {argument.wire_name}: {why[0]}")
            continue
        kwargs[argument.name] = value
    if op.body is not None:
        problems.extend(_body_arguments(raw, op, kwargs))
    return kwargs, problems


def _as_file(value: Any) -> Any:
    """File contents: the spec's examples give them as text, the SDK takes bytes."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, list):
        return [_as_file(v) for v in value]
    return value


def _header_safe(value: Any) -> bool:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text.isascii() and text.isprintable()


def _body_arguments(raw: RawSpec, op: Operation, kwargs: dict[str, Any]) -> list[str]:
    assert op.body is not None
    body_args = [a for a in op.arguments if a.source in ("body", "body-field")]
    if op.body.kind == "binary":
        kwargs[body_args[0].name] = BINARY
        return []
    media, file = raw.request_media(op, op.body.content_type)
    value, why = raw.values.value_for(media.get("schema"), file, examples_of(media))
    if value is MISSING:
        needed = op.body.required or any(a.required for a in body_args)
        return [f"request body: {why[0]}"] if needed else []
    if op.body.kind == "text" and not isinstance(value, str):
        value = json.dumps(value)
    if not op.body.flattened:
        kwargs[body_args[0].name] = value
        return []
    if not isinstance(value, dict):
        return [f"request body: expected an object, built {value!r:.80}"]
    for name in op.body.files:
        if name in value:
            value[name] = _as_file(value[name])
    for argument in body_args:
        if argument.wire_name in value:
            kwargs[argument.name] = value[argument.wire_name]
    return []


# -- credentials ---------------------------------------------------------------------------
def credentials(api: Api) -> dict[str, Any]:
    """A dummy credential for every constructor argument of every security scheme."""
    out: dict[str, Any] = {}
    for scheme in api.security:
        for argument in scheme.arguments:
            out[argument] = "conformance" if scheme.kind == "basic" else "conformance-token"
    return out


def token_mounts(api: Api) -> dict[str, httpx.BaseTransport]:
    """Stand-in token endpoints for OAuth2 client-credentials schemes (Prism has none)."""
    mounts: dict[str, httpx.BaseTransport] = {}
    for scheme in api.security:
        if scheme.kind == "oauth2" and scheme.token_url.startswith(("http://", "https://")):
            origin = httpx.URL(scheme.token_url)
            key = f"{origin.scheme}://{origin.host}"
            mounts[key] = httpx.MockTransport(lambda request: httpx.Response(200, json=TOKEN))
    return mounts


# -- calling -------------------------------------------------------------------------------
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
        try:
            found = json.loads(text)
        except ValueError:
            return [{"severity": "Error", "message": f"unreadable sl-violations: {text[:200]}"}]
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


@dataclass
class Context:
    """What every call needs: the SDK, its client, the raw spec, Prism and the recorder."""

    sdk: Any
    client: Any
    raw: RawSpec
    prism: PrismServer
    exchange: Exchange
    # Changes the arguments before a call: a negative control that the oracle can fail.
    tamper: Callable[[Operation, dict[str, Any]], None] | None = None


def call_operation(context: Context, chain: tuple[str, ...], op: Operation) -> Outcome:
    """Call one operation and judge the exchange."""
    outcome = Outcome(f"{op.http_method:6} {op.path}  {'.'.join((*chain, op.method_name))}")
    kwargs, problems = arguments(context.raw, op)
    if problems:
        outcome.skipped = "not called: no value the spec accepts could be built: " + "; ".join(
            problems
        )
        return outcome
    if context.tamper is not None:
        context.tamper(op, kwargs)
    target = context.client
    for attribute in chain:
        target = getattr(target, attribute)
    method = getattr(target, op.method_name)
    if op.servers:  # the operation's own servers; Prism serves them all
        kwargs["server_url"] = context.prism.url
    if op.streaming == "flag":  # the plain variant; Prism cannot render event streams
        kwargs[op.stream_flag] = False
    outcome, limitation = _call(context, op, method, kwargs, outcome)
    if limitation is not None and limitation.culprits:
        outcome = _without_culprits(context, op, method, kwargs, outcome, limitation)
    elif limitation is not None and limitation.reason.startswith("Prism limitation 4"):
        outcome = _single_items(context, op, method, kwargs, outcome, limitation)
    return outcome


def _single_items(
    context: Context,
    op: Operation,
    method: Callable[..., Any],
    kwargs: dict[str, Any],
    first: Outcome,
    limitation: Limitation,
) -> Outcome:
    """Call again with one item per path array (no ',' for Prism to trip over)."""
    names = {a.name for a in op.arguments if a.source == "path"}
    shortened = {
        k: (v[:1] if k in names and isinstance(v, list) and len(v) > 1 else v)
        for k, v in kwargs.items()
    }
    if shortened == kwargs:
        return first
    second, again = _call(context, op, method, shortened, Outcome(first.label))
    if again is not None or not second.accepted:
        return first
    second.detail = f"accepted with one item per path array; with more: {limitation.reason}"
    second.limitation_note = limitation.reason
    return second


def _call(
    context: Context,
    op: Operation,
    method: Callable[..., Any],
    kwargs: dict[str, Any],
    outcome: Outcome,
) -> tuple[Outcome, Limitation | None]:
    exchange = context.exchange
    exchange.requests.clear()
    exchange.responses.clear()
    try:
        result: Any = consume(method(**kwargs))
        error: BaseException | None = None
    except Exception as caught:  # judged below: a documented error, a clear error or a crash
        result, error = None, caught
    interim = interim_only(op)
    if exchange.last is None and interim is not None and not context.prism.died(0.5):
        outcome.limitation = interim.reason
        return outcome, interim
    if exchange.last is None and context.prism.died():
        log = context.prism.log_tail(80)
        request = exchange.requests[-1] if exchange.requests else None
        limitation = crash_limitation(op, request, log) if request is not None else None
        if limitation is None:
            outcome.failure = "Prism crashed:\n" + log
        else:
            outcome.limitation = limitation.reason
        context.prism.restart()
        return outcome, limitation
    return judge(context.sdk, op, context.raw, exchange, outcome, result, error)


def _without_culprits(
    context: Context,
    op: Operation,
    method: Callable[..., Any],
    kwargs: dict[str, Any],
    first: Outcome,
    limitation: Limitation,
) -> Outcome:
    """Call again without the optional arguments Prism cannot judge; say what was left out."""
    by_wire = {
        ("body-field" if a.source == "body-field" else a.source, a.wire_name): a
        for a in op.arguments
    }
    culprits = [by_wire[c] for c in limitation.culprits if c in by_wire]
    if not culprits or any(a.required for a in culprits):
        return first
    dropped = {a.name for a in culprits}
    reduced = {k: v for k, v in kwargs.items() if k not in dropped}
    second, again = _call(context, op, method, reduced, Outcome(first.label))
    if again is not None or not second.accepted:
        return first
    left_out = ", ".join(sorted(a.wire_name for a in culprits))
    second.detail = f"accepted without the optional {left_out}; with them: {limitation.reason}"
    second.limitation_note = limitation.reason
    return second


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


# -- running a whole spec ------------------------------------------------------------------
@contextmanager
def sdk_client(sdk: Any, api: Api, base_url: str, exchange: Exchange) -> Iterator[Any]:
    """A client of the generated SDK that records every exchange with Prism."""
    http = httpx.Client(
        mounts=token_mounts(api),
        event_hooks={
            "request": [exchange.requests.append],
            "response": [exchange.responses.append],
        },
        timeout=60.0,
    )
    client = getattr(sdk, CLIENT)(
        **credentials(api), server_url=base_url, client=http, retry_config=None
    )
    try:
        yield client
    finally:
        client.close()
        http.close()


def run_spec(
    spec_path: Path,
    dynamic: bool = False,
    echo: Callable[[str], None] = print,
    only: str | None = None,
    tamper: Callable[[Operation, dict[str, Any]], None] | None = None,
) -> Report:
    """Generate, start Prism, call every operation; print one line per operation."""
    spec_path = spec_path.resolve()
    report = Report(spec_path)
    package = package_name(spec_path)
    with tempfile.TemporaryDirectory(prefix="sdkforge-conformance-") as folder:
        out = Path(folder) / "sdk"
        generate(spec_path, out, package)
        spec = load(spec_path)
        api = build_ir(spec, package, spec_path.name)
        raw = RawSpec(spec)
        sdk = import_sdk(out, package)
        chains = group_paths(api)
        exchange = Exchange()
        with (
            PrismServer(spec_path, dynamic=dynamic) as prism,
            sdk_client(sdk, api, prism.url, exchange) as client,
        ):
            context = Context(sdk, client, raw, prism, exchange, tamper)
            for group in api.groups():
                for op in group.operations:
                    if only and only not in f"{op.http_method} {op.path} {op.operation_id}":
                        continue
                    outcome = call_operation(context, chains[id(op)], op)
                    report.outcomes.append(outcome)
                    echo(outcome.line())
    echo(report.summary())
    return report
