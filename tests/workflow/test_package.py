"""The generated project builds a wheel that installs and imports in a fresh venv, carrying
the metadata from sdkforge.yaml (version, summary, license, author, README, py.typed)."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.workflow.pets import BASE

CONFIG = """\
targets:
  - name: pets
    spec: pets.json
    output: out
    package: pets_sdk
    client: Pets
    distribution: acme-pets
    version: 1.4.0rc1
    description: Pets for Acme
    author: [Acme Team <team@acme.example>, Bob]
    license: Apache-2.0 OR MIT
"""
CHECK = """\
import importlib.metadata as m, json, pets_sdk
meta = m.metadata("acme-pets")
files = [str(f) for f in m.files("acme-pets")]
print(json.dumps({
    "version": pets_sdk.__version__,
    "meta_version": meta["Version"],
    "summary": meta["Summary"],
    "license": meta["License-Expression"],
    "authors": meta.get_all("Author-email") or [],
    "author": meta.get_all("Author") or [],
    "classifiers": meta.get_all("Classifier"),
    "readme_type": meta["Description-Content-Type"],
    "readme": meta.get_payload(),
    "typed": any(f.endswith("pets_sdk/py.typed") for f in files),
    "client": pets_sdk.Pets.__name__,
    "where": pets_sdk.__file__,
}))
"""


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def test_wheel_installs_and_imports_in_a_fresh_venv(tmp_path: Path) -> None:
    (tmp_path / "pets.json").write_text(json.dumps(BASE))
    (tmp_path / "sdkforge.yaml").write_text(CONFIG)
    made = CliRunner().invoke(main, ["generate", "--config", str(tmp_path / "sdkforge.yaml")])
    assert made.exit_code == 0, made.stderr
    out = tmp_path / "out"
    wheel_dir = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheel_dir), str(out)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheel_dir.glob("acme_pets-1.4.0rc1-py3-none-any.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    # httpx and pydantic come from this environment; the SDK itself only from the wheel
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [*pip, "--python", str(_python(venv)), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    shown = subprocess.run(
        [str(_python(venv)), "-c", CHECK],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    info = json.loads(shown.stdout)
    assert info["where"].startswith(str(site))
    assert info["version"] == info["meta_version"] == "1.4.0rc1"
    assert info["summary"] == "Pets for Acme" and info["license"] == "Apache-2.0 OR MIT"
    assert info["authors"] == ["Acme Team <team@acme.example>"] and info["author"] == ["Bob"]
    assert "Typing :: Typed" in info["classifiers"] and info["typed"]
    assert info["readme_type"] == "text/markdown"
    assert info["readme"] == (out / "README.md").read_text()
    assert info["client"] == "Pets"
