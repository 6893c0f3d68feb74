"""Schema migrations: applied in order once, the version reached kept in schema_version."""

from __future__ import annotations

from pathlib import Path

import duckdb

from diurna.store import Store
from diurna.store.schema import current_version, migrate, migrations


def test_migrations_are_numbered_in_order_from_one() -> None:
    found = migrations()
    versions = [version for version, _, _ in found]
    assert versions == list(range(1, len(found) + 1))
    assert found[0][1] == "001_articles.sql"
    assert all(sql.strip() for _, _, sql in found)


def test_a_new_database_gets_every_table_and_its_version(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        tables = {
            row[0]
            for row in store.con.execute(
                "SELECT table_name FROM information_schema.tables"
            ).fetchall()
        }
        rows = store.con.execute("SELECT version, name FROM schema_version ORDER BY version")
        applied = rows.fetchall()
    assert {"articles", "failures", "schema_version"} <= tables
    assert applied == [(version, name) for version, name, _ in migrations()]


def test_reopening_does_not_run_migrations_again(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        first = store.con.execute("SELECT version, applied_at FROM schema_version").fetchall()
    with Store(tmp_db) as store:
        again = store.con.execute("SELECT version, applied_at FROM schema_version").fetchall()
    assert again == first


def test_migrate_on_a_current_database_is_a_no_op() -> None:
    con = duckdb.connect(":memory:")
    newest = migrations()[-1][0]
    assert current_version(con) == 0
    assert migrate(con) == newest
    assert migrate(con) == newest
    count = con.execute("SELECT count(*) FROM schema_version").fetchone()
    assert count == (newest,)


def test_an_older_database_is_brought_up_to_date() -> None:
    con = duckdb.connect(":memory:")
    version, name, sql = migrations()[0]
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    con.execute(sql)
    con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
    assert current_version(con) == 1
    assert migrate(con) == migrations()[-1][0]
    assert current_version(con) == migrations()[-1][0]


def test_a_read_only_open_never_migrates(tmp_db: Path) -> None:
    duckdb.connect(str(tmp_db)).close()  # an empty DuckDB file
    with Store(tmp_db, read_only=True) as store:
        assert current_version(store.con) == 0
