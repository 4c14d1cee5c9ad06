"""docs/templates.md matches the code: its node fields exist, and its filter and block
tables list exactly the filters and blocks sdkforge has."""

from __future__ import annotations

import re

from generator.ir import nodes
from generator.render.env import builtin_templates
from generator.render.filters import FILTERS
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return DOC.split(f"## {title}" if title.startswith("Blocks") else f"### {title}", 1)[1]


def test_every_node_field_named_in_the_doc_exists() -> None:
    named = set(re.findall(r"`([A-Z][A-Za-z]+)\.([a-z_]+)(?:\(\))?`", DOC))
    assert len(named) > 40
    missing = [
        f"{node}.{attribute}"
        for node, attribute in sorted(named)
        if not node.isupper()  # `README.md` is a file, not a node
        and not hasattr(getattr(nodes, node, None), attribute)
        and attribute not in getattr(getattr(nodes, node, None), "__dataclass_fields__", {})
    ]
    assert missing == []


def test_the_filter_table_lists_exactly_the_filters() -> None:
    table = _section("Filters").split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)(?:\([^)]*\))?` \|", table, re.M))
    assert documented == set(FILTERS)


def test_the_block_table_lists_exactly_the_blocks_of_the_builtin_templates() -> None:
    table = _section("Blocks you can override").split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([^`]+)` \| `([a-z_]+)` \|", table, re.M))
    root = builtin_templates()
    actual = {
        (path.relative_to(root).as_posix(), block)
        for path in root.rglob("*.jinja")
        for block in re.findall(r"{%-? *block +([a-z_]+)", path.read_text(encoding="utf-8"))
    }
    assert documented == actual
