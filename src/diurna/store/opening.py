"""Finding, creating and opening the DuckDB file, and waiting for it while another process has it.

DuckDB allows one writing process per file, and while it writes, no other process can open the
file, even read-only. :func:`open_connection` therefore retries DuckDB's lock error for a bounded
time, and a reader first waits for a writer that has announced itself (see
:mod:`diurna.store.locking`); past the wait it raises :class:`~diurna.store.locking.DatabaseBusy`
naming the process that holds the file.

Every open checks the file before anything uses it (:mod:`diurna.store.checks`): an empty,
truncated or foreign file, or one made by a newer Diurna, is refused with one line that names
the file, says what is wrong and how to recover. A new database is built under a temporary name
and linked into place (:func:`create_database`), so that it appears whole or not at all.
"""

from __future__ import annotations

import glob
import os
import re
import time
from pathlib import Path
from typing import Any

import duckdb

from diurna.errors import StoreError
from diurna.store.checks import check_database, check_file
from diurna.store.damage import RECOVERY, cannot_open, one_line
from diurna.store.locking import DatabaseBusy, default_wait, pauses, wait_for_writer
from diurna.store.schema import migrate

DEFAULT_DB = "diurna.duckdb"
_LOCK_ERROR = "could not set lock"
_PID = re.compile(r"\(PID (\d+)\)")


def resolve_db_path(db: str | Path | None) -> Path:
    """``--db`` if given, else ``$DIURNA_DB``, else ``./diurna.duckdb``."""
    return Path(db or os.environ.get("DIURNA_DB") or DEFAULT_DB)


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
    let go. The file is checked (:func:`~diurna.store.checks.check_database`) before the
    connection is returned.

    Raises:
        DatabaseBusy: another process kept the file past the wait.
        StoreError: the file is missing (read-only), empty, damaged, foreign or too new.
    """
    check_file(path, read_only)
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


def create_database(path: Path) -> None:
    """Create the database ``path`` with its schema, atomically: it is built under a temporary
    name and linked into place, so a process killed while creating it leaves no half-made (or
    empty) file at ``path`` for the next run to trip over.

    The caller holds the writer's turn (:func:`~diurna.store.locking.writer_turn`)."""
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
