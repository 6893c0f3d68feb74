"""Opening the DuckDB file, writing batches, and the read queries the interfaces share.

DuckDB allows one writing process per file. Diurna keeps to that: only the ingest driver writes,
one transaction per batch, so that an interrupted run leaves only whole articles behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from diurna.article import Article, Failure
from diurna.errors import StoreError
from diurna.store.rows import failure_table, tables_for
from diurna.store.schema import migrate

DEFAULT_DB = "diurna.duckdb"


def resolve_db_path(db: str | Path | None) -> Path:
    """``--db`` if given, else ``$DIURNA_DB``, else ``./diurna.duckdb``."""
    return Path(db or os.environ.get("DIURNA_DB") or DEFAULT_DB)


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise StoreError(
            f"{path}: no such database; create it with 'diurna ingest PATH --db {path}'"
        )
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise StoreError(
                f"{path}: the database is in use by another process that is writing to it "
                f"(DuckDB allows one writer); wait for it to finish. ({message})"
            ) from exc
        raise StoreError(
            f"{path}: cannot open the database: {message}. If the file is damaged, move it "
            "aside and re-run 'diurna ingest' on the same inputs: ingestion is idempotent."
        ) from exc
    except duckdb.Error as exc:
        raise StoreError(
            f"{path}: not a readable Diurna database ({type(exc).__name__}: {exc}). If the file "
            "is damaged, move it aside and re-run 'diurna ingest' on the same inputs."
        ) from exc


class Store:
    """A Diurna database. Use as a context manager; read-only opens never migrate."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = resolve_db_path(path)
        self.read_only = read_only
        self.con = _connect(self.path, read_only)
        if not read_only:
            try:
                migrate(self.con)
            except duckdb.Error as exc:
                self.con.close()
                raise StoreError(f"{self.path}: cannot migrate the schema: {exc}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- writing ------------------------------------------------------------------------------

    def known_ids(self) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT id FROM articles").fetchall()}

    def known_hashes(self) -> dict[str, str]:
        """content hash → id of the first article (by ingest time) with that text."""
        rows = self.con.execute(
            "SELECT content_hash, arg_min(id, ingested_at) FROM articles"
            " WHERE content_hash IS NOT NULL AND status IN ('ok', 'non_english')"
            " GROUP BY content_hash"
        ).fetchall()
        return {h: i for h, i in rows}

    def write(self, articles: Sequence[Article], failures: Sequence[Failure] = ()) -> None:
        """Write one batch in one transaction: all of it lands, or none of it."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        tables = tables_for(articles, now)
        self.con.execute("BEGIN TRANSACTION")
        try:
            for name, table in tables.items():
                self.con.register("_batch", table)
                self.con.execute(f"INSERT OR IGNORE INTO {name} BY NAME SELECT * FROM _batch")
                self.con.unregister("_batch")
            if failures:
                self.con.register("_batch", failure_table(failures, now))
                # A failure already recorded (same input, same reason) by an earlier run of
                # the same ingest is not recorded again: re-running stays a no-op.
                self.con.execute(
                    "INSERT INTO failures BY NAME SELECT * FROM _batch b WHERE NOT EXISTS"
                    " (SELECT 1 FROM failures f WHERE f.source = b.source"
                    " AND f.reason = b.reason)"
                )
                self.con.unregister("_batch")
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(
                f"{self.path}: writing a batch failed and was rolled back: {exc}"
            ) from exc

    # -- reading ------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts. ``sql`` is always a constant of this package; values go in ``params``."""
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def articles(self, *, status: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        return self.query(
            "SELECT a.id, a.title, a.published, a.language, a.status, a.n_chars,"
            " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events,"
            " a.url, a.source, a.duplicate_of"
            " FROM articles a WHERE (? IS NULL OR a.status = ?)"
            " ORDER BY a.ingested_at, a.id LIMIT ?",
            [status, status, limit],
        )

    def article(self, article_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        row = rows[0]
        row["removed"] = json.loads(row["removed"] or "[]")
        row["warnings"] = json.loads(row["warnings"] or "[]")
        return row

    def failures(self, *, limit: int = 1000) -> list[dict[str, Any]]:
        return self.query(
            "SELECT id, failed_at, stage, source, reason, article_id FROM failures"
            " ORDER BY id LIMIT ?",
            [limit],
        )

    def counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall()
        return {status: int(n) for status, n in rows}
