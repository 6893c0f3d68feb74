"""``diurna serve`` answers reads while ``diurna ingest`` writes to the same file.

DuckDB keeps every other process out of a file one process writes, and keeps writers out while
anyone reads it. The ingest holds the file only while it writes a batch and announces itself
first (the turn file); the server gives the file up for it and opens it again for the next
request. These tests hold the file from another process and check what a request gets, then
run a real server and a real ingest side by side under a steady stream of requests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from diurna.store import Store
from diurna.web import create_app

from .conftest import (
    DIURNA,
    free_port,
    ingest_command,
    kill_group,
    start,
    tail,
    writer_elsewhere,
)
from .corpus import generate, write_jsonl

INGESTED = 60  # articles the ingest adds while the server is being read
CLIENTS = 4
ENDPOINTS = ["/api/articles?limit=1000", "/api/events?limit=5", "/",
             "/api/stance?entity=KAZ"]


@pytest.fixture
def db(examples_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "served.duckdb"
    shutil.copy(examples_db, path)
    return path


def test_a_request_that_cannot_get_the_file_in_time_is_answered_503(db: Path) -> None:
    with TestClient(create_app(db, wait=0.5)) as client:
        before = client.get("/api/articles", params={"limit": 1000}).json()["articles"]
        with writer_elsewhere(db):  # gets in: the server let go of the file for it
            started = time.monotonic()
            response = client.get("/api/events", params={"limit": 1})
            assert 0.4 <= time.monotonic() - started < 5
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "2"
            detail = response.json()["detail"]
            assert detail.startswith(f"{db}: the database is busy") and "try again" in detail
            page = client.get("/events")
            assert page.status_code == 503 and page.headers["Retry-After"] == "2"
            assert "the database is busy" in page.text
        after = client.get("/api/articles", params={"limit": 1000})
        assert after.status_code == 200 and after.json()["articles"] == before


def test_an_idle_server_lets_go_of_the_file(db: Path) -> None:
    """Even a writer that does not announce itself (a DuckDB shell) gets in once the server
    has been idle for a moment."""
    app = create_app(db)
    app.state.backend.idle = 0.2
    with TestClient(app) as client:
        assert client.get("/api/events", params={"limit": 1}).status_code == 200
        time.sleep(0.8)
        plain_writer = ("import duckdb, sys\n"
                        f"duckdb.connect({str(db)!r}).execute('CHECKPOINT').close()\n")
        result = subprocess.run([sys.executable, "-c", plain_writer], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert client.get("/api/events", params={"limit": 1}).status_code == 200


@dataclass
class Client:
    """One client's record: the status of each answer, and the article counts it saw."""

    statuses: Counter[int] = field(default_factory=Counter)
    counts: list[tuple[float, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def hammer(base: str, record: Client, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=60) as http:
        turn = 0
        while not stop.is_set():
            path = ENDPOINTS[turn % len(ENDPOINTS)]
            turn += 1
            try:
                response = http.get(path)
            except httpx.HTTPError as exc:
                record.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            record.statuses[response.status_code] += 1
            if response.status_code >= 500 and response.status_code != 503:
                record.errors.append(f"{path}: {response.status_code} {response.text[:200]}")
            if path.startswith("/api/articles") and response.status_code == 200:
                record.counts.append((time.monotonic(), len(response.json()["articles"])))
            time.sleep(0.01)


def test_serve_answers_reads_while_ingest_writes(db: Path, tmp_path: Path, logs: Path) -> None:
    with Store(db, read_only=True) as store:
        initial = len(store.known_ids())
    corpus = write_jsonl(generate(INGESTED, seed=77), tmp_path / "more.jsonl")
    records = corpus.read_text(encoding="utf-8").splitlines()
    assert all('"gen-' in record for record in records)  # ids that examples/ does not have
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start([str(DIURNA), "serve", "--db", str(db), "--port", str(port)],
                   logs / "serve.log")
    ingest = None
    stop = threading.Event()
    clients = [Client() for _ in range(CLIENTS)]
    threads = [threading.Thread(target=hammer, args=(base, c, stop)) for c in clients]
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, tail(logs)
            try:
                if httpx.get(f"{base}/api/articles", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # the clients are in full swing before the ingest starts
        ingest_started = time.monotonic()
        ingest = start(ingest_command([corpus], db), logs / "ingest.log")
        assert ingest.wait(timeout=300) == 0, tail(logs)
        ingest_ended = time.monotonic()
        time.sleep(1.5)  # and still read afterwards
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        if ingest is not None:
            kill_group(ingest)
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill_group(server)

    with Store(db, read_only=True) as store:
        final = len(store.known_ids())
        assert store.failures() == []
    assert final == initial + len(records)

    statuses = sum((c.statuses for c in clients), Counter())
    total = sum(statuses.values())
    errors = [e for c in clients for e in c.errors]
    assert not errors, errors[:5]
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] <= 0.02 * total, statuses  # a bounded share; usually none
    during = [n for c in clients for t, n in c.counts if ingest_started < t < ingest_ended]
    assert len(during) >= 10, "the server did not answer while the ingest ran"
    assert any(initial < n < final for n in during), "no read saw the ingest half done"
    for client in clients:
        seen = [n for _, n in client.counts]
        assert seen == sorted(seen), "a client saw the article count go down"
        assert seen[0] >= initial and seen[-1] == final
    print(f"{total} requests: {dict(statuses)}; article counts seen during the ingest: "
          f"{sorted(set(during))}")
