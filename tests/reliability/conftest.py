"""Fixtures of the reliability tests: a generated corpus, a reference database ingested
without interruption, and helpers to run ``diurna`` as a real process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from diurna.jobs.ingest import ingest
from diurna.store import Store

from .corpus import generate, write_jsonl

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "ingest_cli.py"
DIURNA = Path(sys.executable).with_name("diurna")
CORPUS_SIZE = 200
BATCH_SIZE = 4


def ingest_command(paths: list[Path], db: Path, batch_size: int = BATCH_SIZE) -> list[str]:
    """``diurna ingest`` through its real entry point, with a small batch size."""
    return [sys.executable, str(RUNNER), str(batch_size), "ingest", *map(str, paths),
            "--db", str(db), "--quiet"]


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` in a process group of its own (so a kill reaches any children),
    its output in ``log``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "120"}
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group we started for ``process`` (by its id), and reap it."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:data:`CORPUS_SIZE` generated articles as one JSONL file."""
    return write_jsonl(generate(CORPUS_SIZE), tmp_path_factory.mktemp("corpus") / "wire.jsonl")


@pytest.fixture(scope="session")
def reference_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus ingested in one go, without interruption: what every other run must match."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    summary = ingest([corpus], db=path, batch_size=BATCH_SIZE)
    assert summary.failed == 0, summary.failures
    assert summary.read == CORPUS_SIZE
    return path


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[Path]:
    """A folder for the processes' output, shown when a test fails."""
    folder = tmp_path / "logs"
    folder.mkdir()
    yield folder


def tail(folder: Path, lines: int = 30) -> str:
    """The last lines of every log in ``folder``, for an assertion message."""
    parts = []
    for log in sorted(folder.glob("*.log")):
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        parts.append(f"--- {log.name}\n" + "\n".join(text))
    return "\n".join(parts)


def article_tables(db: Path) -> list[str]:
    """The tables whose rows belong to one article (they have an ``article_id`` column)."""
    with Store(db, read_only=True) as store:
        rows = store.query(
            "SELECT DISTINCT c.table_name FROM information_schema.columns c"
            " JOIN information_schema.tables t USING (table_name)"
            " WHERE c.column_name = 'article_id' AND t.table_type = 'BASE TABLE'"
            " AND c.table_name <> 'failures' ORDER BY 1")
    return [r["table_name"] for r in rows]


@contextmanager
def writer_elsewhere(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``db`` as a Diurna writer does (the turn and the file, as an
    ingest writing a batch), until the block ends."""
    code = (
        "import sys\n"
        "from diurna.store import Store\n"
        f"store = Store({str(db)!r})\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
        "store.close()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        yield process
    finally:
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)
