"""Helpers of bench/generation.py: fetching specs from npm, timing a command with the peak
memory of its whole process tree, and counting the operations a generator produced."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def npm_file(package: str, member: str, folder: Path) -> Path:
    """`member` of an npm package (fetched once with `npm pack` into `folder`)."""
    target = folder / package.replace("/", "__").replace("@", "") / member
    if target.is_file():
        return target
    if shutil.which("npm") is None:
        raise SystemExit(f"npm is needed to fetch {package}; install Node.js (npm) first")
    with tempfile.TemporaryDirectory() as temp:
        run = subprocess.run(
            ["npm", "pack", package, "--pack-destination", temp, "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise SystemExit(f"npm pack {package} failed:\n{run.stderr}")
        tarball = Path(temp) / run.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            source = archive.extractfile(f"package/{member}")
            if source is None:
                raise SystemExit(f"{package} has no {member}")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            partial.write_bytes(source.read())
            partial.replace(target)
    return target


def read_spec(path: Path) -> dict:  # type: ignore[type-arg]
    """The spec's data (JSON or YAML)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)  # type: ignore[no-any-return]
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # type: ignore[no-any-return]


def spec_operations(data: dict) -> int:  # type: ignore[type-arg]
    """Operations the spec declares (path item x HTTP method)."""
    paths = data.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    )


def ignored_operations(data: dict) -> int:  # type: ignore[type-arg]
    """Operations the spec marks `x-speakeasy-ignore: true` / `x-sdkforge-ignore: true`:
    left out of the SDK on purpose (the spec's own directive), so not missing."""
    paths = data.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
        and any(
            item[method].get(key) is True for key in ("x-speakeasy-ignore", "x-sdkforge-ignore")
        )
    )


_SDKFORGE_OP = re.compile(r"^_OP_\w+\s*(?::[^=]*)?=\s*\(?\s*Operation\(", re.MULTILINE)


def sdkforge_operations(out: Path) -> int:
    """Operations in an sdkforge SDK: its module-level `Operation(...)` descriptions."""
    return sum(
        len(_SDKFORGE_OP.findall(path.read_text(encoding="utf-8")))
        for path in out.glob("src/*/**/*.py")
    )


def opc_operations(out: Path) -> int:
    """Operations in an openapi-python-client package: one module per endpoint under api/."""
    return sum(1 for path in out.glob("*/api/*/*.py") if path.name != "__init__.py")


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stream:
                fields = stream.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


@dataclass
class Measured:
    """Wall time, peak memory of the process tree, exit code and output of one command."""

    seconds: float
    peak_bytes: int
    returncode: int
    output: str
    cpu_seconds: float = 0.0  # user + system CPU of the command and every process it waited for


def measure(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Measured:
    """Run `command`, sampling its process tree's memory every 20 ms.

    CPU time comes from RUSAGE_CHILDREN around the run (commands are measured one at a
    time, and a worker's CPU counts once its parent has waited for it), so it does not
    depend on what else runs on the machine the way wall time does.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=cwd,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_bytes(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, peak, process.returncode, output, cpu)


def edit_one_operation(source: Path, target: Path) -> str:
    """Copy a spec, changing the summary of one operation in the middle; returns its id."""
    data = read_spec(source)
    operations = [
        (path, method)
        for path, item in (data.get("paths") or {}).items()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    ]
    path, method = operations[len(operations) // 2]
    operation = data["paths"][path][method]
    operation["summary"] = str(operation.get("summary", "")) + " (edited)"
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return str(operation.get("operationId", f"{method} {path}"))
