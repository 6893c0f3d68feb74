"""Crash safety: ``diurna ingest`` killed with SIGKILL, again and again, then run to the end.

A real ``diurna ingest`` process (batch size 4, so a few hundred articles make ~50 commits) is
killed at seeded random moments: while it starts, at random points of its work, and the
moment a write is under way (its WAL file exists). After every kill the database must open,
and hold only whole articles: no article twice, no row whose article is missing, every
article present with exactly the rows it has in a reference database ingested without
interruption. A last run completes the ingest; the result must equal the reference.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from diurna.store import Store

from .conftest import CORPUS_SIZE, article_tables, ingest_command, kill_group, start, tail

SEED = 20241129
# When each run is killed: "early" (starting up, creating the database), "work" (a random
# moment of its work, a few writes in), "write" (as soon as a write transaction is under way).
PLAN = ["early", "work", "write", "work", "write", "write"]
RUN_LIMIT = 240.0  # seconds: a run that takes longer has hung


def per_article(db: Path, tables: list[str]) -> dict[str, dict[str, Any]]:
    """article id → its status, duplicate_of, and number of rows in each table."""
    out: dict[str, dict[str, Any]] = {}
    with Store(db, read_only=True) as store:
        for row in store.query("SELECT id, status, duplicate_of FROM articles"):
            out[row["id"]] = {"status": row["status"], "duplicate_of": row["duplicate_of"],
                              **dict.fromkeys(tables, 0)}
        for table in tables:
            for row in store.query(f"SELECT article_id, count(*) AS n FROM {table}"
                                   " GROUP BY article_id"):
                # A row of an article that is not stored is an orphan: counted under its id,
                # it shows up as an article the reference does not have either.
                out.setdefault(row["article_id"], defaultdict(int))[table] = row["n"]
    return out


def check_whole(db: Path, reference: dict[str, dict[str, Any]], tables: list[str]) -> int:
    """Assert that ``db`` opens and holds only whole articles; returns how many."""
    with Store(db, read_only=True) as store:
        ids = store.query("SELECT count(*) AS n, count(DISTINCT id) AS d FROM articles")[0]
        assert ids["n"] == ids["d"], "an article is stored twice"
        assert store.failures() == [], store.failures()
    found = per_article(db, tables)
    orphans = set(found) - set(reference)
    assert not orphans, f"rows of articles that are not stored: {sorted(orphans)[:5]}"
    partial = {i: (found[i], reference[i]) for i in found if found[i] != reference[i]}
    assert not partial, f"{len(partial)} partial articles, e.g. {next(iter(partial.items()))}"
    return len(found)


def wait_for(process: Any, moment: str, rng: random.Random, wal: Path) -> str:
    """Wait for the moment to kill ``process``; what happened (or "finished" if it ended).

    Moments after start-up are counted in writes (the WAL exists while a batch's transaction
    is written and checkpointed), not in seconds: a faster machine or a faster Diurna must not
    let a run finish before it is killed, or the test proves nothing.
    """
    if moment == "early":
        deadline = time.monotonic() + rng.uniform(0.2, 2.0)
    else:
        deadline = time.monotonic() + 60.0
    # "work": after a few writes, at a random moment of the analysis that follows;
    # "write": in the middle of a write (not always the first of the run).
    writes_to_skip = rng.randint(1, 6) if moment == "work" else rng.randint(0, 3)
    writing = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "finished"
        if moment != "early":
            now_writing = wal.exists()
            if now_writing and not writing:
                if writes_to_skip == 0:
                    if moment == "work":
                        time.sleep(rng.uniform(0.05, 0.6))  # past the write, into the work
                        return "killed"
                    time.sleep(rng.uniform(0, 0.05))  # in the transaction or its checkpoint
                    return "killed while writing"
                writes_to_skip -= 1
            writing = now_writing
        time.sleep(0.001 if moment != "early" else 0.02)
    return "killed"


def test_ingest_killed_again_and_again_loses_and_duplicates_nothing(
    corpus: Path, reference_db: Path, tmp_path: Path, logs: Path
) -> None:
    tables = article_tables(reference_db)
    assert {"articles", "events", "entities", "sentences", "counts", "quotes", "places",
            "relations", "event_mentions"} <= {*tables, "articles"}, tables
    tables = [t for t in tables if t != "event_mentions"]  # rebuilt at the end of a run
    reference = per_article(reference_db, tables)
    assert len(reference) == CORPUS_SIZE
    db = tmp_path / "crash.duckdb"
    wal = db.with_name(db.name + ".wal")
    rng = random.Random(SEED)
    history = []
    for number, moment in enumerate(PLAN):
        process = start(ingest_command([corpus], db), logs / f"run-{number}.log")
        try:
            outcome = wait_for(process, moment, rng, wal)
        finally:
            kill_group(process)
        stored = check_whole(db, reference, tables) if db.exists() else 0
        history.append((moment, outcome, stored))
        if outcome == "finished":
            break
    # Killed runs must have left work for the last one, or the test proved nothing.
    assert sum(o.startswith("killed") for _, o, _ in history) >= 4, history
    assert any(o == "killed while writing" for _, o, _ in history), history
    assert history[-1][2] < CORPUS_SIZE, history

    process = start(ingest_command([corpus], db), logs / "final.log")
    try:
        assert process.wait(timeout=RUN_LIMIT) == 0, tail(logs)
    finally:
        kill_group(process)
    assert check_whole(db, reference, tables) == CORPUS_SIZE, history
    assert per_article(db, tables) == reference
    with Store(db, read_only=True) as got, Store(reference_db, read_only=True) as want:
        # The clusters rebuilt at the end agree too: the same events, grouped the same way.
        sql = "SELECT event_id, cluster_id FROM event_mentions ORDER BY event_id"
        assert got.query(sql) == want.query(sql)
        assert got.counts() == want.counts()
    print("kills:", history)
