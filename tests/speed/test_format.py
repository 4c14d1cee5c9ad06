"""Formatter choice, the format cache, and worker processes giving the same bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator import format as formatting
from generator.cache import Cache
from generator.diagnostics import SpecError
from generator.render.plan import OutputFile

UGLY = "x = {  'a':1,\n'b' :[1,2,\n3]}\ndef f( a,b ):\n  return a+b\n"
FILES = [
    OutputFile("pkg/a.py", UGLY, "sdk/a.py.jinja"),
    OutputFile("pkg/b.py", "import os\nprint( os.sep )\n", "sdk/b.py.jinja"),
    OutputFile("README.md", "# title  \n", "sdk/README.md.jinja"),
]


def test_black_output_is_black_stable_and_markdown_untouched() -> None:
    out = formatting.format_files(FILES)
    assert out[2] == FILES[2]
    for file in out[:2]:
        assert formatting.format_source(file.content) == file.content
    assert out[0].content.startswith('x = {"a": 1, "b": [1, 2, 3]}\n')


def test_cache_serves_the_second_run_and_gives_the_same_bytes(tmp_path: Path) -> None:
    first_cache = Cache(tmp_path)
    first = formatting.format_files(FILES, cache=first_cache)
    assert first_cache.stats.misses == {"format": 2}
    second_cache = Cache(tmp_path)
    second = formatting.format_files(FILES, cache=second_cache)
    assert second == first
    assert second_cache.stats.hits == {"format": 2}
    assert second_cache.stats.misses == {}


def test_cache_key_depends_on_the_formatter(tmp_path: Path) -> None:
    formatting.format_files(FILES, "black", Cache(tmp_path))
    other = Cache(tmp_path)
    formatting.format_files(FILES, "none", other)
    assert other.stats.hits == {}


def test_worker_processes_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    many = [OutputFile(f"pkg/m{i}.py", UGLY.replace("f(", f"f{i}("), "t") for i in range(12)]
    serial = formatting.format_files(many, jobs=1)
    monkeypatch.setattr(formatting, "PARALLEL_MIN_LINES", 0)
    monkeypatch.setattr(formatting, "_BATCH_CHARS", 100)
    done: list[int] = []
    parallel = formatting.format_files(many, jobs=2, advance=done.append)
    assert parallel == serial
    assert sum(done) == len(many)


def test_none_leaves_text_as_rendered() -> None:
    assert formatting.format_files(FILES, "none") == FILES


@pytest.mark.skipif(formatting.ruff_executable() is None, reason="ruff is not installed")
def test_ruff_output_is_ruff_stable(tmp_path: Path) -> None:
    out = formatting.format_files(FILES, "ruff")
    assert out[2] == FILES[2]
    for index, file in enumerate(out[:2]):
        path = tmp_path / f"f{index}.py"
        path.write_text(file.content, encoding="utf-8")
        compile(file.content, str(path), "exec")
    exe = formatting.ruff_executable()
    assert exe is not None
    check = [exe, "format", "--check", "--isolated", *formatting.RUFF_OPTIONS, str(tmp_path)]
    run = subprocess.run(check, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_invalid_python_is_reported_against_its_template(formatter: str) -> None:
    if formatter == "ruff" and formatting.ruff_executable() is None:
        pytest.skip("ruff is not installed")
    broken = [OutputFile("pkg/bad.py", "def f(:\n", "sdk/package/bad.py.jinja"), FILES[1]]
    with pytest.raises(SpecError) as raised:
        formatting.format_files(broken, formatter)
    [problem] = raised.value.diagnostics
    assert problem.rule == "generated-code-invalid"
    assert problem.location.file == "sdk/package/bad.py.jinja"
    assert "pkg/bad.py is not valid Python" in problem.message


def test_unavailable_formatter_is_explained() -> None:
    assert formatting.unavailable("black") is None
    assert "unknown formatter" in (formatting.unavailable("yapf") or "")
