"""Round-trip the examples of a real spec's component schemas through its generated SDK.

`python -m tests.sweep.examples SPEC SRC PACKAGE` parses every `example` / `examples`
entry of `components/schemas` into the generated type of that component and dumps it
back, as the SDK does on the wire, and prints JSON counts: `same` (identical JSON),
`rejected` (the model refuses the example: often an example that does not match its
own schema) and `changed` (parsed, but dumped differently), with a few samples. The
sweep reports these; `changed` is what to look at.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pydantic

from tests.sweep.corpus import load_document

SAMPLES = 5


def _examples(schema: Any) -> list[Any]:
    if not isinstance(schema, dict):
        return []
    found = []
    if "example" in schema:
        found.append(schema["example"])
    if isinstance(schema.get("examples"), list):
        found.extend(schema["examples"])
    return found


def round_trip(spec: Path, package: str, client: str) -> dict[str, Any]:
    """Counts of same / changed / rejected examples, with samples of the last two."""
    from generator.ir import names

    models = importlib.import_module(package + ".models")
    operation = importlib.import_module(package + "._runtime.operation")
    document = load_document(spec)
    report: dict[str, Any] = {"same": 0, "changed": 0, "rejected": 0, "samples": []}
    schemas = ((document.get("components") or {}).get("schemas") or {}) if document else {}
    for key in sorted(schemas):
        type_name = names.pascal(key)
        if type_name in models._EXPORTS:
            codec = operation.Schema(getattr(models, type_name))
            for example in _examples(schemas[key]):
                _check(report, f"schema {key}", codec, example)
    for where, codec, example in _response_examples(document, package, client):
        _check(report, where, codec, example)
    return report


def _check(report: dict[str, Any], where: str, codec: Any, example: Any) -> None:
    original = json.loads(json.dumps(example))
    try:
        parsed = codec.parse_json(json.dumps(example).encode())
    except pydantic.ValidationError as error:
        report["rejected"] += 1
        _sample(report, where, "rejected", str(error).splitlines()[:3])
        return
    dumped = json.loads(codec.dump_json(parsed))
    if dumped == original:
        report["same"] += 1
    else:
        report["changed"] += 1
        _sample(report, where, "changed", {"sent": original, "got": dumped})


def _response_examples(document: Any, package: str, client: str) -> list[tuple[str, Any, Any]]:
    """(where, the SDK's parser of that response, example) for every JSON response example."""
    from tests.sweep.corpus import METHODS
    from tests.sweep.probe import walk
    from tests.sweep.run import route

    found: dict[str, dict[int, tuple[str, str]]] = {"sync": {}, "async": {}}
    objects: dict[tuple[str, str], list[Any]] = {}
    walk(getattr(importlib.import_module(package), client)(), set(), found, objects)
    out = []
    for path, item in ((document or {}).get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            candidates = objects.get((method.upper(), route(path)), [])
            if not isinstance(op, dict) or len(candidates) != 1:
                continue
            for status, response in (op.get("responses") or {}).items():
                for media, content in ((response or {}).get("content") or {}).items():
                    code = 200 if not str(status)[:3].isdigit() else int(str(status)[:3])
                    result = candidates[0].match(code, media)
                    if result is None or result.schema is None or "json" not in media:
                        continue
                    for example in _media_examples(content):
                        out.append((f"{method.upper()} {path} {status}", result.schema, example))
    return out


def _media_examples(content: Any) -> list[Any]:
    if not isinstance(content, dict):
        return []
    found = [content["example"]] if "example" in content else []
    for entry in (content.get("examples") or {}).values():
        if isinstance(entry, dict) and "value" in entry:
            found.append(entry["value"])
    return found


def _sample(report: dict[str, Any], key: str, kind: str, detail: Any) -> None:
    if sum(1 for s in report["samples"] if s[1] == kind) < SAMPLES:
        report["samples"].append((key, kind, json.dumps(detail, default=str)[:600]))


def main(spec: str, src: str, package: str, client: str) -> int:
    """Print the round-trip report as one JSON line."""
    sys.path.insert(0, src)
    print(json.dumps(round_trip(Path(spec), package, client)))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
