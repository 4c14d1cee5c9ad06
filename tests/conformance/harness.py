"""Call every operation of a spec through its generated SDK against Prism.

For each operation: build arguments from the spec (rawspec.py, values.py), call the
generated method through an httpx client that records the exchange, and judge it
(verdicts.py). A known Prism or spec limitation (limitations.py) whose culprit
arguments are optional is called again without them, and reported as such.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from generator.ir.nodes import Api, Operation
from generator.load import load
from tests.conformance.limitations import Limitation, crash_limitation, interim_only
from tests.conformance.prism import PrismServer
from tests.conformance.rawspec import RawSpec, arguments, credentials, token_mounts
from tests.conformance.sdk import CLIENT, build_ir, generate, group_paths, import_sdk, package_name
from tests.conformance.verdicts import Exchange, Outcome, Report, consume, judge


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
