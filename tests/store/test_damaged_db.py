"""Damaged databases: every way in refuses them with one line that names the file, says what is
wrong and how to recover, and never a traceback; nothing writes to them.

The faults: a truncated file, random bytes, an empty file, a DuckDB database of another
program, a database of a newer Diurna (a schema version this one does not know), and a file
whose blocks are corrupted further in (it opens; reading it fails).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

import diurna
from diurna.article import Article
from diurna.errors import StoreError
from diurna.store import DatabaseDamaged, Store
from diurna.store.checks import HEADER_BYTES
from diurna.store.opening import create_database
from diurna.store.schema import migrations

REPO = Path(__file__).resolve().parents[2]
DIURNA = Path(sys.executable).with_name("diurna")
HINT = "move it aside and re-run 'diurna ingest' on the same inputs"
NEWEST = migrations()[-1][0]

# fault → what the message must say is wrong
FAULTS: dict[str, str] = {
    "truncated": "the file is truncated",
    "random": "not a DuckDB database file",
    "empty": "the file is empty (0 bytes)",
    "foreign": "a DuckDB database, but not a Diurna one (tables readings; no schema_version)",
    "future": f"made by a newer Diurna (schema version {NEWEST + 90}; this Diurna knows "
              f"versions up to {NEWEST})",
}


def _articles(n: int) -> list[Article]:
    rng = random.Random(3)
    words = ["talks", "border", "ministry", "ceasefire", "troops", "election", "protest"]
    return [Article(id=f"a{i:04d}", text=" ".join(rng.choice(words) for _ in range(400)),
                    source=f"a{i}.txt", language="en", content_hash=f"h{i}")
            for i in range(n)]


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small Diurna database several blocks long (written without the NLP pipeline)."""
    path = tmp_path_factory.mktemp("good") / "good.duckdb"
    with Store(path) as store:
        for start in range(0, 600, 100):
            store.write(_articles(600)[start:start + 100])
    assert path.stat().st_size > HEADER_BYTES + 4 * 262144
    return path


def make_fault(kind: str, good: Path, folder: Path) -> Path:
    path = folder / f"{kind}.duckdb"
    if kind == "truncated":  # a copy cut short, as by a full disk
        shutil.copy(good, path)
        with path.open("r+b") as fh:
            fh.truncate(path.stat().st_size // 2)
    elif kind == "random":
        path.write_bytes(random.Random(11).randbytes(64 * 1024))
    elif kind == "empty":
        path.touch()
    elif kind == "foreign":
        with duckdb.connect(str(path)) as con:
            con.execute("CREATE TABLE readings (t TIMESTAMP, v DOUBLE)")
            con.execute("INSERT INTO readings VALUES (now(), 1.5)")
    elif kind == "future":
        shutil.copy(good, path)
        with duckdb.connect(str(path)) as con:
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)",
                        [NEWEST + 90, f"{NEWEST + 90:03d}_from_the_future.sql"])
    elif kind == "corrupt":  # every data block overwritten in its middle: checksums fail
        shutil.copy(good, path)
        size = path.stat().st_size
        rng = random.Random(5)
        with path.open("r+b") as fh:
            for offset in range(HEADER_BYTES + 262144, size - 4096, 262144):
                fh.seek(offset + 1024)
                fh.write(rng.randbytes(2048))
    else:  # pragma: no cover
        raise ValueError(kind)
    return path


@pytest.fixture(scope="module")
def faults(good_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("faults")
    return {kind: make_fault(kind, good_db, folder) for kind in [*FAULTS, "corrupt"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def companions(path: Path) -> set[str]:
    """Files beside ``path`` that belong to it (a WAL, the turn file), by name."""
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name)}


def assert_clear(message: str, path: Path, what: str) -> None:
    assert message.startswith(f"{path}: cannot open the database: "), message
    assert what in message, message
    assert HINT in message, message
    assert "\n" not in message


# -- the Python API and the store -------------------------------------------------------------


@pytest.mark.parametrize("kind", FAULTS)
def test_diurna_open_raises_a_store_error_that_says_how_to_recover(
    faults: dict[str, Path], kind: str
) -> None:
    path = faults[kind]
    before = digest(path)
    with pytest.raises(StoreError) as err:
        diurna.open(path)
    assert isinstance(err.value, DatabaseDamaged)
    assert_clear(str(err.value), path, FAULTS[kind])
    assert digest(path) == before


@pytest.mark.parametrize("kind", FAULTS)
@pytest.mark.parametrize("read_only", [True, False])
def test_every_open_gives_the_same_message_and_never_writes(
    faults: dict[str, Path], kind: str, read_only: bool
) -> None:
    path = faults[kind]
    before = digest(path)
    with pytest.raises(DatabaseDamaged) as api_err:
        diurna.open(path, read_only=read_only)
    with pytest.raises(DatabaseDamaged) as store_err:
        Store(path, read_only=read_only)
    with pytest.raises(DatabaseDamaged) as brief_err:
        Store(path, keep_open=False)  # as ingest opens it
    assert str(api_err.value) == str(store_err.value) == str(brief_err.value)
    # A writable open must not migrate someone else's database, nor "repair" ours.
    assert digest(path) == before
    assert not companions(path) - {path.name, path.name + ".lock", path.name + ".ingest.lock"}


def test_a_corrupted_block_is_reported_when_read(faults: dict[str, Path]) -> None:
    path = faults["corrupt"]
    with pytest.raises(DatabaseDamaged) as err, diurna.open(path) as db:
        db.articles()
    message = str(err.value)
    assert message.startswith(f"{path}: ") and HINT in message and "\n" not in message
    assert "damaged" in message or "cannot open" in message
    with pytest.raises(DatabaseDamaged), Store(path, read_only=True) as store:
        store.query("SELECT * FROM articles")


def test_the_web_app_refuses_a_damaged_file_at_start(faults: dict[str, Path]) -> None:
    from diurna.web import create_app

    for kind, what in FAULTS.items():
        with pytest.raises(DatabaseDamaged) as err:
            create_app(faults[kind])
        assert_clear(str(err.value), faults[kind], what)


def test_a_folder_and_a_missing_folder_are_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder, not a database file"):
        diurna.open(tmp_path)
    missing = tmp_path / "nowhere" / "news.duckdb"
    with pytest.raises(StoreError, match=r"the folder .*nowhere does not exist"):
        Store(missing)
    assert not missing.parent.exists()


def test_an_empty_duckdb_file_is_filled_by_ingest(tmp_path: Path) -> None:
    path = tmp_path / "blank.duckdb"
    duckdb.connect(str(path)).close()  # a valid DuckDB file without any table
    with Store(path) as store:
        assert store.version == NEWEST


def test_a_new_database_appears_whole_or_not_at_all(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Creation happens under a temporary name: a failure (or a kill) part way leaves nothing
    at the database's path for the next run to trip over."""
    import diurna.store.opening as opening

    path = tmp_path / "new.duckdb"

    def broken(con: duckdb.DuckDBPyConnection) -> int:
        con.execute("CREATE TABLE half_made (x INTEGER)")
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(opening, "migrate", broken)
    with pytest.raises(StoreError, match="disk full"):
        create_database(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    (tmp_path / ".new.duckdb.99999.new").write_bytes(b"left by a creator killed part way")
    create_database(path)
    with Store(path, read_only=True) as store:
        assert store.version == NEWEST
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.duckdb"]


# -- the command line -------------------------------------------------------------------------

COMMANDS: list[list[str]] = [
    ["ingest", str(REPO / "examples" / "mali-clash.txt")],
    ["articles"],
    ["show", "some-id"],
    ["failures"],
    ["actors"],
    ["events"],
    ["explain", "e-123"],
    ["stance", "KAZ"],
    ["relations"],
    ["actor", "KAZ"],
    ["clusters"],
    ["export", "--format", "csv", "--output", "-"],
    ["sql", "SELECT count(*) FROM articles"],
    ["serve", "--port", "1"],
]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
            ) -> Callable[..., tuple[int, str]]:
    """Run ``diurna ARGS`` in this process through its real entry point: (exit code, stderr)."""
    from diurna.cli.main import main

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["diurna", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main()
        code = done.value.code
        return (code if isinstance(code, int) else 1), capsys.readouterr().err

    return run


@pytest.mark.parametrize("kind", FAULTS)
def test_every_command_that_opens_the_database_says_one_clear_line(
    faults: dict[str, Path], kind: str, run_cli: Callable[..., tuple[int, str]]
) -> None:
    path = faults[kind]
    before = digest(path)
    for command in COMMANDS:
        code, err = run_cli(*command, "--db", str(path))
        assert code == 2, (command, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1, (command, err)
        assert lines[0].startswith("error: "), (command, err)
        assert_clear(lines[0].removeprefix("error: "), path, FAULTS[kind])
    assert digest(path) == before


def test_commands_report_a_block_damaged_deep_in_the_file(
    faults: dict[str, Path], run_cli: Callable[..., tuple[int, str]]
) -> None:
    path = faults["corrupt"]
    for command in (["articles"], ["events"], ["sql", "SELECT * FROM articles"]):
        code, err = run_cli(*command, "--db", str(path))
        assert code == 2, (command, err)
        [line] = err.strip().splitlines()
        assert line.startswith(f"error: {path}: ") and HINT in line, line


@pytest.fixture(scope="module")
def subprocess_env() -> Iterator[dict[str, str]]:
    yield {**os.environ, "COLUMNS": "80", "PYTHONWARNINGS": "ignore"}


@pytest.mark.parametrize("kind", FAULTS)
def test_a_real_process_prints_no_traceback(faults: dict[str, Path], kind: str,
                                            subprocess_env: dict[str, str]) -> None:
    path = faults[kind]
    command = {"truncated": ["events"], "random": ["serve", "--port", "1"],
               "empty": ["ingest", str(REPO / "examples")], "foreign": ["export", "-f", "csv",
                                                                     "-o", "-"],
               "future": ["sql", "SELECT 1"]}[kind]
    result = subprocess.run([str(DIURNA), *command, "--db", str(path)], capture_output=True,
                            text=True, env=subprocess_env, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert_clear(line.removeprefix("error: "), path, FAULTS[kind])
