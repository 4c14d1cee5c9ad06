"""A generated SDK starts cheaply: importing it and building a client load no resource
group, no model and no asyncio (each is loaded on first use)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import GENERATED

PROBE = """
import json, sys
import orq_sdk
client = orq_sdk.Orq(api_key="k", server_url="http://127.0.0.1:9")
after_client = sorted(sys.modules)
client.files  # the first use of a group loads it (and the models it needs)
print(json.dumps({"after_client": after_client, "after_group": sorted(sys.modules)}))
"""


def test_import_and_client_construction_load_nothing_lazy() -> None:
    source = GENERATED / "orq" / "src"
    run = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(source)!r})\n{PROBE}"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(run.stdout.strip().splitlines()[-1])
    early = loaded["after_client"]
    assert [m for m in early if m.startswith(("orq_sdk.resources.", "orq_sdk.models"))] == []
    assert "asyncio" not in early
    later = loaded["after_group"]
    assert "orq_sdk.resources.files" in later  # the probe itself would notice eager loading
