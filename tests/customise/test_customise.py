"""The demo team folder (tests/customise/acme) used end to end, as the README shows it:
one overridden block changes every operation's docstring and nothing else."""

from __future__ import annotations

import ast
import functools
from dataclasses import replace

from generator.config import Target, read_config
from generator.ir.nodes import Api
from generator.pipeline import Result, RunSettings, build_files
from generator.render.plan import OutputFile
from tests.conftest import ROOT

DEMO = ROOT / "tests" / "customise"
SUPPORT = "Support: https://acme.example/support/orq"


def _demo() -> Target:
    return read_config(DEMO / "sdkforge.yaml").targets[0]


@functools.cache
def built(with_templates: bool) -> tuple[dict[str, OutputFile], Api]:
    """The demo target's files and IR, with its team folder or with the built-ins only."""
    target = _demo() if with_templates else replace(_demo(), templates=())
    result = Result(target)
    files = build_files(target, result, RunSettings(formatter="none"))  # the text is what counts
    assert files is not None and result.api is not None, [d.render() for d in result.diagnostics]
    return {f.path: f for f in files}, result.api


def generated(with_templates: bool) -> dict[str, OutputFile]:
    """The demo target's files."""
    return built(with_templates)[0]


def _method_docstrings(source: str) -> dict[str, str]:
    """Docstring of every public method of every class in a module."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                function = isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                if function and not item.name.startswith("_"):
                    found[f"{node.name}.{item.name}"] = ast.get_docstring(item) or ""
    return found


def test_the_demo_config_reads_and_points_at_its_team_folder() -> None:
    target = _demo()
    assert target.templates == (DEMO / "acme",)
    assert target.template_vars["support_url"] == "https://acme.example/support/orq"
    assert target.version == "2.3.0" and target.license == "Apache-2.0"


def test_one_block_override_changes_every_operation_docstring() -> None:
    files, api = built(True)
    docstrings: dict[str, str] = {}
    for group in api.groups():
        module = "client.py" if not group.path else f"resources/{group.module}.py"
        docstrings.update(_method_docstrings(files[f"src/acme_orq/{module}"].content))
    methods = {
        f"{group.class_name}.{op.method_name}{suffix}"
        for group in api.groups()
        for op in group.operations
        for suffix in ("", "_async")
    }
    assert len(methods) == 2 * len(api.operations()) >= 2 * 10
    for name in methods:  # each ends with the support line; the rest is the built-in text
        assert docstrings[name].splitlines()[-1].startswith(SUPPORT), name
    assert "(operation listModels: GET /v2/router/models)" in docstrings["Models.list_all"]
    assert all(SUPPORT not in d for n, d in docstrings.items() if n not in methods)


def test_nothing_but_docstrings_and_the_readme_differ_from_the_builtins() -> None:
    custom, plain = generated(True), generated(False)
    assert custom.keys() == plain.keys()
    changed = sorted(p for p in custom if custom[p].content != plain[p].content)
    assert "README.md" in changed
    for path in changed:
        if path.endswith(".py"):
            ours = ast.dump(_without_docstrings(custom[path].content))
            theirs = ast.dump(_without_docstrings(plain[path].content))
            assert ours == theirs, f"{path} changed more than docstrings"


def _without_docstrings(source: str) -> ast.Module:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            body[0] = ast.Pass()
    return tree


def test_the_readme_override_replaces_one_section_and_adds_one() -> None:
    readme = generated(True)["README.md"].content
    plain = generated(False)["README.md"].content
    install = "pip install --index-url https://pypi.acme.example/simple acme-orq\n"
    support = "\n## Support\n\nQuestions about `acme-orq` go to https://acme.example/support/orq.\n"
    assert readme == plain.replace("pip install acme-orq\n", install) + support


def test_config_naming_metadata_and_retries_reach_the_output() -> None:
    files = generated(True)
    models = files["src/acme_orq/resources/models.py"].content
    assert "def list_all(" in models and "def list_models(" not in models
    assert "def download(" in files["src/acme_orq/resources/files.py"].content
    assert '"statusCodes": [429, 503]' in models  # the config's default retry policy
    project = files["pyproject.toml"].content
    assert 'version = "2.3.0"' in project and 'license = "Apache-2.0"' in project
    assert '{ name = "Acme Platform Team", email = "platform@acme.example" }' in project
    assert 'description = "Orq client, as the Acme platform team ships it"' in project


def test_the_project_readme_shows_the_demo_override_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```jinja\n", 1)[1].split("```", 1)[0]
    override = (DEMO / "acme" / "_macros" / "python.jinja").read_text(encoding="utf-8")
    assert shown == override.split("\n", 1)[1]  # all but its leading comment line
