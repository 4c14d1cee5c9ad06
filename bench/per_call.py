"""Per-call client CPU cost of the generated SDK against raw httpx and two commercial SDKs.

Every client talks to bench/stub_server.py (another process, keep-alive, loopback) and
makes the same two calls: a chat completion (JSON request, ~2 KB nested JSON reply) and
an image edit (multipart upload). Implementations:

  (a) httpx            raw httpx posting prebuilt bytes and decoding the JSON reply
  (b) httpx+pydantic   (a) plus pydantic validation of the reply (the typed floor)
  (c) sdkforge         the generated SDK of specs/router.yaml (generated/orq)
  (d) orq-ai-sdk       orq.ai's Speakeasy SDK (router.chat.completions / images.edits)
  (e) openai           OpenAI's Stainless SDK (chat.completions.create / images.edit)

Client CPU time per call is process time (this process only: the server's CPU is not
counted), measured in interleaved rounds (every implementation once per round, in a
rotating order) and reported as the median over rounds, in microseconds and as a ratio
to (a). Then `import` time and time to the first result in a fresh process, medians of
several runs, as a ratio to raw httpx + pydantic. Run it with `make bench`.

    python bench/per_call.py [--rounds N] [--calls N] [--fresh N] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated" / "orq" / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clients import IMPLEMENTATIONS, Implementation  # noqa: E402

Sync = Callable[[], Any]
Async = Callable[[], Awaitable[Any]]


@dataclass
class Scenario:
    """One row group of the table: which call, sync or async."""

    name: str
    call: str  # chat | image
    asynchronous: bool


SCENARIOS = (
    Scenario("sync  chat (JSON)", "chat", False),
    Scenario("sync  image edit (multipart)", "image", False),
    Scenario("async chat (JSON)", "chat", True),
    Scenario("async image edit (multipart)", "image", True),
)


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    """Start the stub server process; returns it and its base URL."""
    port_file = Path(tempfile.mkdtemp()) / "port"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "stub_server.py"), str(port_file)]
    )
    for _ in range(200):
        if port_file.exists() and port_file.read_text():
            return process, f"http://127.0.0.1:{port_file.read_text()}"
        time.sleep(0.05)
    process.kill()
    raise SystemExit("the stub server did not start")


def cpu_per_call_sync(function: Sync, calls: int) -> float:
    """Process CPU seconds per call over `calls` calls."""
    started = time.process_time()
    for _ in range(calls):
        function()
    return (time.process_time() - started) / calls


async def cpu_per_call_async(function: Async, calls: int) -> float:
    """Process CPU seconds per awaited call over `calls` calls."""
    started = time.process_time()
    for _ in range(calls):
        await function()
    return (time.process_time() - started) / calls


def measure(
    clients: dict[str, Implementation], scenario: Scenario, rounds: int, calls: int
) -> dict[str, float]:
    """Median CPU microseconds per call of every implementation, interleaved rounds."""
    names = list(clients)
    samples: dict[str, list[float]] = {name: [] for name in names}

    async def run_async() -> None:
        functions = {n: clients[n].function(scenario.call, True) for n in names}
        for function in functions.values():  # warm-up: connections, lazy imports, caches
            for _ in range(max(calls // 4, 5)):
                await function()
        for round_index in range(rounds):
            for offset in range(len(names)):
                name = names[(round_index + offset) % len(names)]
                samples[name].append(await cpu_per_call_async(functions[name], calls))
        for client in clients.values():
            await client.close_async()

    if scenario.asynchronous:
        asyncio.run(run_async())
    else:
        functions = {n: clients[n].function(scenario.call, False) for n in names}
        for function in functions.values():
            for _ in range(max(calls // 4, 5)):
                function()
        for round_index in range(rounds):
            for offset in range(len(names)):
                name = names[(round_index + offset) % len(names)]
                samples[name].append(cpu_per_call_sync(functions[name], calls))
    return {name: statistics.median(values) * 1e6 for name, values in samples.items()}


FRESH_SCRIPT = """
import json, sys, time
started = time.perf_counter()
sys.path[:0] = {paths!r}
from clients import fresh_first_call
imported, result = fresh_first_call({name!r}, {url!r}, started)
print(json.dumps({{"import": imported, "first": result}}))
"""


def fresh_process(name: str, url: str, runs: int) -> tuple[float, float]:
    """Median (import seconds, seconds to first result) of `runs` fresh interpreters."""
    imports, firsts = [], []
    paths = [str(ROOT / "bench"), str(ROOT / "generated" / "orq" / "src")]
    script = FRESH_SCRIPT.format(paths=paths, name=name, url=url)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        imports.append(data["import"])
        firsts.append(data["first"])
    return statistics.median(imports), statistics.median(firsts)


def print_table(results: dict[str, dict[str, float]], names: list[str]) -> None:
    """The per-call table: microseconds and ratio to raw httpx, per scenario."""
    width = max(len(n) for n in names) + 2
    print(f"\n{'client CPU per call (median)':<32}" + "".join(f"{n:>{width + 10}}" for n in names))
    for scenario, row in results.items():
        base = row.get("httpx")
        cells = []
        for name in names:
            value = row.get(name)
            if value is None:
                cells.append(f"{'-':>{width + 10}}")
                continue
            ratio = f"{value / base:.2f}x" if base else "?"
            cells.append(f"{value:>{width}.0f}us {ratio:>7}")
        print(f"{scenario:<32}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--calls", type=int, default=40, help="calls per implementation per round")
    parser.add_argument("--fresh", type=int, default=5, help="fresh processes per implementation")
    parser.add_argument("--only", default="", help="comma-separated implementations to run")
    parser.add_argument("--json", dest="json_out", default="", help="also write results here")
    args = parser.parse_args()
    wanted = [n for n in args.only.split(",") if n] or list(IMPLEMENTATIONS)
    server, url = start_server()
    try:
        clients = {}
        for name in wanted:
            try:
                clients[name] = IMPLEMENTATIONS[name](url)
            except ImportError as missing:
                print(f"skipping {name}: {missing} (run `make bench` to install it)")
        names = list(clients)
        for client in clients.values():
            client.check()
        results = {s.name: measure(clients, s, args.rounds, args.calls) for s in SCENARIOS}
        print_table(results, names)
        fresh = {name: fresh_process(name, url, args.fresh) for name in names}
        floor = fresh.get("httpx+pydantic")
        title = f"fresh process (median of {args.fresh})"
        print(f"\n{title:<32}{'import':>12}{'first result':>16}{'ratio to httpx+pydantic':>28}")
        for name, (imported, first) in fresh.items():
            ratio = f"{imported / floor[0]:.2f}x / {first / floor[1]:.2f}x" if floor else "-"
            print(f"{name:<32}{imported * 1000:>10.1f}ms{first * 1000:>14.1f}ms{ratio:>28}")
        if args.json_out:
            Path(args.json_out).write_text(
                json.dumps({"per_call_us": results, "fresh_s": fresh}, indent=2)
            )
        for client in clients.values():
            client.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
