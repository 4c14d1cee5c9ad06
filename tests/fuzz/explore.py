"""Explore without stopping: `python -m tests.fuzz.explore N [--large|--broken|--black|--seed S]`.

Runs the property on N random documents, catches every failure and prints each distinct
one (by exception type and first line) once, with the smallest document that showed it
saved under .hypothesis/explore/. A tool for triage; the tests are test_hostile_specs.py.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import traceback
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from .documents import LARGE, SMALL, documents
from .mutations import mutated_documents
from .property import check_document

OUT = Path(".hypothesis") / "explore"


def _signature(error: BaseException) -> str:
    first = (str(error).strip().splitlines() or [""])[0]
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/generator/" in f.filename]
    where = f" @ {frames[-1].filename.split('/generator/')[-1]}:{frames[-1].name}" if frames else ""
    first = re.sub(r"fuzz_sdk_\d+", "fuzz_sdk_N", first)
    first = re.sub(r"/tmp/[\w./-]+", "/tmp/...", first)
    return f"{type(error).__name__}: {first[:160]}{where}"


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser()
    parser.add_argument("examples", type=int)
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--black", action="store_true")
    parser.add_argument("--broken", action="store_true", help="mutated (broken) documents")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    outcomes: dict[str, int] = {}

    sizes = LARGE if args.large else SMALL
    strategy = mutated_documents(sizes) if args.broken else documents(sizes)

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy, st.booleans())
    def run(drawn: Any, as_yaml: bool) -> None:
        document, facts = drawn
        try:
            outcome = check_document(document, facts, as_yaml, args.black)
        except Exception as error:  # explore: record and go on
            key = _signature(error)
            size = len(json.dumps(document))
            if key not in found or size < found[key][0]:
                found[key] = (size, document)
            outcome = "FAILED " + key
            if found[key][1] is document:
                print(f"--- {key}\n{traceback.format_exc()[-3000:]}", flush=True)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    run()
    print(f"seed {args.seed}")
    for outcome, number in sorted(outcomes.items(), key=lambda item: -item[1]):
        print(f"{number:5d}  {outcome}")
    for index, (key, (_, document)) in enumerate(sorted(found.items())):
        path = OUT / f"failure-{index}.json"
        path.write_text(json.dumps(document, ensure_ascii=True, indent=1), encoding="utf-8")
        print(f"{path}: {key}")


if __name__ == "__main__":
    main()
