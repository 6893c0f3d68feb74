"""``diurna sql``: a read-only SQL prompt over the database, its tables and views."""

from __future__ import annotations

import datetime as dt
import decimal
import sys
import uuid
from typing import Annotated, Any

import duckdb
import typer

from diurna.cli.options import DbOption, FormatOption
from diurna.cli.output import Format, print_error, render
from diurna.errors import DiurnaError
from diurna.store.database import damaged, is_damage, resolve_db_path
from diurna.store.readonly_sql import QueryRefused, run

EPILOG = (
    "[bold]Examples[/bold]\n\n"
    "  diurna sql \"SELECT cameo, count(*) AS n FROM events GROUP BY cameo ORDER BY n DESC\"\n"
    "  diurna sql \"SELECT * FROM actor_dyads ORDER BY events DESC LIMIT 10\"\n"
    "  diurna sql \"SELECT * FROM events_by_month\" --format csv > months.csv\n"
    "  diurna sql \"DESCRIBE events\"\n"
    "  echo \"SELECT * FROM stances\" | diurna sql -\n\n"
    "Only one SELECT (or WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA table_info) runs, "
    "on a read-only connection that cannot reach files. Views: event_dates, events_by_month, "
    "actor_dyads, stances, daily_counts."
)


def printable(value: Any) -> Any:
    """A value the table, JSON and CSV renderers all take (DuckDB returns a few more types)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, uuid.UUID | dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, list):
        return [printable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): printable(v) for k, v in value.items()}
    return value


def register(app: typer.Typer) -> None:
    @app.command("sql", epilog=EPILOG)
    def sql_command(
        query: Annotated[
            str, typer.Argument(help="One read-only SQL statement ('-': read it from stdin).")
        ],
        db: DbOption = None,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Run one read-only SQL query on the database and print the rows."""
        if query == "-":
            query = sys.stdin.read()
        try:
            columns, rows = run(db, query)
        except QueryRefused as exc:
            print_error(exc, "refused")
            raise typer.Exit(2) from exc
        except DiurnaError as exc:
            print_error(exc)
            raise typer.Exit(2) from exc
        except duckdb.Error as exc:
            if is_damage(exc):  # the file opened, but a block the query read is damaged
                print_error(damaged(resolve_db_path(db), exc))
                raise typer.Exit(2) from exc
            print_error(exc, "query failed")
            raise typer.Exit(1) from exc
        records = [{c: printable(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        render(records, fmt, title=None, columns=columns)
