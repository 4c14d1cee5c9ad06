"""validate(): the version gate, openapi-spec-validator classification and our own rules."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.limits import DEFAULT_LIMITS
from generator.load import load
from generator.validate import validate

# shared/ lies next to the repository (as in CI); tests that need it skip without it.
SHARED_SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"

HEADER = """\
openapi: 3.0.3
info:
  title: t
  version: "1"
"""
OK_RESPONSE = """\
      responses:
        "200":
          description: ok
"""


def run(tmp_path: Path, text: str, files: dict[str, str] | None = None) -> list[Diagnostic]:
    """Write `text` (and `files`) under tmp_path, load the spec and validate it."""
    for name, content in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(textwrap.dedent(text), encoding="utf-8")
    return validate(load(spec_file))


def rules(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.rule for d in diagnostics]


def only(diagnostics: list[Diagnostic], rule: str) -> Diagnostic:
    found = [d for d in diagnostics if d.rule == rule]
    assert len(found) == 1, [d.render() for d in diagnostics]
    return found[0]


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


# --- a valid spec -------------------------------------------------------------------


def test_valid_spec_has_no_diagnostics(tmp_path: Path) -> None:
    text = HEADER + "paths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n"
    text += "      parameters:\n        - {name: id, in: path, required: true, "
    text += "schema: {type: string, format: uuid}}\n" + OK_RESPONSE
    assert run(tmp_path, text) == []


# --- version gate -------------------------------------------------------------------


def test_swagger_2_is_refused_with_a_conversion_hint(tmp_path: Path) -> None:
    found = run(tmp_path, 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n')
    assert rules(found) == ["unsupported-version"]
    assert "Swagger 2.0 is not supported" in found[0].message
    assert "swagger2openapi" in found[0].hint
    assert found[0].location.line == 1


@pytest.mark.parametrize("version", ["3.2.0", "4.0.0", "2.0", "3.0"])
def test_other_versions_are_refused(tmp_path: Path, version: str) -> None:
    text = f"openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n"
    found = run(tmp_path, text)
    assert rules(found) == ["unsupported-version"]
    assert found[0].location.pointer == "#/openapi"


def test_unquoted_short_version_asks_for_a_string(tmp_path: Path) -> None:
    found = run(tmp_path, "openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    assert "3.0" in found[0].message
    assert "quotes" in found[0].hint


@pytest.mark.parametrize("text", ["- a\n- b\n", "name: x\n", "", "just text\n"])
def test_not_openapi(tmp_path: Path, text: str) -> None:
    found = run(tmp_path, text)
    assert rules(found) == ["not-openapi"]
    assert found[0].message.startswith("this is not an OpenAPI document")


def test_gate_failure_hides_everything_else(tmp_path: Path) -> None:
    text = "openapi: 3.2.0\npaths:\n  /a:\n    get:\n      responses: {$ref: '#/nope'}\n"
    assert rules(run(tmp_path, text)) == ["unsupported-version"]


# --- openapi-spec-validator ---------------------------------------------------------


def test_missing_required_fields_are_located_errors(tmp_path: Path) -> None:
    found = run(tmp_path, "openapi: 3.0.3\nservers: [{url: 'https://x'}]\n")
    messages = sorted(d.message for d in found)
    assert messages == ["required field 'info' is missing", "required field 'paths' is missing"]
    assert all(d.rule == "openapi-schema" and d.location.line == 1 for d in found)
    assert all(d.hint for d in found)


def test_unexpected_field_is_located_at_its_key_with_a_suggestion(tmp_path: Path) -> None:
    text = HEADER + "paths:\n  /a:\n    get:\n      response: {}\n" + OK_RESPONSE
    found = only(run(tmp_path, text), "openapi-schema")
    assert found.location.pointer == "#/paths/~1a/get/response"
    assert found.location.line == 8
    assert found.message == "unexpected field 'response'"
    assert "did you mean 'responses'" in found.hint


def test_long_instances_are_abbreviated(tmp_path: Path) -> None:
    big = {f"field{i}": "x" * 50 for i in range(40)}
    text = HEADER + "paths:\n  /a:\n    get:\n" + OK_RESPONSE
    text += "components:\n  schemas:\n    A:\n      type: " + json.dumps(big) + "\n"
    found = errors(run(tmp_path, text))
    assert found
    assert all(len(d.message) <= 200 for d in found)


def test_bad_default_is_a_warning_located_where_written(tmp_path: Path) -> None:
    text = HEADER + """\
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, default: null}
        age: {type: integer, default: old}
"""
    found = run(tmp_path, text)
    assert errors(found) == []
    pointers = {d.location.pointer: d for d in found}
    name = pointers["#/components/schemas/Pet/properties/name/default"]
    assert name.rule == "invalid-default"
    assert name.severity is Severity.WARNING
    assert name.message.endswith("null is not allowed: the schema is not nullable")
    assert name.location.line == 19
    assert pointers["#/components/schemas/Pet/properties/age/default"].rule == "invalid-default"
    assert len(found) == 2  # one warning per value, though the null fails twice


def test_bad_default_in_an_external_file_is_located_there(tmp_path: Path) -> None:
    text = (
        HEADER
        + "paths:\n  /pets:\n    get:\n"
        + OK_RESPONSE.replace(
            "description: ok",
            "description: ok\n          content:\n            "
            "application/json:\n              schema: {$ref: './pet.yaml'}",
        )
    )
    pet = "type: object\nproperties:\n  age:\n    type: integer\n    default: old\n"
    found = run(tmp_path, text, {"pet.yaml": pet})
    warning = only(found, "invalid-default")
    assert warning.location.file.endswith("pet.yaml")
    assert warning.location.pointer == "#/properties/age/default"
    assert warning.location.line == 5


def test_response_named_default_is_not_a_default_value(tmp_path: Path) -> None:
    text = HEADER + "paths:\n  /a:\n    get:\n      responses:\n        default: {}\n"
    found = only(run(tmp_path, text), "openapi-schema")
    assert found.severity is Severity.ERROR
    assert found.location.pointer == "#/paths/~1a/get/responses/default"


def test_property_named_default_with_a_bad_schema_is_an_error(tmp_path: Path) -> None:
    text = HEADER + "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n"
    text += "        default: {type: strin}\n"
    found = only(run(tmp_path, text), "openapi-schema")
    assert found.location.pointer == "#/components/schemas/A/properties/default/type"


def test_validator_crash_becomes_a_diagnostic(tmp_path: Path) -> None:
    # A parameter without `in` makes openapi-spec-validator raise after its schema check.
    text = HEADER + "paths:\n  /a:\n    get:\n      parameters:\n        - name: x\n"
    text += OK_RESPONSE
    found = run(tmp_path, text)
    assert errors(found)
    assert all(d.location.line for d in found)


@pytest.mark.parametrize("levels", [60, 400])
def test_deep_nesting_does_not_raise(tmp_path: Path, levels: int) -> None:
    schema: dict[str, object] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": schema}},
    }
    (tmp_path / "deep.json").write_text(json.dumps(spec), encoding="utf-8")
    if levels * 2 > DEFAULT_LIMITS.max_depth:  # refused by load, with a located error
        with pytest.raises(SpecError) as raised:
            load(tmp_path / "deep.json")
        assert [d.rule for d in raised.value.diagnostics] == ["document-too-deep"]
        return
    found = validate(load(tmp_path / "deep.json"))
    assert errors(found) == []
    assert rules(found) in ([], ["validator-incomplete"])


# --- invalid-example ----------------------------------------------------------------


def test_examples_that_do_not_match_are_warnings(tmp_path: Path) -> None:
    text = HEADER + """\
paths:
  /pets:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer}
          example: ten
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
              examples:
                one: {$ref: "#/components/examples/Rex"}
                two: {value: {name: 5}}
components:
  examples:
    Rex:
      value: {age: 3}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Rex}
      example: {name: [Rex]}
"""
    found = run(tmp_path, text)
    assert errors(found) == []
    assert {d.rule for d in found} == {"invalid-example"}
    assert sorted(d.location.pointer for d in found) == [
        "#/components/examples/Rex/value",
        "#/components/schemas/Pet/example/name",
        "#/paths/~1pets/get/parameters/0/example",
        "#/paths/~1pets/get/responses/200/content/application~1json/examples/two/value/name",
    ]
    rex = next(d for d in found if d.location.pointer.endswith("Rex/value"))
    assert rex.message == "example does not match its schema: required field 'name' is missing"


def test_structural_problem_under_examples_is_a_warning(tmp_path: Path) -> None:
    text = HEADER.replace("3.0.3", "3.1.0") + "paths: {}\ncomponents:\n  schemas:\n"
    text += "    A:\n      type: string\n      examples: {a: 1}\n"
    found = run(tmp_path, text)
    assert errors(found) == []
    assert "invalid-example" in rules(found)


# --- unresolved-ref -----------------------------------------------------------------


def test_unresolved_local_ref(tmp_path: Path) -> None:
    text = HEADER + """\
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/ImageEdit"
""" + OK_RESPONSE + "components:\n  schemas:\n    ImageEdits: {type: object}\n"
    found = only(run(tmp_path, text), "unresolved-ref")
    assert found.location.pointer.endswith("/schema/$ref")
    assert found.location.line == 12
    assert found.message.startswith("'#/components/schemas/ImageEdit' does not exist")
    assert found.hint.startswith("check the name under components/schemas")
    assert "did you mean 'ImageEdits'" in found.hint


def test_external_refs_resolve_and_are_walked(tmp_path: Path) -> None:
    text = HEADER + """\
paths:
  /pets:
    $ref: "./paths/pets.yaml"
"""
    files = {
        "paths/pets.yaml": """\
            get:
              operationId: listPets
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "../schemas/pet.yaml"}
            """,
        "schemas/pet.yaml": """\
            type: object
            properties:
              name: {$ref: "./common.yaml#/Name"}
              born: {type: string, format: datetime}
            """,
        "schemas/common.yaml": "Name: {type: string}\n",
    }
    found = run(tmp_path, text, files)
    warning = only(found, "unknown-format")
    assert warning.location.file.endswith("pet.yaml")
    assert warning.location.line == 4
    assert rules(found) == ["unknown-format"]


def test_missing_external_file_is_reported_where_referenced(tmp_path: Path) -> None:
    text = HEADER + "paths:\n  /a:\n    get:\n" + OK_RESPONSE
    text += "components:\n  schemas:\n    A: {$ref: './pet.yaml'}\n"
    files = {"pet.yaml": "properties:\n  owner: {$ref: './owner.yaml'}\n"}
    found = only(run(tmp_path, text, files), "unresolved-ref")
    assert found.location.file.endswith("pet.yaml")
    assert found.location.pointer == "#/properties/owner/$ref"
    assert "file does not exist" in found.message


@pytest.mark.parametrize(
    ("ref", "words"),
    [("https://example.invalid/pet.yaml#/Pet", "remote"), ("../outside.yaml", "leaves")],
)
def test_refs_we_do_not_follow_are_errors(tmp_path: Path, ref: str, words: str) -> None:
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (tmp_path / "outside.yaml").write_text("type: string\n", encoding="utf-8")
    text = HEADER + "paths:\n  /a:\n    get:\n" + OK_RESPONSE
    text += f"components:\n  schemas:\n    A: {{$ref: '{ref}'}}\n"
    found = run(spec_dir, text)
    error = only(found, "unresolved-ref")
    assert words in error.message
    assert error.severity is Severity.ERROR


def test_ref_inside_example_or_extension_is_data(tmp_path: Path) -> None:
    text = HEADER + "paths:\n  /a:\n    get:\n" + OK_RESPONSE
    text += "x-internal: {$ref: '#/nowhere'}\ncomponents:\n  schemas:\n    A:\n"
    text += "      type: object\n      example: {$ref: '#/nowhere'}\n"
    assert run(tmp_path, text) == []


# --- duplicate-operation-id ---------------------------------------------------------


def test_duplicate_operation_ids_name_the_first(tmp_path: Path) -> None:
    text = HEADER + "paths:\n"
    for path in ("/a", "/b", "/c"):
        text += f"  {path}:\n    get:\n      operationId: same\n" + OK_RESPONSE
    found = [d for d in run(tmp_path, text) if d.rule == "duplicate-operation-id"]
    assert [d.location.pointer for d in found] == [
        "#/paths/~1b/get/operationId",
        "#/paths/~1c/get/operationId",
    ]
    assert all("already used by GET /a (" in d.message for d in found)
    assert all(d.message.endswith("spec.yaml:8:7)") for d in found)
    assert len(errors(run(tmp_path, text))) == 2  # the validator's own report is dropped


# --- unknown-format -----------------------------------------------------------------


def test_unknown_format_warns_only_for_typed_schemas(tmp_path: Path) -> None:
    text = HEADER + "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n"
    text += "      properties:\n"
    text += "        a: {type: string, format: date-time}\n"
    text += "        b: {type: integer, format: int33}\n"
    text += "        c: {type: [string, 'null'], format: dateTime}\n"
    text += "        d: {type: object, format: whatever}\n"
    text += "        format: {type: string}\n"
    text += "      example: {type: string, format: nonsense}\n"
    found = run(tmp_path, text.replace("3.0.3", "3.1.0"))
    assert all(d.severity is Severity.WARNING for d in found)
    by_pointer = {d.location.pointer: d for d in found if d.rule == "unknown-format"}
    assert sorted(by_pointer) == [
        "#/components/schemas/A/properties/b/format",
        "#/components/schemas/A/properties/c/format",
    ]
    hint = by_pointer["#/components/schemas/A/properties/c/format"].hint
    assert "did you mean 'date-time'" in hint


# --- path parameters ----------------------------------------------------------------


def test_undeclared_and_unused_path_parameters(tmp_path: Path) -> None:
    text = (
        HEADER
        + """\
paths:
  /pets/{petId}/toys/{toyId}:
    parameters:
      - $ref: "#/components/parameters/PetId"
      - {name: extra, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: toy_id, in: path, required: true, schema: {type: string}}
"""
        + OK_RESPONSE
        + """\
    delete:
      parameters:
        - {name: toyId, in: path, required: true, schema: {type: string}}
"""
        + OK_RESPONSE
        + """\
components:
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: string}}
"""
    )
    found = run(tmp_path, text)
    undeclared = only(found, "path-parameter-undeclared")
    assert undeclared.location.pointer == "#/paths/~1pets~1{petId}~1toys~1{toyId}/get"
    assert "'toyId'" in undeclared.message
    unused = sorted(d.location.pointer for d in found if d.rule == "path-parameter-unused")
    assert unused == [
        "#/paths/~1pets~1{petId}~1toys~1{toyId}/get/parameters/0",
        "#/paths/~1pets~1{petId}~1toys~1{toyId}/parameters/1",
    ]
    assert "openapi-schema" not in rules(found)  # the validator's version is dropped


def test_unresolved_parameter_ref_is_not_also_undeclared(tmp_path: Path) -> None:
    text = HEADER + "paths:\n  /pets/{id}:\n    get:\n      parameters:\n"
    text += "        - $ref: '#/components/parameters/Id'\n" + OK_RESPONSE
    assert "path-parameter-undeclared" not in rules(run(tmp_path, text))


# --- the slightly invalid real specs of /work/shared/specs ---------------------------


def _invalid_shared_specs() -> list[str]:
    manifest = SHARED_SPECS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    names: dict[str, None] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        columns = line.split("\t")
        if len(columns) > 8 and columns[8].startswith("invalid"):
            names[columns[0]] = None
    return list(names)


# These fail openapi-spec-validator for their defaults only: warnings, no error.
DEFAULT_ONLY = {
    "real/airbyte.local__config.json",
    "real/cdcgov.local__prime-data-hub.json",
    "real/rudder.example.local__main.json",
    "real/sinao.app__main.json",
    "real/soundcloud.com__main.json",
    "features/3.0/schema-validation.json",
    "features/3.1/schema-validation-top-level.json",
}


@pytest.mark.parametrize("name", _invalid_shared_specs() or ["(no shared specs)"])
def test_slightly_invalid_real_specs(name: str) -> None:
    if not (SHARED_SPECS / "MANIFEST.tsv").is_file():
        pytest.skip(f"{SHARED_SPECS} is not here")
    found = validate(load(SHARED_SPECS / name))
    assert found, "openapi-spec-validator rejects this spec; we should say something"
    for diagnostic in found:
        if diagnostic.rule == "openapi-schema":
            pointer = diagnostic.location.pointer
            assert not pointer.endswith(("/default", "/example")), diagnostic.render()
    if name in DEFAULT_ONLY:
        assert errors(found) == [], [d.render() for d in errors(found)]
        assert "invalid-default" in rules(found)


def test_all_nine_slightly_invalid_specs_are_listed() -> None:
    if not (SHARED_SPECS / "MANIFEST.tsv").is_file():
        pytest.skip(f"{SHARED_SPECS} is not here")
    assert set(_invalid_shared_specs()) >= DEFAULT_ONLY
    assert len(_invalid_shared_specs()) == 9
