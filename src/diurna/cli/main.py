"""Entry point: the ``diurna`` command group."""

from __future__ import annotations

import sys

import typer

from diurna.cli import browse, coded, evaluate, export, extract, graph, ingest, serve, sql
from diurna.cli.output import err_console
from diurna.errors import DiurnaError

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


def main() -> None:
    try:
        app()
    except DiurnaError as exc:
        err_console.print(f"[bold red]error:[/bold red] {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
