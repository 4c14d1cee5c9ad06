"""sdkforge.yaml: every key checked with a located error, `init` output, flags, overrides."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import FLAG_KEYS, RUN_KEYS, TARGET_KEYS, read_config
from generator.diagnostics import SpecError
from generator.pipeline import Result, build_ir
from tests.workflow.pets import BASE

TARGET = "targets:\n  - name: pets\n    spec: pets.json\n    output: out\n    package: pets\n"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def problems(tmp_path: Path, text: str) -> list[str]:
    """The rendered config problems of a config text (none: it read fine)."""
    path = tmp_path / "sdkforge.yaml"
    path.write_text(text)
    try:
        read_config(path)
    except SpecError as error:
        return [d.render() for d in error.diagnostics]
    return []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            TARGET + "    client: Pets\n    colour: blue\n",
            "sdkforge.yaml:7:5: error[config-invalid] #/targets/0/colour: unknown key 'colour'",
        ),
        (
            TARGET + "    client: pets\n",
            "sdkforge.yaml:6:5: error[config-invalid] #/targets/0/client: invalid value 'pets'",
        ),
        (
            TARGET + "    client: Pets\n    author: [Ann <ann@x.org>, '<not an email>']\n",
            "sdkforge.yaml:7:31: error[config-invalid] #/targets/0/author/1: invalid author",
        ),
        (
            TARGET + "    client: Pets\n    license: MIT or what\n",
            "sdkforge.yaml:7:5: error[config-invalid] #/targets/0/license: invalid value",
        ),
        (
            TARGET + "    client: Pets\n    version: one\n",
            "sdkforge.yaml:7:5: error[config-invalid] #/targets/0/version: invalid value 'one'",
        ),
        (
            TARGET + "    client: Pets\n    strict: yes please\n",
            "sdkforge.yaml:7:5: error[config-invalid] #/targets/0/strict: expected true or false",
        ),
        (
            TARGET + "    client: Pets\n    templates: [missing]\n",
            "#/targets/0/templates/0: template folder 'missing' does not exist",
        ),
        (
            TARGET + "    client: Pets\n    template_vars: [a, b]\n",
            "#/targets/0/template_vars: expected a mapping",
        ),
        (
            TARGET + "    client: Pets\n    retries: {strategy: sometimes}\n",
            "#/targets/0/retries/strategy: strategy must be backoff or none",
        ),
        (
            TARGET + "    client: Pets\n    retries:\n      backoff: {initialInterval: -1}\n",
            "sdkforge.yaml:8:17: error[config-invalid] #/targets/0/retries/backoff/initialInterval",
        ),
        (
            TARGET + "    client: Pets\n    retries: {statusCodes: [429, 600]}\n",
            "#/targets/0/retries/statusCodes/1: invalid status code 600",
        ),
        (
            TARGET + "    client: Pets\n    retries: {retry: true}\n",
            "#/targets/0/retries/retry: unknown key 'retry'",
        ),
        (
            TARGET + "    client: Pets\n    operations:\n      getPet: {rename: x}\n",
            "sdkforge.yaml:8:16: error[config-invalid] #/targets/0/operations/getPet/rename:",
        ),
        (
            TARGET + "    client: Pets\n    operations:\n      getPet: {group: '..'}\n",
            "#/targets/0/operations/getPet/group: invalid value '..'",
        ),
        (
            TARGET + "    client: Pets\n    operations:\n      getPet: {ignore: 1}\n",
            "#/targets/0/operations/getPet/ignore: expected true or false",
        ),
        (TARGET, "sdkforge.yaml:2:5: error[config-invalid] #/targets/0: `client` is required"),
        (
            "defaults: {name: x}\n" + TARGET + "    client: Pets\n",
            "sdkforge.yaml:1:12: error[config-invalid] #/defaults/name: unknown key 'name'",
        ),
        (
            "defaults: {license: 7}\n" + TARGET + "    client: Pets\n",
            "sdkforge.yaml:1:12: error[config-invalid] #/defaults/license: invalid value 7",
        ),
        (
            "run: {jobs: 0}\n" + TARGET + "    client: Pets\n",
            "sdkforge.yaml:1:7: error[config-invalid] #/run/jobs: invalid value 0",
        ),
        (
            "run: {formatter: yapf}\n" + TARGET + "    client: Pets\n",
            "#/run/formatter: invalid value 'yapf'",
        ),
        (
            TARGET + "    client: Pets\n" + TARGET[9:] + "    client: Pets\n",
            "#/targets/1/name: duplicate target name 'pets'",
        ),
        ("target: []\n", "sdkforge.yaml:1:1: error[config-invalid] #: sdkforge.yaml needs a"),
    ],
)
def test_each_config_problem_is_located(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert any(expected in line for line in found), found


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = TARGET + "    client: pets\n    version: x\n    license: '?'\n"
    assert len(problems(tmp_path, text)) == 3


def test_a_full_config_reads_into_targets(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    text = (
        "defaults:\n  license: MIT\n  author: Ann <ann@example.org>\n"
        "run: {formatter: none, jobs: 2, cache_dir: .c}\n" + TARGET + "    client: Pets\n"
        "    templates: [team]\n    template_vars: {a: [1, 2]}\n"
        "    retries: {strategy: backoff, statusCodes: [429, 5XX]}\n"
        "    operations:\n      getPet: {name: fetch, group: animals.dogs}\n"
        "      deletePet: {ignore: true}\n"
    )
    assert problems(tmp_path, text) == []
    config = read_config(tmp_path / "sdkforge.yaml")
    target = config.targets[0]
    assert (target.license, target.authors) == ("MIT", (("Ann", "ann@example.org"),))
    assert target.templates == (tmp_path / "team",) and target.template_vars == {"a": [1, 2]}
    assert config.run == {"formatter": "none", "jobs": 2, "cache_dir": str(tmp_path / ".c")}
    assert [(o.operation_id, o.method, o.group, o.ignore) for o in target.overrides] == [
        ("getPet", "fetch", "animals.dogs", False),
        ("deletePet", None, None, True),
    ]


def test_overrides_rename_move_drop_and_retry_operations(tmp_path: Path) -> None:
    (tmp_path / "pets.json").write_text(json.dumps(BASE))
    (tmp_path / "sdkforge.yaml").write_text(
        TARGET + "    client: Pets\n    retries: {strategy: backoff, statusCodes: [503]}\n"
        "    operations:\n      getPet: {name: fetch, group: animals.dogs}\n"
        "      deletePet: {ignore: true}\n      listPets: {retries: {strategy: none}}\n"
        "      nosuchOperation: {name: x}\n"
    )
    target = read_config(tmp_path / "sdkforge.yaml").targets[0]
    result = Result(target)
    api = build_ir(target, result)
    assert api is not None
    ops = {op.operation_id: (group.dotted, op) for group in api.groups() for op in group.operations}
    assert "deletePet" not in ops
    assert ops["getPet"][0] == "animals.dogs" and ops["getPet"][1].method_name == "fetch"
    assert ops["listPets"][1].retries == "{'strategy': 'none'}".replace("'", '"')
    assert ops["createPet"][1].retries == '{"strategy": "backoff", "statusCodes": [503]}'
    warnings = [d.render() for d in result.diagnostics if d.rule == "config-unknown-operation"]
    assert [w.split("/sdkforge.yaml:")[-1] for w in warnings] == [
        "12:7: warning[config-unknown-operation] #/targets/0/operations/"
        "nosuchOperation: no operation has the operationId 'nosuchOperation' hint: check the "
        "spelling against the spec's operationIds"
    ]


def test_every_flag_of_generate_and_check_has_a_config_key() -> None:
    for name in ("generate", "check"):
        command = main.commands[name]
        flags = {p.name for p in command.params if isinstance(p, click.Option | click.Argument)}
        missing = sorted(flags - set(FLAG_KEYS) - {"config"})
        assert missing == [], f"`sdkforge {name}` flags without a sdkforge.yaml key: {missing}"
    for key in FLAG_KEYS.values():
        top, _, sub = key.partition(".")
        assert (sub in RUN_KEYS) if top == "run" else (top in TARGET_KEYS), key


def test_init_writes_a_commented_config_that_reads_back(tmp_path: Path) -> None:
    spec = tmp_path / "specs" / "petstore.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(BASE))
    out = tmp_path / "sdkforge.yaml"
    made = run("init", str(spec), "-o", str(out))
    assert made.exit_code == 0, made.stderr
    text = out.read_text()
    target = read_config(out).targets[0]
    assert (target.package, target.client_class, target.spec) == ("pets", "Pets", spec)
    for key in TARGET_KEYS:  # every key is there, set or commented out with its meaning
        assert re.search(rf"^[ -]*(# )?{key}:", text, re.M), key
    assert run("init", str(spec), "-o", str(out)).exit_code == 2  # it exists: refuse


def test_init_comments_are_a_valid_config_once_uncommented(tmp_path: Path) -> None:
    out = tmp_path / "sdkforge.yaml"
    assert run("init", "-o", str(out)).exit_code == 0
    lines = out.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("targets:"))
    key = re.compile(r"^(\s+)# ?( *[a-z_][\w-]*:.*)$")  # `    #   listPets: {...}`: a key
    enabled = [key.sub(r"\1\2", line) if i > start else line for i, line in enumerate(lines)]
    (tmp_path / "templates" / "team").mkdir(parents=True)
    out.write_text("\n".join(enabled) + "\n")
    config = read_config(out).targets[0]
    assert config.license == "MIT" and config.template_vars and config.retries
    assert {o.operation_id for o in config.overrides} == {"listPets", "internalPing", "createPet"}
