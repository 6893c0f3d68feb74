"""The store: a Diurna database held open, or opened for each batch, and the reads it serves.

DuckDB allows one writing process per file, and while it writes, no other process can open the
file, even read-only. Diurna keeps to that: only the ingest driver writes, one transaction per
batch (:func:`~diurna.store.writing.write_batch`), so that an interrupted run leaves only whole
articles behind. An ingest holds the file only while it writes a batch (:class:`Store` with
``keep_open=False``), and readers wait for it (a bounded time) instead of failing: see
:mod:`diurna.store.locking`.

Every open checks the file before anything uses it: an empty, truncated or foreign file, or one
made by a newer Diurna, is refused with one line that names the file, says what is wrong and
how to recover (:func:`~diurna.store.opening.open_connection`).

The names of opening and checking the file (:mod:`diurna.store.opening`,
:mod:`diurna.store.checks`, :mod:`diurna.store.damage`) are importable from here too, where the
rest of Diurna has always imported them.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from diurna.article import Article, Failure
from diurna.errors import StoreError

# The ``X as X`` imports re-export names this module does not use itself, for the modules that
# import them from here (``__all__`` stays as it was).
from diurna.store.checks import HEADER_BYTES as HEADER_BYTES
from diurna.store.checks import check_database, check_file
from diurna.store.damage import DAMAGE, DatabaseDamaged, damaged, is_damage, one_line, reading
from diurna.store.damage import RECOVERY as RECOVERY
from diurna.store.damage import cannot_open as cannot_open
from diurna.store.locking import DatabaseBusy, default_wait, single_ingest, writer_turn
from diurna.store.opening import DEFAULT_DB, create_database, open_connection, resolve_db_path
from diurna.store.rows import tables_for
from diurna.store.schema import current_version, migrate
from diurna.store.writing import write_batch


class Store:
    """A Diurna database. Use as a context manager; read-only opens never migrate.

    Args:
        path: the DuckDB file (default ``$DIURNA_DB``, else ``./diurna.duckdb``).
        read_only: open read-only; any number of processes may read at once.
        keep_open: hold the connection until :meth:`close` (the default). With ``False`` the
            store connects only for each operation, or for a :meth:`session`, and lets go of
            the file in between: that is how ingest lets readers in between batches.
        wait: seconds to wait for the file when another process has it (default
            :func:`~diurna.store.locking.default_wait`).

    A writable store holds the writer's turn (:mod:`diurna.store.locking`) while connected;
    one with ``keep_open=False`` also holds the ingest lock until :meth:`close`, so that a
    second ingest into the same file is refused.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        keep_open: bool = True,
        wait: float | None = None,
    ) -> None:
        self.path = resolve_db_path(path)
        self.read_only = read_only
        self.keep_open = keep_open
        self.wait = default_wait(read_only) if wait is None else wait
        self.version = 0
        self._con: duckdb.DuckDBPyConnection | None = None
        self._turn: ExitStack | None = None
        self._run = ExitStack()
        if keep_open:
            self._connect()
            return
        try:
            if not read_only:
                # A writer that lets go between batches is an ingest: one at a time.
                self._run.enter_context(single_ingest(self.path))
            with self.session():  # check and migrate now, before the caller does any work
                pass
        except BaseException:
            self._run.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection (inside a :meth:`session`, or always with ``keep_open``)."""
        if self._con is None:
            raise StoreError(f"{self.path}: the store is not connected; use it inside "
                             "'with store.session():'")
        return self._con

    def _connect(self) -> None:
        deadline = time.monotonic() + self.wait
        turn = ExitStack()
        try:
            if not self.read_only:
                turn.enter_context(writer_turn(self.path, deadline))
                check_file(self.path, read_only=False)
                if not self.path.exists():
                    create_database(self.path)
            con = open_connection(self.path, read_only=self.read_only,
                                  wait=max(0.0, deadline - time.monotonic()))
            try:
                self.version = migrate(con) if not self.read_only else current_version(con)
            except duckdb.Error as exc:
                con.close()
                raise StoreError(f"{self.path}: cannot migrate the schema: "
                                 f"{one_line(str(exc))}") from exc
        except BaseException:
            turn.close()
            raise
        self._con, self._turn = con, turn

    def _disconnect(self) -> None:
        con, turn = self._con, self._turn
        self._con = self._turn = None
        try:
            if con is not None:
                try:
                    if not self.read_only:
                        # Fold the WAL into the file now, so that the readers who open it next
                        # do not each replay it.
                        con.execute("CHECKPOINT")
                except duckdb.Error as exc:
                    raise StoreError(f"{self.path}: checkpoint failed ({one_line(str(exc))}); "
                                     "the last batch is safe in the WAL") from exc
                finally:
                    con.close()
        finally:
            if turn is not None:
                turn.close()

    @contextmanager
    def session(self) -> Iterator[Store]:
        """Hold the database open across several operations, then let go of it (a no-op when
        the store is already connected)."""
        if self._con is not None:
            yield self
            return
        self._connect()
        try:
            yield self
        finally:
            self._disconnect()

    def close(self) -> None:
        try:
            if self._con is not None:
                self._disconnect()
        finally:
            self._run.close()

    # -- writing ------------------------------------------------------------------------------

    def known_ids(self) -> set[str]:
        with self.session():
            return {row[0] for row in self._execute("SELECT id FROM articles")}

    def known_hashes(self) -> dict[str, str]:
        """content hash → id of the first article (by ingest time) with that text."""
        with self.session():
            rows = self._execute(
                "SELECT content_hash, arg_min(id, ingested_at) FROM articles"
                " WHERE content_hash IS NOT NULL AND status IN ('ok', 'non_english')"
                " GROUP BY content_hash"
            )
        return {h: i for h, i in rows}

    def write(self, articles: Sequence[Article], failures: Sequence[Failure] = ()) -> None:
        """Write one batch in one transaction: all of it lands, or none of it."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        tables = tables_for(articles, now)
        if not tables and not failures:
            return  # nothing to write: do not take the file from the readers for it
        with self.session():
            write_batch(self.con, self.path, tables, failures, now)

    # -- reading ------------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with reading(self.path):
            return self.con.execute(sql, list(params)).fetchall()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts. ``sql`` is always a constant of this package; values go in ``params``."""
        with self.session(), reading(self.path):
            cursor = self.con.execute(sql, list(params))
            names = [d[0] for d in cursor.description or ()]
            found = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in found]

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
        with self.session():
            rows = self._execute("SELECT status, count(*) FROM articles GROUP BY status")
        return {status: int(n) for status, n in rows}


__all__ = [
    "DAMAGE",
    "DEFAULT_DB",
    "DatabaseBusy",
    "DatabaseDamaged",
    "Store",
    "check_database",
    "damaged",
    "is_damage",
    "open_connection",
    "reading",
    "resolve_db_path",
]
