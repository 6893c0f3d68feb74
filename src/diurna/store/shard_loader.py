"""Loading a shard's Parquet files into DuckDB: the single writer of a sharded ingest.

Workers write each finished shard as one Parquet file per table (``articles.parquet``,
``events.parquet``, ...) in a folder of their own. The driver loads a folder in one transaction,
together with the shard's row in ``shards``, so a shard is either wholly in the database and
recorded or not at all. Loading also settles what a worker cannot know:

* an article already stored (same id) keeps its stored rows: re-ingesting stays a no-op;
* an article whose text is already stored under another id becomes a duplicate linked to that
  first copy, and its coded rows are dropped, as in a streaming ingest.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from diurna.errors import StoreError
from diurna.store.damage import one_line
from diurna.store.database import Store
from diurna.store.rows import ARTICLE_TABLES

FAILURES_FILE = "failures.parquet"


@dataclass
class Loaded:
    new: int = 0
    unchanged: int = 0
    duplicate: int = 0
    non_english: int = 0


def done_shards(store: Store) -> set[str]:
    return {row[0] for row in store.con.execute("SELECT id FROM shards").fetchall()}


def _read(folder: Path, name: str) -> pa.Table | None:
    path = folder / f"{name}.parquet"
    return pq.read_table(path) if path.exists() else None


def _duplicates(store: Store, articles: pa.Table) -> dict[str, str]:
    """id → first stored id, for shard articles whose text is already stored under another id."""
    hashes = [h for h in articles.column("content_hash").to_pylist() if h]
    if not hashes:
        return {}
    rows = store.con.execute(
        "SELECT content_hash, arg_min(id, ingested_at) FROM articles"
        " WHERE content_hash IN (SELECT unnest(?)) AND status IN ('ok', 'non_english')"
        " GROUP BY content_hash",
        [hashes],
    ).fetchall()
    first = dict(rows)
    found = {}
    for row in articles.select(["id", "content_hash", "status"]).to_pylist():
        stored = first.get(row["content_hash"])
        if stored and stored != row["id"] and row["status"] in ("ok", "non_english"):
            found[row["id"]] = stored
    return found


def _mark_duplicates(articles: pa.Table, duplicates: dict[str, str]) -> pa.Table:
    ids = articles.column("id").to_pylist()
    statuses = [
        "duplicate" if i in duplicates else s
        for i, s in zip(ids, articles.column("status").to_pylist(), strict=True)
    ]
    first = [duplicates.get(i, d)
             for i, d in zip(ids, articles.column("duplicate_of").to_pylist(), strict=True)]
    reasons = [f"same text as article {duplicates[i]}" if i in duplicates else r
               for i, r in zip(ids, articles.column("status_reason").to_pylist(), strict=True)]
    for name, values in (("status", statuses), ("duplicate_of", first),
                         ("status_reason", reasons)):
        index = articles.schema.get_field_index(name)
        articles = articles.set_column(index, articles.schema.field(index),
                                       pa.array(values, articles.schema.field(index).type))
    return articles


def load_shard(
    store: Store, shard_id: str, pieces: list[dict[str, Any]], folder: Path, *, done: bool = True
) -> Loaded:
    """Load one finished shard folder in one transaction and, if ``done``, record the shard as
    finished. A shard with articles whose analysis failed (a time limit, a lost worker) is loaded
    but not recorded, so the next run processes it again and retries them."""
    loaded = Loaded()
    articles = _read(folder, "articles")
    skip: set[str] = set()
    if articles is not None and articles.num_rows:
        ids = articles.column("id").to_pylist()
        stored = {row[0] for row in store.con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
        skip |= stored
        duplicates = _duplicates(store, articles)
        skip |= set(duplicates)  # their coded rows are not kept
        articles = articles.filter(pc.invert(pc.is_in(articles.column("id"),
                                                      pa.array(sorted(stored), pa.string()))))
        articles = _mark_duplicates(articles, duplicates)
        loaded.unchanged = len(stored)
        statuses = articles.column("status").to_pylist()
        loaded.new = statuses.count("ok")
        loaded.duplicate = statuses.count("duplicate")
        loaded.non_english = statuses.count("non_english")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        for name in ARTICLE_TABLES:
            table = articles if name == "articles" else _read(folder, name)
            if table is None or not table.num_rows:
                continue
            if name != "articles" and skip:
                keep = pc.invert(pc.is_in(table.column("article_id"),
                                          pa.array(sorted(skip), pa.string())))
                table = table.filter(keep)
            con.register("_shard", table)
            con.execute(f"INSERT OR IGNORE INTO {name} BY NAME SELECT * FROM _shard")
            con.unregister("_shard")
        failures = _read(folder, "failures")
        if failures is not None and failures.num_rows:
            con.register("_shard", failures)
            con.execute(
                "INSERT INTO failures BY NAME SELECT * FROM _shard b WHERE NOT EXISTS"
                " (SELECT 1 FROM failures f WHERE f.source = b.source AND f.reason = b.reason)"
            )
            con.unregister("_shard")
        if done:
            con.execute(
                "INSERT OR IGNORE INTO shards VALUES (?, ?, ?, ?, ?)",
                [shard_id, json.dumps(pieces), articles.num_rows if articles is not None else 0,
                 failures.num_rows if failures is not None else 0, now],
            )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(
            f"{store.path}: loading shard {shard_id} from {folder} failed and was rolled back: "
            f"{one_line(str(exc))}"
        ) from exc
    return loaded
