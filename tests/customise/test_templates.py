"""Template layers: eject, list, errors that name the template file and line, template_vars."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.render.env import builtin_templates
from tests.workflow.pets import BASE


def run(*args: str) -> Any:
    """The CLI in-process (stdout and stderr apart)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(BASE))
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _generate(spec: Path, out: Path, *extra: str) -> Any:
    result = run("generate", str(spec), "-o", str(out), "--no-cache", "--formatter", "none", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def test_eject_then_regenerate_gives_the_same_output(spec: Path, tmp_path: Path) -> None:
    team = tmp_path / "team"
    ejected = run("templates", "eject", "-o", str(team))
    assert ejected.exit_code == 0, ejected.stderr
    builtin = {n: b for n, b in _tree(builtin_templates()).items() if "__pycache__" not in n}
    assert _tree(team) == builtin
    _generate(spec, tmp_path / "plain")
    _generate(spec, tmp_path / "layered", "--templates", str(team))
    assert _tree(tmp_path / "plain") == _tree(tmp_path / "layered")


def test_eject_some_names_and_refuse_unknown_ones(tmp_path: Path) -> None:
    team = tmp_path / "team"
    picked = run("templates", "eject", "docs", "sdk/README.md.jinja", "-o", str(team))
    assert picked.exit_code == 0, picked.stderr
    docs = sorted(f"docs/{p.name}" for p in (builtin_templates() / "docs").iterdir())
    assert "docs/group.md.jinja" in docs
    assert sorted(_tree(team)) == [*docs, "sdk/README.md.jinja"]
    (team / "sdk" / "README.md.jinja").write_text("mine\n")
    again = run("templates", "eject", "sdk/README.md.jinja", "-o", str(team))
    assert "kept sdk/README.md.jinja" in again.stderr
    assert (team / "sdk" / "README.md.jinja").read_text() == "mine\n"
    unknown = run("templates", "eject", "nope.jinja", "-o", str(team))
    assert unknown.exit_code == 2 and "no built-in template matches nope.jinja" in unknown.stderr


def test_templates_lists_which_file_each_name_resolves_to(tmp_path: Path) -> None:
    team = tmp_path / "team"
    (team / "sdk").mkdir(parents=True)
    (team / "sdk" / "README.md.jinja").write_text('{% extends "builtin/sdk/README.md.jinja" %}\n')
    (team / "extra.jinja").write_text("x\n")
    listed = run("templates", "--templates", str(team))
    assert listed.exit_code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == f"search order: {team}, built-in"
    assert (
        f"sdk/README.md.jinja  ->  {team / 'sdk' / 'README.md.jinja'}  [overrides built-in]"
        in lines
    )
    assert f"extra.jinja  ->  {team / 'extra.jinja'}  [team only]" in lines
    builtin = builtin_templates() / "docs" / "group.md.jinja"
    assert f"docs/group.md.jinja  ->  {builtin}  [built-in]" in lines


def _team(tmp_path: Path, name: str, text: str) -> Path:
    team = tmp_path / "team"
    path = team / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return team


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        (
            "_macros/python.jinja",
            '{% extends "builtin/_macros/python.jinja" %}\n'
            "{% block method_docstring %}\n{{ op.doc_text }}\n{{ op.no_such_field }}\n"
            "{% endblock %}\n",
            4,
            "has no attribute 'no_such_field'",
        ),
        (
            "sdk/README.md.jinja",
            '{% extends "builtin/sdk/README.md.jinja" %}\n{% block usage %}\n\n'
            "{{ 1 // vars.zero }}\n{% endblock %}\n",
            4,
            "ZeroDivisionError",
        ),
        (
            "docs/group.md.jinja",
            "# {{ group.dotted }}\n{% for op in group.operations %}\n{% if %}\n{% endfor %}\n",
            3,
            "Expected an expression",
        ),
    ],
    ids=["undefined-attribute", "runtime-exception", "syntax-error"],
)
def test_a_failing_team_template_names_its_file_and_line(
    spec: Path, tmp_path: Path, name: str, text: str, line: int, message: str
) -> None:
    team = _team(tmp_path, name, text)
    config = tmp_path / "sdkforge.yaml"
    config.write_text(
        f"targets:\n  - name: pets\n    spec: {spec}\n    output: {tmp_path / 'out'}\n"
        f"    package: pets\n    client: Pets\n    templates: [{team}]\n"
        "    template_vars: {zero: 0}\n"
    )
    result = run("generate", "--config", str(config), "--no-cache")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    located = [x for x in result.stderr.splitlines() if "error[template-error]" in x]
    assert len(located) == 1, result.stderr
    assert located[0].startswith(f"{team / name}:{line}: error[template-error]"), located[0]
    assert message in located[0]


def test_template_vars_and_api_reach_macro_files_and_pages(spec: Path, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        "_macros/python.jinja",
        '{% extends "builtin/_macros/python.jinja" %}\n'
        "{% block method_docstring %}{{ vars.prefix }} {{ api.title }}: {{ super() }}"
        "{% endblock %}\n",
    )
    config = tmp_path / "sdkforge.yaml"
    config.write_text(
        f"targets:\n  - name: pets\n    spec: {spec}\n    output: {tmp_path / 'out'}\n"
        f"    package: pets\n    client: Pets\n    templates: [{team}]\n"
        '    template_vars: {prefix: "[team]"}\n'
    )
    result = run("generate", "--config", str(config), "--no-cache", "--formatter", "none")
    assert result.exit_code == 0, result.stderr
    resource = (tmp_path / "out" / "src" / "pets" / "resources" / "pets.py").read_text()
    assert resource.count('"""[team] Pets: ') == 8  # 4 operations, sync and async


def test_an_override_cannot_break_out_of_the_docstring(spec: Path, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        "_macros/python.jinja",
        '{% extends "builtin/_macros/python.jinja" %}\n'
        '{% block method_docstring %}Ends here """ ; import os \\ {% endblock %}\n',
    )
    _generate(spec, tmp_path / "out", "--templates", str(team))
    resource = (tmp_path / "out" / "src" / "pets" / "resources" / "pets.py").read_text()
    assert "import os" not in [line.strip() for line in resource.splitlines()]
    compile(resource, "pets.py", "exec")


def test_invalid_python_from_a_team_template_names_that_file(spec: Path, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        "sdk/package/resource.py.jinja",
        '{% extends "builtin/sdk/package/resource.py.jinja" %}\n'
        "{% block class_body %}\n    def broken(:\n{% endblock %}\n",
    )
    result = run("generate", str(spec), "-o", str(tmp_path / "out"), "--templates", str(team))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    expected = f"{team / 'sdk' / 'package' / 'resource.py.jinja'}: error[generated-code-invalid]"
    assert expected in result.stderr
    assert "src/pets/resources/pets.py is not valid Python" in result.stderr
