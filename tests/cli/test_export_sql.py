"""``diurna export`` and ``diurna sql`` as a user runs them, on a real ingest of examples/."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from diurna.cli import export as export_cli
from diurna.cli import sql as sql_cli
from diurna.cli.main import app as main_app
from diurna.store.readonly_sql import QueryRefused, check_query, connect_locked

REPO = Path(__file__).resolve().parents[2]
OUTSIDE = "a,b\n1,2\n"


def command_app() -> typer.Typer:
    """``diurna`` itself once export and sql are registered, else an app with just them."""
    names = {c.name for c in main_app.registered_commands}
    if {"export", "sql"} <= names:
        return main_app
    app = typer.Typer(rich_markup_mode="rich")
    export_cli.register(app)
    sql_cli.register(app)
    return app


APP = command_app()
RUNNER = CliRunner()


@pytest.fixture(scope="module")
def db(examples_db: Path) -> Path:
    return examples_db


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file next to the database that no query may read."""
    path = tmp_path_factory.mktemp("outside") / "secret.csv"
    path.write_text(OUTSIDE, encoding="utf-8")
    return path


def sql(db: Path, query: str, *extra: str) -> tuple[int, str]:
    result = RUNNER.invoke(APP, ["sql", query, "--db", str(db), *extra],
                           env={"COLUMNS": "200", "NO_COLOR": "1"})
    return result.exit_code, result.output


# -- sql ----------------------------------------------------------------------------------------


def test_a_select_runs_and_prints_rows(db: Path) -> None:
    code, output = sql(db, "SELECT cameo, count(*) AS n FROM events GROUP BY cameo ORDER BY n DESC",
                       "--format", "jsonl")
    assert code == 0, output
    rows = [json.loads(line) for line in output.splitlines()]
    assert rows and {"cameo", "n"} == set(rows[0])
    code, output = sql(db, "WITH d AS (SELECT * FROM actor_dyads) SELECT count(*) AS n FROM d",
                       "--format", "csv")
    assert code == 0 and next(csv.DictReader(io.StringIO(output)))["n"].isdigit()
    for query in ("DESCRIBE events", "SHOW TABLES", "PRAGMA table_info('events')",
                  "EXPLAIN SELECT 1", "SUMMARIZE counts", "FROM stances"):
        code, output = sql(db, query, "--format", "jsonl")
        assert code == 0, (query, output)


FORBIDDEN = [
    ("INSERT INTO articles (id, status, ingested_at) VALUES ('x', 'ok', now())", "INSERT"),
    ("UPDATE events SET cameo = '010'", "UPDATE"),
    ("DELETE FROM events", "DELETE"),
    ("CREATE TABLE t (x INTEGER)", "CREATE"),
    ("DROP TABLE events", "DROP"),
    ("ALTER TABLE events ADD COLUMN x INTEGER", "ALTER"),
    ("ATTACH '{path}.db' AS other", "ATTACH"),
    ("DETACH other", "DETACH"),
    ("COPY events TO '{path}.out'", "COPY"),
    ("INSTALL httpfs", "not allowed"),
    ("LOAD httpfs", "not allowed"),
    ("EXPORT DATABASE '{path}.dir'", "EXPORT"),
    ("IMPORT DATABASE '{path}.dir'", "IMPORT"),
    ("SET enable_external_access = true", "SET"),
    ("RESET threads", "SET"),
    ("CALL pragma_version()", "CALL"),
    ("CHECKPOINT", "not allowed"),
    ("BEGIN TRANSACTION", "TRANSACTION"),
    ("PRAGMA show_tables", "PRAGMA"),
    ("EXPLAIN COPY events TO '{path}.out'", "EXPLAIN"),
    ("SELECT 1; SELECT 2", "one statement"),
    ("SELECT * FROM read_csv('{path}')", "read_csv"),
    ("SELECT * FROM read_csv_auto('{path}')", "read_csv_auto"),
    ("SELECT * FROM read_parquet('{path}')", "read_parquet"),
    ("SELECT * FROM parquet_scan('{path}')", "parquet_scan"),
    ("SELECT * FROM read_json('{path}')", "read_json"),
    ("SELECT * FROM read_json_auto('{path}')", "read_json_auto"),
    ("SELECT * FROM read_text('{path}')", "read_text"),
    ("SELECT * FROM read_blob('{path}')", "read_blob"),
    ("SELECT * FROM glob('{path}')", "glob"),
    ("SELECT * FROM sniff_csv('{path}')", "sniff_csv"),
    ("SELECT * FROM '{path}'", "looks like a file"),
    ("DESCRIBE '{path}'", "looks like a file"),
    ("SELECT * FROM events WHERE id IN (SELECT a FROM read_csv('{path}'))", "read_csv"),
    ("SELECT * FROM query('SELECT 1')", "query"),
    ("SELEC 1", "not valid SQL"),
]


@pytest.mark.parametrize(("query", "reason"), FORBIDDEN)
def test_anything_but_one_read_only_statement_is_refused(
    db: Path, outside: Path, query: str, reason: str
) -> None:
    code, output = sql(db, query.format(path=outside))
    assert code != 0
    assert "refused" in output and reason in " ".join(output.split()), output
    assert OUTSIDE.strip() not in output


def test_the_database_is_unchanged_after_refusals(db: Path) -> None:
    code, output = sql(db, "SELECT count(*) AS n FROM information_schema.tables"
                           " WHERE table_name IN ('t', 'other')", "--format", "jsonl")
    assert code == 0 and json.loads(output) == {"n": 0}


def test_the_connection_itself_cannot_reach_files(db: Path, outside: Path) -> None:
    """Even a query that got past the statement check finds external access disabled."""
    con = connect_locked(db)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_csv('{outside}')").fetchall()
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM '{outside}'").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE t (x INTEGER)").fetchall()
    finally:
        con.close()


def test_check_query_returns_the_statement() -> None:
    assert check_query("  SELECT 1 ;  ") == "SELECT 1"
    with pytest.raises(QueryRefused, match="no SQL"):
        check_query("   ")


def test_a_query_error_is_reported_with_exit_code_1(db: Path) -> None:
    code, output = sql(db, "SELECT no_such_column FROM events")
    assert code == 1 and "no_such_column" in output


# -- export -------------------------------------------------------------------------------------


def test_export_writes_a_file_and_reports_it(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    result = RUNNER.invoke(APP, ["export", "--format", "gdelt", "--db", str(db), "-o", str(out),
                                 "--actor", "KAZ", "--since", "2020-01-01"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(len(line.split("\t")) == 61 for line in lines)
    assert f"wrote {len(lines)} events rows as gdelt" in " ".join(result.output.split())


def test_export_to_standard_output(db: Path) -> None:
    result = RUNNER.invoke(APP, ["export", "-f", "jsonl", "-t", "quotes", "--db", str(db),
                                 "-o", "-"])
    assert result.exit_code == 0
    assert all(json.loads(line)["article_id"] for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "plover", "-t", "counts"], "plover writes the events table"),
        (["-f", "csv", "-t", "counts", "--actor", "KAZ"], "--actor does not apply"),
        (["-f", "parquet", "-o", "-"], "folder"),
        (["-f", "csv", "--since", "2024-13-01"], "YYYY-MM-DD"),
        (["-f", "csv", "--since", "2024-02-01", "--until", "2024-01-01"], "after --until"),
    ],
)
def test_export_refuses_what_does_not_fit(
    db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    if "-o" not in args:
        args = [*args, "-o", str(tmp_path / "out")]
    result = RUNNER.invoke(APP, ["export", "--db", str(db), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_help_has_examples() -> None:
    for command in ("export", "sql"):
        result = RUNNER.invoke(APP, [command, "--help"], env={"COLUMNS": "120"})
        assert result.exit_code == 0 and "Examples" in result.output


# -- the CLI reference --------------------------------------------------------------------------


def test_the_cli_reference_is_up_to_date() -> None:
    """docs/cli-reference.md is generated; regenerate it with
    ``python scripts/gen_cli_reference.py`` after changing a command."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_cli_reference.py"), "--check"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
