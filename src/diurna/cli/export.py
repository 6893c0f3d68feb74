"""``diurna export``: the database as GDELT, PLOVER, CSV, JSON Lines or Parquet."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from diurna.cli.options import DbOption
from diurna.cli.output import err_console, print_error
from diurna.errors import DiurnaError
from diurna.export import Filters, export


class ExportFormat(StrEnum):
    gdelt = "gdelt"
    plover = "plover"
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


class ExportTable(StrEnum):
    events = "events"
    mentions = "mentions"
    counts = "counts"
    quotes = "quotes"
    relations = "relations"
    articles = "articles"


class Modality(StrEnum):
    asserted = "asserted"
    negated = "negated"
    future = "future"
    hypothetical = "hypothetical"


def parse_day(value: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


EPILOG = (
    "[bold]Examples[/bold]\n\n"
    "  diurna export --format gdelt -o events.tsv\n"
    "  diurna export --format gdelt --table mentions -o mentions.tsv\n"
    "  diurna export --format plover --actor KAZ --since 2022-01-01 -o kaz.jsonl\n"
    "  diurna export --format csv --table counts -o counts.csv\n"
    "  diurna export --format parquet --table events -o events-parquet/\n"
    "  diurna export --format jsonl --table quotes -o - | head\n\n"
    "GDELT writes the events or mentions table; PLOVER writes events; CSV, JSON Lines and "
    "Parquet write any table. See docs/formats.md."
)


def register(app: typer.Typer) -> None:
    @app.command("export", epilog=EPILOG)
    def export_command(
        fmt: Annotated[
            ExportFormat,
            typer.Option("--format", "-f", help="gdelt, plover, csv, parquet or jsonl.",
                         show_default=False),
        ],
        output: Annotated[
            Path,
            typer.Option("--output", "-o", help="File to write ('-': standard output); a "
                         "folder for parquet.", show_default=False),
        ],
        table: Annotated[
            ExportTable, typer.Option("--table", "-t", help="What to export.")
        ] = ExportTable.events,
        db: DbOption = None,
        actor: Annotated[
            str | None,
            typer.Option(help="Source or target actor code starts with this (KAZ, RUSMIL)."),
        ] = None,
        code: Annotated[
            str | None, typer.Option(help="CAMEO code starts with this (12, 054, 1724).")
        ] = None,
        modality: Annotated[
            Modality | None,
            typer.Option(help="Only this modality. GDELT exports default to events that took "
                         "place (asserted, and negations coded as rejections)."),
        ] = None,
        since: Annotated[
            str | None,
            typer.Option(metavar="YYYY-MM-DD", help="On or after this day (the row's day)."),
        ] = None,
        until: Annotated[
            str | None,
            typer.Option(metavar="YYYY-MM-DD", help="On or before this day (the row's day)."),
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Replace the output if it exists.")
        ] = False,
    ) -> None:
        """Export events, mentions, counts, quotes, relations or articles to a file."""
        filters = Filters(
            actor=actor, code=code, modality=modality.value if modality else None,
            since=parse_day(since), until=parse_day(until),
        )
        try:
            rows = export(db, fmt=fmt.value, table=table.value, out=output, filters=filters,
                          force=force)
        except DiurnaError as exc:
            print_error(exc)
            raise typer.Exit(2) from exc
        if str(output) != "-":
            err_console.print(
                f"wrote {rows} {table.value} rows as {fmt.value} to {output}", highlight=False
            )
