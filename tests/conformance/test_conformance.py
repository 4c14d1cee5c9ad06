"""Prism accepts every request the generated SDK sends, and the SDK parses every answer.

Runs the harness on specs/router.yaml (the golden target) and on small feature specs
from ../shared when present. Skipped, with the reason, when Node.js/npm are absent;
`make test` installs Prism into .prism/ first. Big specs run with `make conformance`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import Report, run_spec
from tests.conformance.prism import ensure_prism, missing_tools
from tests.conftest import ROOT, shared_path


@pytest.fixture(scope="module", autouse=True)
def prism() -> None:
    """Prism installed (or the module skipped with the reason)."""
    reason = missing_tools()
    if reason is not None:
        pytest.skip(reason)
    ensure_prism()


def _run(spec: Path) -> tuple[Report, str]:
    lines: list[str] = []
    report = run_spec(spec, echo=lines.append)
    return report, "\n".join(lines)


def test_router_spec_every_request_accepted_and_parsed() -> None:
    report, text = _run(ROOT / "specs" / "router.yaml")
    assert not report.failed, text
    by_path = {o.label.split()[1]: o for o in report.outcomes}
    assert len(report.outcomes) == 11, text
    edits = by_path.pop("/v2/router/images/edits")
    # Prism cannot read the JSON `orq` part (limitation 1); without it the request passes.
    assert edits.limitation_note.startswith("Prism limitation 1"), text
    assert edits.accepted and edits.parsed, text
    assert all(o.accepted and o.parsed and not o.limitation for o in by_path.values()), text
    assert report.summary().startswith("conformance: 11 operations, 11 accepted, 11 parsed")


def test_a_request_that_breaks_the_spec_is_reported_as_rejected() -> None:
    # Negative control: the same harness must fail when the SDK sends something wrong.
    def tamper(op: Any, kwargs: dict[str, Any]) -> None:
        kwargs["limit"] = "many"  # an integer query parameter

    lines: list[str] = []
    report = run_spec(
        ROOT / "specs" / "router.yaml", echo=lines.append, only="GET /v2/files ", tamper=tamper
    )
    assert report.failed and len(report.outcomes) == 1, "\n".join(lines)
    outcome = report.outcomes[0]
    assert not outcome.accepted and "REJECTED by Prism" in outcome.failure
    assert "limit" in outcome.failure


@pytest.mark.parametrize(
    "name", ["file-uploads", "form-data", "security", "server-variables", "response-schemas"]
)
def test_feature_spec_requests_accepted(name: str) -> None:
    spec = shared_path("specs", "features", "3.0", f"{name}.json")
    report, text = _run(spec)
    assert not report.failed, text
    assert all(o.accepted or o.limitation for o in report.outcomes), text
