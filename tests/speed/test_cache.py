"""The content-hash cache: round trips, misses, damaged entries, pruning, a disabled cache."""

from __future__ import annotations

import os
from pathlib import Path

from generator.cache import Cache, default_cache_dir, digest


def test_text_and_object_round_trip_and_count_hits(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = digest("format", "x = 1\n")
    assert cache.get_text("format", key) is None
    cache.put_text("format", key, "x = 1\n")
    cache.put_object("validate", key, {"rows": [("error", "r", "f", "#", 1, 2, "m", "h")]})
    assert cache.get_text("format", key) == "x = 1\n"
    assert cache.get_object("validate", key) == {"rows": [("error", "r", "f", "#", 1, 2, "m", "h")]}
    assert cache.stats.hits == {"format": 1, "validate": 1}
    assert cache.stats.misses == {"format": 1}
    assert cache.stats.writes == {"format": 1, "validate": 1}


def test_digest_separates_its_parts() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a", "b") == digest(b"a", b"b")


def test_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put_object("validate", "ab" * 32, [1, 2, 3])
    entry = next((tmp_path / "v1" / "validate").rglob("*"))
    while entry.is_dir():
        entry = next(entry.iterdir())
    entry.write_bytes(b"not a pickle")
    assert cache.get_object("validate", "ab" * 32) is None


def test_disabled_cache_stores_nothing(tmp_path: Path) -> None:
    cache = Cache(None)
    cache.put_text("format", "cd" * 32, "x")
    assert cache.get_text("format", "cd" * 32) is None
    assert not cache.enabled
    assert list(tmp_path.iterdir()) == []


def test_prune_removes_least_recently_used_beyond_the_limit(tmp_path: Path) -> None:
    cache = Cache(tmp_path, limit_bytes=250)
    for index in range(5):
        key = digest(str(index))
        cache.put_bytes("format", key, b"x" * 100)
        path = cache._path("format", key)
        os.utime(path, (1000 + index, 1000 + index))
    freed = cache.prune(now=10_000)
    kept = [i for i in range(5) if cache._path("format", digest(str(i))).exists()]
    assert freed == 300
    assert kept == [3, 4]
    assert cache.prune(now=10_001) == 0  # at most once a day


def test_default_folder_follows_xdg_and_override(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SDKFORGE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "sdkforge"
    monkeypatch.setenv("SDKFORGE_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


def test_tests_never_use_the_users_cache_folder(_private_cache_dir: Path) -> None:
    chosen = default_cache_dir()
    assert chosen == _private_cache_dir
    assert not chosen.is_relative_to(Path.home() / ".cache")
