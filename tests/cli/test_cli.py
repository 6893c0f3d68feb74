"""The installed ``diurna`` command, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from diurna.cli.main import app
from diurna.store import Store

DIURNA = Path(sys.executable).parent / "diurna"

HEAD = "Ceasefire talks resume in Geneva"
BODY = (
    "Negotiators from Aldovia and Bessaria met again in Geneva on Tuesday to discuss a "
    "ceasefire along the border. The foreign ministry said the talks would go on."
)
STORY = f"{HEAD}\n\n{BODY}\n\nShare this article\n"
OTHER = (
    "Thousands of port workers walked out in Valmora on Wednesday, demanding higher wages "
    "and an end to night shifts, the dockers' union said."
)


def environment() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("DIURNA_DB", None)
    return env


def run(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DIURNA), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
    )


def run_side_by_side(*commands: list[str | Path]) -> list[subprocess.CompletedProcess[str]]:
    """Run several commands at once: each start of the command costs about a second."""
    running = [
        subprocess.Popen(
            [str(DIURNA), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        for args in commands
    ]
    done = []
    for args, process in zip(commands, running, strict=True):
        stdout, stderr = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
    return done


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    (folder / "a-geneva.txt").write_text(STORY, encoding="utf-8")
    (folder / "b-bad.txt").write_bytes(b"\x00\x01\x02")
    lines = [
        json.dumps({"id": "w-1", "title": "=HYPERLINK(\"http://x.test\")", "text": OTHER}),
        json.dumps({"id": "w-2", "text": BODY}),  # a copy of the story's body
    ]
    (folder / "c-wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def db(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database ingested once for the read-only commands."""
    path = tmp_path_factory.mktemp("db") / "news.duckdb"
    result = run("ingest", inbox, "--db", path, "--quiet")
    assert result.returncode == 1, result.stderr  # the binary file failed
    return path


@pytest.fixture(scope="module")
def story(db: Path) -> str:
    """The id of the plain-text story in ``db``."""
    with Store(db, read_only=True) as store:
        return next(r["id"] for r in store.articles() if r["id"].startswith("h-"))


# -- help ----------------------------------------------------------------------------------------


def test_the_command_executable_is_installed() -> None:
    assert DIURNA.exists(), f"{DIURNA} is missing: install the package (make install)"


COMMANDS = [c.name or "" for c in app.registered_commands]


@pytest.fixture(scope="module")
def helps() -> dict[str, subprocess.CompletedProcess[str]]:
    """``diurna COMMAND --help`` for every command."""
    results = run_side_by_side(*([command, "--help"] for command in COMMANDS))
    return dict(zip(COMMANDS, results, strict=True))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_examples(
    helps: dict[str, subprocess.CompletedProcess[str]], command: str
) -> None:
    result = helps[command]
    assert result.returncode == 0, result.stderr
    assert "Examples" in result.stdout


def test_no_arguments_shows_help() -> None:
    result = run()
    assert "ingest" in result.stdout + result.stderr


# -- ingest ------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_ingest_exit_codes_1_and_2(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")

    some, none = run_side_by_side(
        ["ingest", good, bad, "--db", tmp_path / "some.duckdb", "--quiet"],
        ["ingest", bad, "--db", tmp_path / "none.duckdb", "--format", "jsonl"],
    )
    assert some.returncode == 1
    assert f"failed: {bad}: binary file (contains NUL bytes)" in " ".join(some.stderr.split())
    assert "[red]" not in some.stderr
    assert "diurna failures" in some.stdout

    assert none.returncode == 2
    assert json.loads(none.stdout)["failed"] == 1
    assert "Traceback" not in none.stderr


@pytest.mark.e2e
def test_ingest_from_stdin_exits_0(tmp_path: Path) -> None:
    result = run("ingest", "-", "--db", tmp_path / "s.duckdb", "--format", "jsonl", stdin=STORY)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["read"], summary["new"], summary["failed"]) == (1, 1, 0)


# -- reading the database ----------------------------------------------------------------------


@pytest.mark.e2e
def test_articles_as_jsonl(db: Path, story: str) -> None:
    result = run("articles", "--db", db, "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in records) == sorted([story, "w-1", "w-2"])
    by_id = {r["id"]: r for r in records}
    assert by_id["w-2"]["status"] == "duplicate"
    assert by_id["w-2"]["duplicate_of"] == story
    assert by_id[story]["title"] == HEAD
    assert set(records[0]) == {
        "id", "published", "language", "status", "n_chars", "events", "title", "url", "source",
        "duplicate_of",
    }
    assert all(isinstance(r["events"], int) for r in records)


@pytest.mark.e2e
def test_articles_as_csv_guards_against_formulas(db: Path, story: str) -> None:
    result = run("articles", "--db", db, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_id = {row["id"]: row for row in rows}
    assert by_id["w-1"]["title"] == "'=HYPERLINK(\"http://x.test\")"
    assert by_id[story]["title"] == HEAD
    assert by_id["w-2"]["status"] == "duplicate"


@pytest.mark.e2e
def test_articles_filtered_by_status(db: Path) -> None:
    result = run("articles", "--db", db, "--format", "jsonl", "--status", "duplicate")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["w-2"]


@pytest.mark.e2e
def test_articles_as_a_table(db: Path) -> None:
    result = run("articles", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Articles" in result.stdout and "w-1" in result.stdout


@pytest.mark.e2e
def test_show_prints_the_text_and_the_removed_table(db: Path, story: str) -> None:
    result = run("show", story, "--db", db)
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert "Negotiators from Aldovia and Bessaria met again in Geneva" in flat
    assert HEAD in flat
    assert "Removed boilerplate" in flat
    assert "share button Share this article" in flat
    assert f"headline {HEAD}" in flat


@pytest.mark.e2e
def test_show_as_jsonl(db: Path, story: str) -> None:
    result = run("show", story, "--db", db, "--format", "jsonl")
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["text"] == BODY
    assert record["removed"] == [
        {"text": HEAD, "reason": "headline"},
        {"text": "Share this article", "reason": "share button"},
    ]


@pytest.mark.e2e
def test_show_an_unknown_id_exits_1(db: Path) -> None:
    result = run("show", "no-such-id", "--db", db)
    assert result.returncode == 1
    assert "no article with id 'no-such-id'" in result.stdout


@pytest.mark.e2e
def test_failures_as_jsonl(db: Path) -> None:
    result = run("failures", "--db", db, "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert Path(record["source"]).name == "b-bad.txt"
    assert record["stage"] == "read"
    assert record["reason"].endswith("binary file (contains NUL bytes), not a text article")


@pytest.mark.parametrize("command", ["articles", "failures", "show"])
def test_a_read_command_on_a_missing_database(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "missing.duckdb"
    args = [command, "some-id"] if command == "show" else [command]
    result = run(*args, "--db", missing)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "no such database" in result.stderr
    assert "Traceback" not in result.stderr
    assert not missing.exists()


def test_a_read_command_on_a_damaged_database(tmp_path: Path) -> None:
    damaged = tmp_path / "x.duckdb"
    damaged.write_bytes(os.urandom(4096))
    result = run("articles", "--db", damaged)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_database_comes_from_the_environment(tmp_path: Path) -> None:
    missing = tmp_path / "env.duckdb"
    env = {**os.environ, "DIURNA_DB": str(missing), "COLUMNS": "200"}
    result = subprocess.run(
        [str(DIURNA), "articles"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "env.duckdb: no such database" in " ".join(result.stderr.split())


# -- extract -----------------------------------------------------------------------------------


@pytest.mark.e2e
def test_extract_files_prints_one_json_line_per_article(inbox: Path) -> None:
    result = run(
        "extract", inbox / "c-wire.jsonl", inbox / "b-bad.txt", "--published", "2022-02-22"
    )
    assert result.returncode == 1  # some records are errors
    records = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [r for r in records if "error" in r]
    articles = [r for r in records if "error" not in r]
    assert [Path(r["source"]).name for r in errors] == ["b-bad.txt"]
    assert [r["id"] for r in articles] == ["w-1", "w-2"]
    assert all("sentences" in r and "events" in r for r in articles)
    assert {r["published"] for r in articles} == {"2022-02-22"}


@pytest.mark.e2e
def test_extract_from_stdin() -> None:
    result = run("extract", "-", stdin=STORY)
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["title"], record["text"], record["source"]) == (HEAD, BODY, "<stdin>")


def test_extract_rejects_a_bad_date(inbox: Path) -> None:
    result = run("extract", "--published", "2022-13-40", inbox / "a-geneva.txt")
    assert result.returncode != 0
    assert result.stdout == ""
    flat = " ".join(result.stderr.replace("│", " ").split())
    expected = "'2022-13-40' is not a date in the form YYYY-MM-DD"
    assert f"Invalid value for '--published': {expected}" in flat


def test_extract_of_only_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00")
    result = run("extract", bad)
    assert result.returncode == 2
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(record) == {"id", "source", "error"}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Plain title", "Plain title"),
        (None, None),
        (7, 7),
        (["a", "b"], '["a", "b"]'),
    ],
)
def test_csv_cells_are_guarded_against_formulas(value: object, cell: object) -> None:
    from diurna.cli.output import csv_safe

    assert csv_safe(value) == cell
