"""Fixtures shared by the whole suite. Test inputs are written by each test, small and by hand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Caches (the built gazetteer) go to a folder of this test session, not the user's home;
    worker processes the tests start inherit it."""
    os.environ["DIURNA_CACHE_DIR"] = str(tmp_path_factory.mktemp("diurna-cache"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared development data: ``$DIURNA_SHARED``, else ``<repo>/../shared``."""
    path = Path(os.environ.get("DIURNA_SHARED") or REPO.parent / "shared")
    if not path.is_dir():
        pytest.skip(
            "../shared is not present (a user's clone): shared sample/eval data unavailable"
        )
    return path


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's examples/ ingested once per test session (for the export and API tests)."""
    from diurna.jobs.ingest import ingest

    path = tmp_path_factory.mktemp("diurna-examples") / "examples.duckdb"
    assert ingest([REPO / "examples"], db=path).new > 0
    return path


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB file (not created yet)."""
    return tmp_path / "test.duckdb"
