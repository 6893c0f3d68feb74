"""Taking turns at the database file: one writer at a time, and readers stand aside for it.

DuckDB lets one process open a file for writing, and while it does, no other process can open
the file at all, not even read-only; conversely, any process that has it open read-only keeps
every writer out. Diurna's writers (ingest) therefore open the file only for the moment they
write a batch, and its readers (``diurna serve``, the read commands) retry for a bounded time
when the file is taken.

Retrying alone is not fair to the writer: a busy web server always has a request in flight, so
its read-only connection would never let go. A writer therefore announces itself first, by
holding an exclusive ``flock`` on the *turn file* ``<db>.lock`` next to the database for as long
as it has the database open (or is waiting to). A reader looks at the turn file before it opens
the database or reuses an open connection: while a writer holds it, the reader closes its
connection and waits, so the writer gets in after at most the requests already running.

Because an ingest lets go of the file between batches, DuckDB no longer keeps a second ingest
out; :func:`single_ingest` does, with a lock on ``<db>.ingest.lock`` held for the whole run.

These files hold no data: a lock dies with the process that held it (a killed ingest leaves
nothing to clean up), and deleting the files while nothing runs is harmless. Where
``fcntl`` is missing (Windows) or the file cannot be created (a read-only folder), everyone falls
back to retrying on DuckDB's own lock error.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from diurna.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no turn file, DuckDB's lock error only
    fcntl = None  # type: ignore[assignment]

TURN_SUFFIX = ".lock"
READ_WAIT = 10.0  # seconds a reader waits for a writer to finish a batch
WRITE_WAIT = 120.0  # seconds a writer waits for readers to let go of the file
_WAIT_ENV = "DIURNA_LOCK_WAIT"  # overrides both, in seconds (for scripts and tests)


class DatabaseBusy(StoreError):
    """Another process had the database file and did not let go within the time allowed."""


def default_wait(read_only: bool) -> float:
    """How long an open waits for the file: ``$DIURNA_LOCK_WAIT``, else the default."""
    value = os.environ.get(_WAIT_ENV)
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
    return READ_WAIT if read_only else WRITE_WAIT


def turn_path(db: Path) -> Path:
    """The turn file of the database ``db``: ``news.duckdb`` → ``news.duckdb.lock``."""
    return db.with_name(db.name + TURN_SUFFIX)


def pauses(deadline: float, *, first: float = 0.005, longest: float = 0.1) -> Iterator[float]:
    """The pauses between attempts: each ``next()`` sleeps (exponential backoff from ``first``
    to ``longest`` seconds, with jitter so that waiters do not retry in step) and tells the
    caller to try again; the iterator ends when ``deadline`` (a ``time.monotonic()`` value) has
    passed."""
    pause = first
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, pause * random.uniform(0.5, 1.0)))
        yield pause
        pause = min(longest, pause * 2)


@contextmanager
def writer_turn(db: Path, deadline: float) -> Iterator[None]:
    """Hold the writer's turn of ``db`` (an exclusive ``flock`` on its turn file).

    Raises:
        DatabaseBusy: another writer kept the turn past ``deadline``.
    """
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(turn_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a folder we cannot write to: DuckDB's own lock still keeps writers apart
        yield
        return
    try:
        if not _try_lock(fd, fcntl.LOCK_EX):
            for _ in pauses(deadline):
                if _try_lock(fd, fcntl.LOCK_EX):
                    break
            else:
                raise DatabaseBusy(
                    f"{db}: the database is busy: another 'diurna ingest' is writing to it and "
                    "did not finish in time; wait for it to end, then run this again (ingest "
                    "resumes where it stopped)"
                )
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def single_ingest(db: Path) -> Iterator[None]:
    """Hold the ingest lock of ``db`` (``<db>.ingest.lock``) for a whole run.

    An ingest lets go of the database between batches, so DuckDB's own lock no longer keeps a
    second ingest out; two at once would interleave their batches, and neither would see the
    other's texts to link duplicates. The second one is refused instead, at once.

    Raises:
        StoreError: another ingest holds the lock.
    """
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(db.with_name(db.name + ".ingest.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a folder we cannot write to: the ingest will fail to write there anyway
        yield
        return
    try:
        if not _try_lock(fd, fcntl.LOCK_EX):
            raise StoreError(
                f"{db}: another 'diurna ingest' is already running on this database; wait for "
                "it to finish (or stop it), then run this one again"
            )
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _try_lock(fd: int, kind: int) -> bool:
    assert fcntl is not None
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def writer_waiting(db: Path) -> bool:
    """Whether a writer holds (or is waiting with) the turn of ``db`` right now."""
    if fcntl is None:
        return False
    try:
        fd = os.open(turn_path(db), os.O_RDONLY)
    except OSError:  # no turn file: no writer has announced itself
        return False
    try:
        if not _try_lock(fd, fcntl.LOCK_SH):
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def wait_for_writer(db: Path, deadline: float) -> bool:
    """Wait until no writer holds the turn of ``db``; False if one still does at ``deadline``."""
    if not writer_waiting(db):
        return True
    return any(not writer_waiting(db) for _ in pauses(deadline))
