"""Sharded ingest: the same rows as a streaming ingest, resumable by shard after the driver or
a worker is killed, with the driver the only writer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from diurna.executors.local import LocalExecutor
from diurna.jobs.ingest import ingest
from diurna.jobs.shards import ShardSettings, ingest_sharded, plan_shards, run_shard
from diurna.readers import ReadOptions
from diurna.store import Store

REPO = Path(__file__).resolve().parents[2]
TABLES = ("articles", "sentences", "entities", "events", "counts", "quotes", "places",
          "relations")
PLACES = ["Geneva", "Nairobi", "Vienna", "Dakar", "Tbilisi", "Almaty", "Bamako", "Yerevan"]
PARAGRAPHS = [
    "Delegations from Kenya and Ethiopia met in {p} on day {i} and agreed to reopen the border.",
    "Police in {p} arrested {n} protesters after clashes near parliament, officials said.",
    "The foreign minister of Armenia said in {p} that talks with Azerbaijan would resume.",
    "France condemned the attack near {p}, in which three soldiers were killed.",
]


def make_corpus(folder: Path, articles: int = 48) -> Path:
    """A JSONL file of distinct small articles (plus one malformed line)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feed.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(articles):
            place = PLACES[i % len(PLACES)]
            body = "\n\n".join(p.format(p=place, i=i, n=10 + i)
                                 for p in PARAGRAPHS[: 1 + i % 4])
            out.write(json.dumps({"id": f"n{i:03d}", "text": f"Report {i}.\n\n{body}",
                                  "published": f"2024-0{1 + i % 9}-1{i % 10}"}) + "\n")
            if i == 20:
                out.write("{broken\n")
    return path


def per_article(db: Path) -> dict[str, tuple[int, ...]]:
    """article id → (status, number of rows in each table): equal when nothing is partial."""
    with Store(db, read_only=True) as store:
        out: dict[str, tuple[int, ...]] = {}
        for (article_id,) in store.con.execute("SELECT id FROM articles").fetchall():
            out[article_id] = tuple(
                store.con.execute(f"SELECT count(*) FROM {t} WHERE "
                                  f"{'id' if t == 'articles' else 'article_id'} = ?",
                                  [article_id]).fetchone()[0]
                for t in TABLES
            )
        return out


def test_shards_group_small_files_and_cut_large_ones(tmp_path: Path) -> None:
    feed = make_corpus(tmp_path / "in", 48)
    shards, failures = plan_shards([REPO / "examples", feed, tmp_path / "missing"],
                                   ReadOptions(), shard_bytes=3_000)
    assert [f.source for f in failures] == [str(tmp_path / "missing")]
    feed_shards = [s for s in shards if s.pieces[0].path == str(feed)]
    assert len(feed_shards) > 3 and all(len(s.pieces) == 1 for s in feed_shards)
    assert len({s.id for s in shards}) == len(shards)
    again, _ = plan_shards([REPO / "examples", feed], ReadOptions(), shard_bytes=3_000)
    assert [s.id for s in again] == [s.id for s in shards]  # stable ids: resumable
    feed.write_text(feed.read_text() + "\n")
    changed, _ = plan_shards([feed], ReadOptions(), shard_bytes=3_000)
    assert {s.id for s in changed}.isdisjoint({s.id for s in feed_shards})


@pytest.mark.e2e
def test_sharded_ingest_stores_what_a_streaming_ingest_stores(tmp_path: Path) -> None:
    feed = make_corpus(tmp_path / "in")
    inputs = [REPO / "examples", feed]
    ingest(inputs, tmp_path / "stream.duckdb")
    summary = ingest_sharded(inputs, tmp_path / "shard.duckdb", LocalExecutor(2),
                             shard_bytes=2_000)
    assert summary.shards > 5 and summary.shards_skipped == 0
    assert summary.failed == 1 and ":22: malformed JSON" in summary.failures[0]
    assert summary.new == 48 + 12 and summary.duplicate == 1
    assert per_article(tmp_path / "shard.duckdb") == per_article(tmp_path / "stream.duckdb")
    assert not any((tmp_path / "shard.duckdb.shards").iterdir())  # loaded folders are removed
    again = ingest_sharded(inputs, tmp_path / "shard.duckdb", LocalExecutor(1),
                           shard_bytes=2_000)
    assert again.shards_skipped == again.shards and again.read == 0 and again.new == 0
    with Store(tmp_path / "shard.duckdb", read_only=True) as store:
        assert len(store.failures()) == 1


@pytest.mark.e2e
def test_a_finished_shard_folder_is_loaded_without_being_redone(tmp_path: Path) -> None:
    feed = make_corpus(tmp_path / "in", 12)
    shards, _ = plan_shards([feed], ReadOptions(), shard_bytes=1_500)
    folder = tmp_path / "work"
    run_shard(shards[0], str(folder), ShardSettings())  # a worker finished, the driver died
    calls: list[str] = []

    class Counting(LocalExecutor):
        def run_each(self, fn, items, *args):  # type: ignore[no-untyped-def]
            items = list(items)
            calls.extend(s.id for s in items)
            return super().run_each(fn, items, *args)

    summary = ingest_sharded([feed], tmp_path / "db.duckdb", Counting(1), shard_dir=folder,
                             shard_bytes=1_500)
    assert summary.new == 12
    # The finished folder is handed to run_shard, which returns its recorded result at once.
    assert shards[0].id in calls and not (folder / shards[0].id).exists()


def _ingest_cmd(feed: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "diurna.cli.main", "ingest", str(feed), "--db", str(db),
            "--quiet", "--shard-mb", "0.002", *extra]


def _wait_for_shards(db: Path, at_least: int, proc: subprocess.Popen[bytes]) -> None:
    """Wait until the driver has recorded ``at_least`` shards (read through the WAL-free file
    is not possible while it writes, so watch the shard folder instead)."""
    folder = db.with_name(db.name + ".shards")
    deadline = time.monotonic() + 240
    seen: set[str] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        if folder.exists():
            seen |= {p.name for p in folder.iterdir() if not p.name.count(".tmp-")}
        if len(seen) >= at_least:
            return
        time.sleep(0.05)


@pytest.mark.e2e
def test_killing_the_driver_then_running_again_loses_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    feed = make_corpus(tmp_path / "in", 40)
    reference = tmp_path / "reference.duckdb"
    ingest_sharded([feed], reference, LocalExecutor(1), shard_bytes=2_000)
    db = tmp_path / "db.duckdb"
    proc = subprocess.Popen(_ingest_cmd(feed, db, "--shards"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _wait_for_shards(db, 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(_ingest_cmd(feed, db, "--shards", "--format", "jsonl"),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr  # the malformed line
    assert per_article(db) == per_article(reference)
    with Store(db, read_only=True) as store:
        assert [f["reason"] for f in store.failures()] == [
            f"{feed}:22: malformed JSON: Expecting property name enclosed in double quotes "
            "at column 2"]


@pytest.mark.e2e
def test_a_dask_worker_killed_mid_run_is_replaced_and_nothing_is_lost(tmp_path: Path) -> None:
    feed = make_corpus(tmp_path / "in", 40)
    reference = tmp_path / "reference.duckdb"
    ingest_sharded([feed], reference, LocalExecutor(1), shard_bytes=2_000)
    db = tmp_path / "db.duckdb"
    proc = subprocess.Popen(_ingest_cmd(feed, db, "--executor", "dask", "--workers", "2"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_shards(db, 2, proc)
    driver = psutil.Process(proc.pid)
    # LocalCluster's nannies run in the driver and spawn one process per worker: kill one.
    workers = [p for p in driver.children(recursive=True)
               if any("spawn_main" in part for part in p.cmdline())]
    assert workers, "no Dask worker processes found"
    os.kill(workers[0].pid, signal.SIGKILL)
    assert proc.wait(timeout=600) == 1  # the malformed line
    assert per_article(db) == per_article(reference)
