"""Running a user's SQL against a Diurna database without letting it change or read anything else.

Two independent guards, so that a gap in one is caught by the other:

1. **The statement** (:func:`check_query`). DuckDB's own parser splits the text into statements:
   there must be exactly one, a ``SELECT`` (which covers ``WITH``, ``FROM``-first queries,
   ``DESCRIBE``, ``SHOW`` and ``SUMMARIZE``), an ``EXPLAIN`` of one, or ``PRAGMA table_info``.
   Writes, ``ATTACH``/``DETACH``, ``COPY``, ``INSTALL``/``LOAD``, ``EXPORT``/``IMPORT``,
   ``SET``/``RESET``, ``CALL`` and transactions are refused. A query's parse tree (DuckDB's
   ``json_serialize_sql``) is then searched for functions that read files or run other SQL
   (``read_csv``, ``read_parquet``, ``glob``, ``query``, ...) and for a file name used as a table
   (``FROM 'data.csv'``).
2. **The connection** (:func:`connect_locked`). The database is opened ``read_only``, with
   external access disabled (no file, network or extension access), Python replacement scans
   off (a query cannot see the caller's DataFrames), extension auto-loading off, and the
   configuration locked so the query cannot switch any of it back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb

from diurna.errors import DiurnaError
from diurna.store.opening import open_connection, resolve_db_path


class QueryRefused(DiurnaError):
    """A query the read-only SQL interface does not run; the message says why."""


# Table (and scalar) functions that read files, list them, or run SQL given as a string.
FILE_FUNCTIONS = frozenset(
    {
        "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json",
        "read_json_auto", "read_json_objects", "read_json_objects_auto", "read_ndjson",
        "read_ndjson_auto", "read_ndjson_objects", "read_text", "read_blob", "read_xlsx",
        "glob", "sniff_csv", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
        "parquet_kv_metadata", "parquet_bloom_probe", "iceberg_scan", "iceberg_metadata",
        "delta_scan", "sqlite_scan", "sqlite_attach", "postgres_scan", "postgres_attach",
        "mysql_scan", "query", "query_table", "load_aws_credentials", "read_blob_auto",
    }
)
_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(?:ANALY[SZ]E\s+)?(?:\([^)]*\)\s*)?(?P<inner>.+)$",
                      re.IGNORECASE | re.DOTALL)
_TABLE_INFO = re.compile(r"^\s*PRAGMA\s+table_info\s*\(\s*'[^']*'\s*\)\s*;?\s*$", re.IGNORECASE)
_PATH_LIKE = re.compile(r"[./\\:~]")
_ALLOWED = (
    "a single SELECT (or WITH, FROM, DESCRIBE, SHOW, SUMMARIZE), EXPLAIN of one, "
    "or PRAGMA table_info('table')"
)
LOCKED_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "python_enable_replacements": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def _statements(sql: str) -> list[duckdb.Statement]:
    try:
        return list(duckdb.extract_statements(sql))
    except duckdb.Error as exc:
        raise QueryRefused(f"not valid SQL: {exc}") from exc


def _parse_tree(sql: str) -> dict[str, Any] | None:
    """DuckDB's parse tree of a SELECT, or None where this DuckDB cannot serialise it."""
    with duckdb.connect(":memory:") as con:
        try:
            rows = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()
        except duckdb.Error:
            return None
    tree: dict[str, Any] = json.loads(rows[0][0])
    if tree.get("error"):
        raise QueryRefused(f"not valid SQL: {tree.get('error_message', 'parse error')}")
    return tree


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _check_select(sql: str) -> None:
    tree = _parse_tree(sql)
    if tree is None:
        return  # the locked connection still stops any file access
    for node in _walk(tree):
        name = node.get("function_name")
        if isinstance(name, str) and name.lower() in FILE_FUNCTIONS:
            raise QueryRefused(
                f"{name}() is not allowed: 'diurna sql' reads only the tables and views of the "
                "database, never files or other SQL"
            )
        if node.get("type") in ("BASE_TABLE", "SHOW_REF"):
            table = str(node.get("table_name") or "")
            if _PATH_LIKE.search(table):
                raise QueryRefused(
                    f"{table!r} looks like a file, not a table: 'diurna sql' reads only the "
                    "tables and views of the database"
                )


def check_query(sql: str) -> str:
    """The one statement of ``sql`` if the read-only interface may run it.

    Raises:
        QueryRefused: with the reason, for anything but one read-only statement.
    """
    statements = _statements(sql)
    if not statements:
        raise QueryRefused("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(f"one statement at a time, got {len(statements)}: run them one by one")
    statement = statements[0]
    kind = statement.type
    text = statement.query.strip().rstrip(";").strip()
    if kind == duckdb.StatementType.SELECT:
        _check_select(text)
    elif kind == duckdb.StatementType.EXPLAIN:
        match = _EXPLAIN.match(text)
        inner = _statements(match.group("inner")) if match else []
        if len(inner) != 1 or inner[0].type != duckdb.StatementType.SELECT:
            raise QueryRefused("EXPLAIN is allowed only of a SELECT")
        _check_select(inner[0].query)
    elif kind == duckdb.StatementType.PRAGMA:
        if not _TABLE_INFO.match(text):
            word = text.split(None, 1)[0].upper() if text else "PRAGMA"
            raise QueryRefused(
                f"{word} statements are not allowed (of the PRAGMAs, only table_info is): the "
                f"SQL interface runs {_ALLOWED}"
            )
    else:
        name = kind.name if hasattr(kind, "name") else str(kind)
        raise QueryRefused(
            f"{name} statements are not allowed: the database is read-only here, and the SQL "
            f"interface runs {_ALLOWED}"
        )
    return text


def connect_locked(db: str | Path | None, *, wait: float | None = None
                   ) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``db`` with external access disabled and the settings locked.

    The file is checked, and a writer that has it is waited for (up to ``wait`` seconds), as
    by :func:`diurna.store.opening.open_connection`.
    """
    return open_connection(resolve_db_path(db), read_only=True, config=dict(LOCKED_CONFIG),
                           wait=wait)


def execute(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation:
    """Check ``sql`` and run it on ``con``; the result as a relation (``.df()``, Arrow...).

    Raises:
        QueryRefused: the statement is not allowed, or it tried to reach outside the database.
        duckdb.Error: the query itself failed (unknown column, ...).
    """
    statement = check_query(sql)
    try:
        return con.sql(statement)
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"refused by the database: {exc}") from exc


def run(db: str | Path | None, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Check and run ``sql`` on a fresh locked connection to ``db``: (column names, rows)."""
    check_query(sql)  # refuse before even opening the database
    from diurna.store.views import ensure_views

    con = connect_locked(db)
    try:
        ensure_views(con)
        relation = execute(con, sql)
        columns = list(relation.columns)
        rows = relation.fetchall()
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"refused by the database: {exc}") from exc
    finally:
        con.close()
    return columns, rows
