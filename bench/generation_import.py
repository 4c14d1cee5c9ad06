"""How fast a generated SDK starts, however big: `import <package>`, client construction and
the first call against a local server, each measured in a fresh interpreter (wall time, and
the probe process's CPU time, which does not depend on what else runs on the machine).

    .venv/bin/python bench/generation_import.py OUT PACKAGE CLIENT GROUP.METHOD [--runs 5]

e.g. GitHub's SDK from the generation benchmark:
`... .bench/generation/runs/github/sdkforge <package> <Client> meta.meta_get_zen`.
The server (loopback only) answers every request with 200 and a small JSON body. The SDK is
byte-compiled first, as `pip install` does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROBE = r"""
import sys, time, json
sys.path.insert(0, {src!r})
clocks = [(time.perf_counter(), time.process_time())]
import {package} as sdk
clocks.append((time.perf_counter(), time.process_time()))
client = sdk.{client}(server_url={url!r})
clocks.append((time.perf_counter(), time.process_time()))
group, method = {call!r}.split(".")
getattr(getattr(client, group), method)()
clocks.append((time.perf_counter(), time.process_time()))
phases = ("import", "construct", "first_call")
out = {{}}
for index, phase in enumerate(phases):
    out[phase] = clocks[index + 1][0] - clocks[index][0]
    out[phase + " (cpu)"] = clocks[index + 1][1] - clocks[index][1]
out["construct + first_call"] = clocks[3][0] - clocks[1][0]
out["construct + first_call (cpu)"] = clocks[3][1] - clocks[1][1]
print(json.dumps(out))
"""

# The floor any httpx + pydantic SDK stands on: importing both, and raw httpx's first GET.
BASELINE = r"""
import json, time
clocks = [(time.perf_counter(), time.process_time())]
import httpx
from pydantic import BaseModel
clocks.append((time.perf_counter(), time.process_time()))
with httpx.Client(base_url={url!r}) as client:
    client.get("/zen").json()
clocks.append((time.perf_counter(), time.process_time()))
out = {{}}
for index, phase in enumerate(("baseline: import httpx+pydantic", "baseline: raw httpx first GET")):
    out[phase] = clocks[index + 1][0] - clocks[index][0]
    out[phase + " (cpu)"] = clocks[index + 1][1] - clocks[index][1]
print(json.dumps(out))
"""


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        body = b'"hello"'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        """Quiet."""


def main() -> None:
    """Measure each phase `--runs` times in fresh interpreters; print the medians in ms."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="output folder of the SDK (holds src/)")
    parser.add_argument("package")
    parser.add_argument("client")
    parser.add_argument("call", help="GROUP.METHOD of an operation without required arguments")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    probe = PROBE.format(
        src=f"{args.out}/src", package=args.package, client=args.client, url=url, call=args.call
    )
    # Byte-compile first, as `pip install` does (PYTHONDONTWRITEBYTECODE may be set here).
    subprocess.run([sys.executable, "-m", "compileall", "-q", f"{args.out}/src"], check=True)
    samples: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for code in (probe, BASELINE.format(url=url)):
            run = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=False
            )
            if run.returncode != 0:
                raise SystemExit(run.stderr)
            for phase, seconds in json.loads(run.stdout.strip().splitlines()[-1]).items():
                samples.setdefault(phase, []).append(seconds)
    server.shutdown()
    for phase, values in samples.items():
        median = statistics.median(values) * 1000
        print(f"{phase:<42} median {median:7.1f} ms  (min {min(values) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
