"""The on-disk cache of slow-to-build resources: a hit is the same object, and anything wrong
with the cache (a damaged file, a folder that cannot be written, caching switched off) falls back
to a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.cache import cache_dir, cached, fingerprint, version_of


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DIURNA_CACHE_DIR", str(folder))
    monkeypatch.delenv("DIURNA_CACHE", raising=False)
    return folder


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return {"copy": value}

    return calls, build


def test_a_second_process_reads_what_the_first_built(cache: Path) -> None:
    calls, build = _counting([1, 2, 3])
    first = cached("thing", "k1", build)
    second = cached("thing", "k1", build)
    assert first == second == {"copy": [1, 2, 3]} and second is not first
    assert len(calls) == 1
    (path,) = cache.glob("*.pickle")
    assert path.name == "thing-k1.pickle"
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    cached("thing", "k2", build)  # another fingerprint: another file, built again
    assert len(calls) == 2 and len(list(cache.glob("thing-*.pickle"))) == 2


def test_the_fingerprint_follows_every_part() -> None:
    first = fingerprint("a", b"bc")
    assert fingerprint("a", b"bc") == first
    assert fingerprint("ab", b"c") != first  # parts are delimited, not concatenated
    assert fingerprint("a", b"bd") != first
    assert version_of("pytest").startswith("pytest=") and version_of("no-such-pkg") == \
        "no-such-pkg=?"


def test_a_damaged_file_is_rebuilt_and_replaced(cache: Path) -> None:
    calls, build = _counting("index")
    cached("thing", "k", build)
    (path,) = cache.glob("*.pickle")
    path.write_bytes(path.read_bytes()[:10])  # a write cut short, say
    assert cached("thing", "k", build) == {"copy": "index"}
    assert cached("thing", "k", build) == {"copy": "index"}
    assert len(calls) == 2  # the second call rebuilt, the third read the replaced file
    assert not list(cache.glob("*.tmp"))


def test_a_folder_that_cannot_be_written_only_costs_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("DIURNA_CACHE_DIR", str(blocker / "diurna"))
    calls, build = _counting("built")
    assert cached("thing", "k", build) == cached("thing", "k", build) == {"copy": "built"}
    assert len(calls) == 2


def test_caching_can_be_switched_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIURNA_CACHE", "0")
    assert cache_dir() is None
    calls, build = _counting("fresh")
    cached("thing", "k", build)
    cached("thing", "k", build)
    assert len(calls) == 2 and not cache.exists()


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIURNA_CACHE_DIR", raising=False)
    monkeypatch.delenv("DIURNA_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache_dir() == Path("/somewhere/cache/diurna")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "diurna"
