"""The property itself, shared by the hypothesis test and the exploration script."""

from __future__ import annotations

import json
import re
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.config import Target, default_names
from generator.diagnostics import Diagnostic, Severity
from generator.ir.nodes import Api
from generator.pipeline import RunSettings

from .documents import Facts
from .outputs import (
    check_python_files,
    check_toml_files,
    enum_round_trip,
    import_everything,
    imported,
    round_trip,
)

LOCATED = re.compile(
    r"^[^\n\r]+:\d+(:\d+)?: (error|warning)\[[a-z0-9]+(-[a-z0-9]+)*\] #[^\n\r]*: \S"
)
_packages = count()


def run_settings(black: bool) -> RunSettings:
    """The pipeline with (black=True) or without its formatting stage."""
    return RunSettings(formatter="black" if black else "none")


def write_spec(
    folder: Path, document: dict[str, Any], as_yaml: bool, truncate: float | None = None
) -> Path:
    """The document as YAML or JSON (JSON when it holds surrogates, which YAML cannot)."""
    text = json.dumps(document, ensure_ascii=True)
    path = folder / "spec.json"
    if as_yaml and not re.search(r"\\ud[89a-f]", text, re.IGNORECASE):
        path = folder / "spec.yaml"
        text = yaml.safe_dump(document, allow_unicode=False)
    if truncate is not None:
        text = text[: int(len(text) * truncate)]
    path.write_text(text, encoding="utf-8")
    return path


def check_messages(diagnostics: list[Diagnostic]) -> None:
    """Every problem is one located line: FILE:LINE:COL: severity[rule] POINTER: message."""
    for diagnostic in diagnostics:
        line = diagnostic.render()
        assert LOCATED.match(line) and "\n" not in line and "\r" not in line, line
        if diagnostic.severity is Severity.ERROR:
            assert diagnostic.location.line is not None, line


def check_rejection(spec: Path, out: Path) -> None:
    """The command line says the same: exit 1, located lines, no traceback."""
    run = CliRunner().invoke(main, ["generate", str(spec), "-o", str(out)])
    assert run.exit_code == 1, (run.exit_code, run.output)
    assert isinstance(run.exception, SystemExit), run.exception
    assert "Traceback" not in run.output


def check_sdk(out: Path, api: Api, facts: Facts) -> None:
    """Compiles, holds spec text only in strings, imports, and round-trips every model."""
    problems = check_python_files(out, facts.texts.prose + facts.texts.names)
    problems += check_toml_files(out)
    unknown = [problem for problem in problems if _known_text(problem) is None]
    assert not unknown, "\n".join(unknown[:10])
    if problems:
        raise KnownFinding(f"{_known_text(problems[0])}: {problems[0]}")
    with imported(out / "src", api.package) as root:
        import_everything(root, api.client_class)
        if facts.mutated:
            return
        models = {model.location.pointer: model for model in api.models}
        aliases = {alias.location.pointer: alias for alias in api.aliases}
        home = {item.name: module.name for module in api.modules for item in module.models}
        home |= {item.name: module.name for module in api.modules for item in module.aliases}
        for pointer, value in facts.instances:
            model = models.get(pointer)
            assert model is not None, f"no model generated for {pointer}"
            module = __import__(f"{api.package}.models.{home[model.name]}", fromlist=["_"])
            problems += round_trip(getattr(module, model.name), value)
        for pointer, values in facts.enums:
            alias = aliases.get(pointer)
            if alias is None:
                continue  # an enum may be inlined as a Literal where it is used
            module = __import__(f"{api.package}.models.{home[alias.name]}", fromlist=["_"])
            problems += enum_round_trip(getattr(module, alias.name), values)
    assert not problems, "\n".join(problems[:10])


class KnownFinding(Exception):
    """The example hit an open finding of tools/FINDINGS.md (the test skips such examples)."""


# Open findings (tools/FINDINGS.md) by id, and how to recognise them. `make test` skips an
# example that hits one; `make fuzz` (SDKFORGE_FUZZ_STRICT=1) fails on it like on any bug.
KNOWN_OPEN: dict[str, re.Pattern[str]] = {}  # none open now (F1, F4 and F5 are fixed)


def _known(error: BaseException) -> str | None:
    return _known_text(f"{type(error).__name__}: {error}")


def _known_text(text: str) -> str | None:
    return next((key for key, pattern in KNOWN_OPEN.items() if pattern.search(text)), None)


def check_document(document: dict[str, Any], facts: Facts, as_yaml: bool, black: bool) -> str:
    """Run the property on one document; returns what happened (for statistics).

    Raises KnownFinding instead of the original error when the example hits an open finding.
    """
    try:
        return _check_document(document, facts, as_yaml, black)
    except KnownFinding:
        raise
    except Exception as error:
        known = _known(error)
        if known is None:
            raise
        raise KnownFinding(f"{known}: {error}") from error


def _check_document(document: dict[str, Any], facts: Facts, as_yaml: bool, black: bool) -> str:
    package = f"fuzz_sdk_{next(_packages)}"
    info = document.get("info")
    _, client, _ = default_names(str(info.get("title") if isinstance(info, dict) else ""), "x")
    with tempfile.TemporaryDirectory(prefix="sdkforge-fuzz-") as folder:
        spec = write_spec(Path(folder), document, as_yaml, facts.truncate)
        out = Path(folder) / "out"
        target = Target("fuzz", spec, out, package, client, "fuzz-sdk", spec_display=spec.name)
        result = pipeline.run(target, settings=run_settings(black))
        check_messages(result.diagnostics)
        if result.failed:
            check_rejection(spec, Path(folder) / "cli-out")
            return "rejected: " + ",".join(sorted({d.rule for d in result.diagnostics}))
        assert result.api is not None
        check_sdk(out, result.api, facts)
    return "generated"
