"""Generated code is black-stable on real specs too (the golden SDK is checked in tests/sdk)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cache import Cache
from generator.config import Target
from generator.pipeline import RunSettings, run
from tests.conftest import shared_path

SAMPLE = ("nytimes.com__most_popular_api.json", "nexmo.com__sms.json", "amazonaws.com__sso.json")


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the sample: the runtime files are formatted once, not per spec."""
    return tmp_path_factory.mktemp("cache")


@pytest.mark.parametrize("name", SAMPLE)
def test_black_check_passes_on_a_generated_corpus_sdk(
    name: str, tmp_path: Path, shared_cache: Path
) -> None:
    spec = shared_path("specs", "real", name)
    out = tmp_path / "out"
    target = Target(
        name="corpus",
        spec=spec,
        output=out,
        package="corpus_sdk",
        client_class="Corpus",
        distribution="corpus-sdk",
        spec_display=name,
    )
    result = run(target, settings=RunSettings(cache=Cache(shared_cache), jobs=2))
    assert not result.failed, [d.render() for d in result.diagnostics]
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "black",
            "--check",
            "--quiet",
            "--config",
            "/dev/null",
            "--target-version",
            "py310",
            str(out / "src"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
