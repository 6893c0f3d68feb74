"""The on-disk cache of the built gazetteer: a hit is the same index, and anything wrong with the
cache (a damaged file, a folder that cannot be written, caching switched off) falls back to a
build."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.facts import gazetteer_cache
from diurna.facts.gazetteer import DEFAULT_MIN_POPULATION, build_gazetteer
from diurna.facts.gazetteer_cache import cache_dir, cached, fingerprint


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
        return value

    return calls, build


def test_a_cached_gazetteer_is_the_built_one(cache: Path) -> None:
    built = cached(DEFAULT_MIN_POPULATION, build_gazetteer)
    files = list(cache.glob("gazetteer-*.pickle"))
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0  # private to its user
    again = cached(DEFAULT_MIN_POPULATION, lambda: pytest.fail("built again despite the cache"))
    assert again is not built
    for index in ("primary", "alternate", "exact_case", "by_country", "by_actor", "us_states",
                  "demonyms"):
        assert getattr(again, index) == getattr(built, index), index
    for name in ("Kyiv", "Georgia", "the US", "Donetsk", "Springfield", "Kharkiv Oblast"):
        assert again.lookup(name) == built.lookup(name), name
    kyiv = again.lookup("Kyiv")[0].place
    assert (kyiv.country, kyiv.precision) == ("UKR", "city")


def test_the_fingerprint_follows_the_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    first = fingerprint(15000)
    assert fingerprint(15000) == first
    assert fingerprint(5000) != first
    monkeypatch.setattr(gazetteer_cache, "FORMAT", gazetteer_cache.FORMAT + 1)
    assert fingerprint(15000) != first


def test_a_damaged_file_is_rebuilt_and_replaced(cache: Path) -> None:
    calls, build = _counting({"index": [1, 2, 3]})
    assert cached(7, build) == {"index": [1, 2, 3]}
    (path,) = cache.glob("gazetteer-*.pickle")
    path.write_bytes(path.read_bytes()[:10])  # a write cut short, say
    assert cached(7, build) == {"index": [1, 2, 3]}
    assert cached(7, build) == {"index": [1, 2, 3]}
    assert len(calls) == 2  # the second call rebuilt, the third read the replaced file
    assert not list(cache.glob("*.tmp"))


def test_a_folder_that_cannot_be_written_only_costs_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("DIURNA_CACHE_DIR", str(blocker / "diurna"))
    calls, build = _counting(["built"])
    assert cached(7, build) == ["built"] and cached(7, build) == ["built"]
    assert len(calls) == 2


def test_caching_can_be_switched_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIURNA_CACHE", "0")
    assert cache_dir() is None
    calls, build = _counting("fresh")
    assert cached(7, build) == "fresh" and cached(7, build) == "fresh"
    assert len(calls) == 2 and not cache.exists()


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIURNA_CACHE_DIR", raising=False)
    monkeypatch.delenv("DIURNA_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache_dir() == Path("/somewhere/cache/diurna")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "diurna"
