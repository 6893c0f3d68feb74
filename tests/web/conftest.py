"""Fixtures of the web tests: examples/ ingested once, and an article carrying markup."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from diurna.jobs.ingest import ingest
from diurna.web import create_app

REPO = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def examples_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web-examples") / "examples.duckdb"
    assert ingest([REPO / "examples"], db=path).new > 0
    return path


@pytest.fixture(scope="session")
def hostile_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose only article has a script in its text and an image tag as title."""
    folder = tmp_path_factory.mktemp("web-hostile")
    record = {
        "id": "hostile-1",
        "title": f"Talks resume {IMG}",
        "text": (f"MOSCOW, May 2, 2024 — Russia condemned Ukraine on Monday. {SCRIPT} "
                 "Ukraine accused Russia of shelling the city of Kharkiv, officials said. "
                 f"The foreign ministry said {SCRIPT} the talks would resume."),
        "url": "https://example.test/hostile",
        "published": "2024-05-02",
        "source": "example.test",
    }
    (folder / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    path = folder / "hostile.duckdb"
    assert ingest([folder / "hostile.jsonl"], db=path).new == 1
    return path


@pytest.fixture(scope="module")
def client(examples_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(examples_path)) as c:
        yield c


@pytest.fixture(scope="module")
def hostile(hostile_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_path)) as c:
        yield c
