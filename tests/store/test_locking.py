"""Taking turns at the file: the writer's turn, readers that wait for it, and clear errors
when another process keeps the database past the wait."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from diurna.article import Article
from diurna.errors import StoreError
from diurna.store import DatabaseBusy, Store
from diurna.store.locking import turn_path, wait_for_writer, writer_turn, writer_waiting


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        store.write([Article(id="a1", text="Talks resume.", language="en", content_hash="h1")])
    return path


@contextmanager
def holder(db: Path, how: str) -> Iterator[subprocess.Popen[str]]:
    """Another process with ``db`` open: ``"read"`` (read-only), ``"duckdb"`` (writable, as a
    DuckDB shell would: without the turn) or ``"store"`` (a Diurna writer: turn and file). It
    lets go when its standard input closes."""
    code = (
        "import sys, duckdb\n"
        "from diurna.store import Store\n"
        f"path = {str(db)!r}\n"
        f"how = {how!r}\n"
        "if how == 'store':\n"
        "    held = Store(path)\n"
        "else:\n"
        "    held = duckdb.connect(path, read_only=how == 'read')\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
        "held.close()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)


def test_one_writer_turn_at_a_time(db: Path) -> None:
    assert not writer_waiting(db)
    with writer_turn(db, time.monotonic() + 1):
        assert writer_waiting(db)
        started = time.monotonic()
        with (pytest.raises(DatabaseBusy, match="another 'diurna ingest' is writing"),
              writer_turn(db, time.monotonic() + 0.3)):
            pass
        assert time.monotonic() - started >= 0.25
    assert not writer_waiting(db)
    turn_path(db).unlink()  # harmless while nobody writes
    assert not writer_waiting(db)


def test_a_reader_waits_for_the_writer_to_finish(db: Path) -> None:
    released = threading.Event()

    def write_for_a_while() -> None:
        with writer_turn(db, time.monotonic() + 1):
            released.wait(5)
            time.sleep(0.3)

    thread = threading.Thread(target=write_for_a_while)
    thread.start()
    while not writer_waiting(db):
        time.sleep(0.01)
    released.set()
    started = time.monotonic()
    with Store(db, read_only=True) as store:
        assert store.known_ids() == {"a1"}
    assert time.monotonic() - started >= 0.2
    thread.join()
    assert wait_for_writer(db, time.monotonic())


def test_a_reader_gives_up_with_a_clear_message(db: Path) -> None:
    with holder(db, "store") as process:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as err:
            Store(db, read_only=True, wait=0.5)
        assert 0.4 <= time.monotonic() - started < 5
    message = str(err.value)
    assert message.startswith(f"{db}: the database is busy: process {process.pid} is writing")
    assert "within 0.5 s; wait for it to finish and try again" in message
    with Store(db, read_only=True) as store:  # free again
        assert store.counts() == {"ok": 1}


def test_a_writer_gives_up_on_a_reader_that_keeps_the_file(db: Path) -> None:
    with holder(db, "read") as process, pytest.raises(DatabaseBusy) as err:
        Store(db, wait=0.5)
    assert str(err.value).startswith(f"{db}: the database is in use: process {process.pid} "
                                     "has it open")
    assert "ingest resumes where it stopped" in str(err.value)


def test_an_open_retries_until_the_other_process_lets_go(db: Path) -> None:
    for how, read_only in (("duckdb", True), ("read", False)):
        with holder(db, how) as process:
            threading.Timer(0.5, process.stdin.close).start()  # type: ignore[union-attr]
            started = time.monotonic()
            with Store(db, read_only=read_only, wait=20) as store:
                assert store.known_ids() == {"a1"}
            assert time.monotonic() - started >= 0.3


def test_a_brief_store_lets_go_between_writes(db: Path) -> None:
    store = Store(db, keep_open=False)
    with pytest.raises(Exception, match="not connected"):
        store.con  # noqa: B018
    store.write([Article(id="a2", text="More talks.", language="en", content_hash="h2")])
    with holder(db, "read"):  # another process can read between two writes
        pass
    with store.session():
        assert store.known_ids() == {"a1", "a2"}
        assert writer_waiting(db)  # a session holds the turn
    assert not writer_waiting(db)
    assert not db.with_name(db.name + ".wal").exists()  # checkpointed on the way out
    store.close()


def test_a_second_ingest_into_the_same_file_is_refused_at_once(db: Path) -> None:
    """An ingest lets go of the file between batches; a second one would interleave its
    batches with the first and miss its duplicates, so it is refused."""
    first = Store(db, keep_open=False)
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        Store(db, keep_open=False)
    assert time.monotonic() - started < 1
    assert str(err.value) == (f"{db}: another 'diurna ingest' is already running on this "
                              "database; wait for it to finish (or stop it), then run this "
                              "one again")
    with Store(db, read_only=True) as reader:  # readers are welcome meanwhile
        assert reader.known_ids() == {"a1"}
    first.close()
    Store(db, keep_open=False).close()
