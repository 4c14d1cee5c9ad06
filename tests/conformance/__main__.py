"""`python -m tests.conformance SPEC [--dynamic]`: one line per operation, then a summary.

Exit codes: 0 every request accepted (known Prism limitations reported, not counted),
1 a request was rejected or the SDK failed, 2 usage error or Prism unavailable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.conformance.harness import run_spec
from tests.conformance.prism import PrismUnavailable, ensure_prism, missing_tools


def main(argv: list[str] | None = None) -> int:
    """Run the conformance check for one spec."""
    parser = argparse.ArgumentParser(prog="make conformance SPEC=...", description=__doc__)
    parser.add_argument("spec", type=Path, nargs="?")
    parser.add_argument(
        "--install",
        action="store_true",
        help="only install Prism into .prism/ (a no-op with a notice when Node.js is absent)",
    )
    parser.add_argument(
        "--dynamic",
        action="store_true",
        help="Prism generates responses from the schemas (for specs with invalid examples)",
    )
    parser.add_argument("--only", help="call only operations whose method, path or id contain this")
    options = parser.parse_args(argv)
    if options.install:
        return install()
    if options.spec is None:
        parser.print_usage(sys.stderr)
        return 2
    if not options.spec.is_file():
        print(f"conformance: {options.spec} is not a file", file=sys.stderr)
        return 2
    try:
        report = run_spec(options.spec, dynamic=options.dynamic, only=options.only)
    except PrismUnavailable as problem:
        print(f"conformance: Prism is not available: {problem}", file=sys.stderr)
        return 2
    return 1 if report.failed else 0


def install() -> int:
    """Install Prism when Node.js is present; say why not otherwise (not an error)."""
    reason = missing_tools()
    if reason is not None:
        print(f"prism: not installed: {reason}; the conformance tests will be skipped")
        return 0
    try:
        print(f"prism: {ensure_prism()}")
    except PrismUnavailable as problem:
        print(f"prism: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
