"""Opening the DuckDB file, writing batches, and the read queries the interfaces share.

DuckDB allows one writing process per file, and while it writes, no other process can open the
file, even read-only. Diurna keeps to that: only the ingest driver writes, one transaction per
batch, so that an interrupted run leaves only whole articles behind. An ingest holds the file
only while it writes a batch (:class:`Store` with ``keep_open=False``), and readers wait for it
(a bounded time) instead of failing: see :mod:`diurna.store.locking`.

Every open checks the file before anything uses it: an empty, truncated or foreign file, or one
made by a newer Diurna, is refused with one line that names the file, says what is wrong and
how to recover (:func:`open_connection`).
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from diurna.article import Article, Failure
from diurna.errors import StoreError
from diurna.store.locking import (
    DatabaseBusy,
    default_wait,
    pauses,
    single_ingest,
    wait_for_writer,
    writer_turn,
)
from diurna.store.rows import failure_table, tables_for
from diurna.store.schema import current_version, migrate, migrations

DEFAULT_DB = "diurna.duckdb"
# DuckDB's file: a 4 KiB main header and two 4 KiB database headers, then the blocks.
HEADER_BYTES = 3 * 4096
RECOVERY = "move it aside and re-run 'diurna ingest' on the same inputs (ingestion is idempotent)"
# Errors a query can meet on a file that opened but is damaged further in, and the words of
# those DuckDB raises as a plain duckdb.Error (a block whose checksum does not match).
DAMAGE = (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException)
_DAMAGE_WORDS = ("corrupt database", "checksum", "could not read enough bytes")
_LOCK_ERROR = "could not set lock"
_PID = re.compile(r"\(PID (\d+)\)")


def resolve_db_path(db: str | Path | None) -> Path:
    """``--db`` if given, else ``$DIURNA_DB``, else ``./diurna.duckdb``."""
    return Path(db or os.environ.get("DIURNA_DB") or DEFAULT_DB)


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line (DuckDB's messages carry newlines and caret diagrams), shortened."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class DatabaseDamaged(StoreError):
    """The file is not a usable Diurna database: empty, truncated, damaged, another program's
    DuckDB file, or made by a newer Diurna. The message says which, and how to recover."""


def cannot_open(path: Path, what: str, hint: str = f"if the file is damaged, {RECOVERY}"
                ) -> DatabaseDamaged:
    return DatabaseDamaged(f"{path}: cannot open the database: {what}; {hint}")


def damaged(path: Path, exc: BaseException) -> DatabaseDamaged:
    """The error for a file that opened but failed while being read."""
    return DatabaseDamaged(f"{path}: the database is damaged ({one_line(str(exc))}); "
                           f"{RECOVERY}")


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error means the file is damaged (rather than the query is wrong)."""
    if isinstance(exc, DAMAGE):
        return True
    message = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(word in message for word in _DAMAGE_WORDS)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Raise :class:`DatabaseDamaged` naming ``path`` for a DuckDB error that means damage;
    let every other error through as it is."""
    try:
        yield
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(path, exc) from exc
        raise


# -- opening ----------------------------------------------------------------------------------


def _check_file(path: Path, read_only: bool) -> None:
    """Refuse what DuckDB would refuse less clearly (or, for an empty file, not at all)."""
    if not path.exists():
        if read_only:
            raise StoreError(
                f"{path}: no such database; create it with 'diurna ingest PATH --db {path}'"
            )
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist; create it, "
                             "or give another --db")
        return
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file; give a file with --db")
    if path.stat().st_size == 0:
        # A file cut off before DuckDB wrote its header (a copy onto a full disk, say). It
        # holds nothing; refusing it keeps a user from mistaking it for their database.
        raise cannot_open(path, "the file is empty (0 bytes), not a DuckDB database", RECOVERY)


def _open_error(path: Path, exc: duckdb.Error) -> StoreError:
    message = one_line(str(exc))
    lowered = message.lower()
    if "not a valid duckdb database file" in lowered:
        return cannot_open(path, "not a DuckDB database file (its header is not DuckDB's)")
    if "could not read enough bytes" in lowered:
        return cannot_open(path, "the file is truncated (it ends before the blocks its header "
                           "lists)", RECOVERY)
    if "version number" in lowered or "storage version" in lowered:
        return cannot_open(path, f"written by another version of DuckDB ({message})",
                           f"open it with the DuckDB that wrote it, or {RECOVERY}")
    return cannot_open(path, message)


def _busy(path: Path, exc: duckdb.Error, read_only: bool, waited: float) -> DatabaseBusy:
    match = _PID.search(str(exc))
    holder = f"process {match.group(1)}" if match else "another process"
    if read_only:
        return DatabaseBusy(
            f"{path}: the database is busy: {holder} is writing to it and did not let go "
            f"within {waited:.3g} s; wait for it to finish and try again"
        )
    return DatabaseBusy(
        f"{path}: the database is in use: {holder} has it open and did not let go within "
        f"{waited:.3g} s; close it (a diurna.open() session, 'diurna serve' of an older Diurna, "
        "a duckdb shell...) and run this again (ingest resumes where it stopped)"
    )


def check_database(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Check that ``con`` is a whole Diurna database it can use; returns its schema version
    (0 for an empty DuckDB file, which ingest fills).

    Raises:
        StoreError: the file is truncated, is another program's DuckDB database, or was made by
            a newer Diurna.
    """
    try:
        # The file must at least hold the blocks in use (free blocks at its end are cut off
        # by DuckDB itself, so the total count may exceed the file). A cheap test that catches
        # a copy cut short; damage it misses surfaces as a "damaged" error when read.
        # fetchall, not fetchone: DuckDB 2 refuses the next statement of a connection while
        # a result is left unread.
        for block_size, used_blocks in con.execute(
            "SELECT block_size, used_blocks FROM pragma_database_size()"
            " WHERE database_name = current_database()"
        ).fetchall():
            size = path.stat().st_size
            needed = HEADER_BYTES + int(block_size) * int(used_blocks)
            if size < needed:
                raise cannot_open(
                    path, f"the file is truncated ({size} bytes, but it has {needed} bytes of "
                    "data according to its header)", RECOVERY)
        tables = sorted(
            str(name) for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_catalog = current_database() AND table_schema = 'main'"
            ).fetchall()
        )
        if "schema_version" not in tables:
            if not tables:
                return 0
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise cannot_open(
                path, f"a DuckDB database, but not a Diurna one (tables {shown}; no "
                "schema_version)", f"check the --db path, or {RECOVERY}")
        version = current_version(con)
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(path, exc) from exc
        raise cannot_open(path, one_line(str(exc))) from exc
    newest = migrations()[-1][0]
    if version > newest:
        raise cannot_open(
            path, f"it was made by a newer Diurna (schema version {version}; this Diurna "
            f"knows versions up to {newest})", f"upgrade Diurna, or {RECOVERY}")
    return version


def open_connection(
    path: Path,
    *,
    read_only: bool,
    config: dict[str, Any] | None = None,
    wait: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """A checked connection to the Diurna database ``path``.

    A read-only open first waits for a writer that has announced itself (the turn file), then
    retries DuckDB's lock error with backoff, for ``wait`` seconds in all (default
    :func:`~diurna.store.locking.default_wait`). A writer retries the same way while readers
    let go. The file is checked (:func:`check_database`) before the connection is returned.

    Raises:
        DatabaseBusy: another process kept the file past the wait.
        StoreError: the file is missing (read-only), empty, damaged, foreign or too new.
    """
    _check_file(path, read_only)
    waited = default_wait(read_only) if wait is None else wait
    deadline = time.monotonic() + waited
    if read_only:
        wait_for_writer(path, deadline)
    attempts = pauses(deadline, first=0.01)
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=dict(config or {}))
            break
        except duckdb.IOException as exc:
            if _LOCK_ERROR not in str(exc).lower():
                raise _open_error(path, exc) from exc
            if next(attempts, None) is None:
                raise _busy(path, exc, read_only, waited) from exc
            if read_only:
                wait_for_writer(path, deadline)
        except duckdb.ConnectionException as exc:
            raise StoreError(
                f"{path}: already open in this process with other settings (read-only or "
                f"writable); close that connection first ({one_line(str(exc))})"
            ) from exc
        except duckdb.Error as exc:
            raise _open_error(path, exc) from exc
    try:
        check_database(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _create(path: Path) -> None:
    """Create the database ``path`` with its schema, atomically: it is built under a temporary
    name and linked into place, so a process killed while creating it leaves no half-made (or
    empty) file at ``path`` for the next run to trip over."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    # Leftovers of creators killed part way (the caller holds the writer's turn, so none is
    # still at work).
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.new*"):
        leftover.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(temporary))
        try:
            migrate(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    except duckdb.Error as exc:
        raise _open_error(path, exc) from exc
    finally:
        temporary.unlink(missing_ok=True)


# -- the store --------------------------------------------------------------------------------


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
                _check_file(self.path, read_only=False)
                if not self.path.exists():
                    _create(self.path)
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
            con = self.con
            con.execute("BEGIN TRANSACTION")
            try:
                for name, table in tables.items():
                    con.register("_batch", table)
                    con.execute(f"INSERT OR IGNORE INTO {name} BY NAME SELECT * FROM _batch")
                    con.unregister("_batch")
                if failures:
                    con.register("_batch", failure_table(failures, now))
                    # A failure already recorded (same input, same reason) by an earlier run of
                    # the same ingest is not recorded again: re-running stays a no-op.
                    con.execute(
                        "INSERT INTO failures BY NAME SELECT * FROM _batch b WHERE NOT EXISTS"
                        " (SELECT 1 FROM failures f WHERE f.source = b.source"
                        " AND f.reason = b.reason)"
                    )
                    con.unregister("_batch")
                con.execute("COMMIT")
            except duckdb.Error as exc:
                con.execute("ROLLBACK")
                raise StoreError(
                    f"{self.path}: writing a batch failed and was rolled back: "
                    f"{one_line(str(exc))}"
                ) from exc

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
