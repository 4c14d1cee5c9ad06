"""A fast, representative slice of `make sweep` (the whole corpus runs there, not here).

Each spec: generate, compile, import and build every model, every operation present as
a sync and an async method; then one `mypy --strict` run over all of them (one run
shares the cost of checking httpx and pydantic). Skips cleanly without ../shared.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_path
from tests.sweep.corpus import read_manifest
from tests.sweep.run import mypy_packages, sweep_one

# Small specs that between them use every schema construct family of the corpus.
SUBSET = (
    "features/3.0/discriminators.json",  # discriminator with/without mapping, allOf
    "features/3.0/schema-circular.json",  # recursion, deep nesting, maps
    "features/3.1/schema-types.json",  # 3.1 type arrays, nullability, free-form objects
    "features/3.0/schema-additional-properties.json",  # typed maps, non-identifier names
    "real/nytimes.com__most_popular_api.json",  # a small real API
)


def test_representative_specs_generate_working_sdks(tmp_path: Path) -> None:
    specs = shared_path("specs")
    entries = {e.path: e for e in read_manifest(specs)}
    rows = [sweep_one(entries[p], specs, tmp_path, timeout=600, mypy=False) for p in SUBSET]
    for row in rows:
        assert row.generate == row.compiles == row.imports == "ok", f"{row}\n{row.detail}"
        assert not row.missing and row.covered == f"{row.operations}/{row.operations}", row
    sources = [(tmp_path / entries[p].slug / "src", f"sweep_{entries[p].slug}") for p in SUBSET]
    status, output = mypy_packages(sources, tmp_path / ".mypy", timeout=900)
    assert status == "ok", output
