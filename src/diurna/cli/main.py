"""Entry point: the ``diurna`` command group."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import typer

from diurna.cli import browse, coded, evaluate, export, extract, graph, ingest, serve, sql
from diurna.cli.output import print_error
from diurna.errors import DiurnaError
from diurna.store.database import RECOVERY, damaged, is_damage, one_line, resolve_db_path

app = typer.Typer(
    name="diurna",
    help=(
        "Diurna turns raw news into political event data: actors, CAMEO/PLOVER events, "
        "counts, quotes, dates, places and relations, stored in an embedded DuckDB database.\n\n"
        "Start with: diurna ingest examples/ && diurna articles"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
ingest.register(app)
extract.register(app)
browse.register(app)
coded.register(app)
graph.register(app)
export.register(app)
sql.register(app)
serve.register(app)
evaluate.register(app)


def _db_argument(argv: list[str]) -> Path:
    """The database the command line names (``--db X`` or ``--db=X``), else the default."""
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            return resolve_db_path(argv[i + 1])
        if arg.startswith("--db="):
            return resolve_db_path(arg.split("=", 1)[1])
    return resolve_db_path(None)


def main() -> None:
    try:
        app()
    except DiurnaError as exc:
        print_error(exc)
        sys.exit(2)
    except duckdb.Error as exc:
        # Checks at open catch most bad files; what they cannot see (a block damaged deep in
        # the file, a table missing from a database that is not Diurna's) fails the query
        # instead. Still one line that names the file and says what to do, not a traceback.
        path = _db_argument(sys.argv[1:])
        if is_damage(exc):
            print_error(damaged(path, exc))
        else:
            print_error(f"{path}: the database could not be read ({one_line(str(exc))}); if "
                        f"it is damaged or not a Diurna database, {RECOVERY}")
        sys.exit(2)


if __name__ == "__main__":
    main()
