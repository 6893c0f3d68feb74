"""Rendering rows for the terminal (rich tables) or for machines (JSONL, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=_plain)


# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Guard a CSV cell against formula injection by prefixing a quote character."""
    value = _plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def render(
    rows: Sequence[dict[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    max_width: dict[str, int] | None = None,
) -> None:
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.jsonl:
        for row in rows:
            sys.stdout.write(json_line({c: row.get(c) for c in columns}) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_safe(row.get(c)) for c in columns])
    else:
        table = Table(title=title, show_lines=False, header_style="bold")
        for column in columns:
            width = (max_width or {}).get(column)
            if width is not None:
                table.add_column(column, max_width=width, overflow="fold")
            else:  # short fields (ids, dates, codes) are never wrapped or cut
                longest = max([len(str(_plain(r.get(column)) or "")) for r in rows] + [len(column)])
                table.add_column(column, no_wrap=True, min_width=min(longest, 24))
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(_plain(row.get(c))) for c in columns))
        console.print(table)
        if not rows:
            console.print("[dim](no rows)[/dim]")


def print_error(message: object, label: str = "error") -> None:
    """``label: message`` on standard error as one line: never wrapped at the terminal width
    (scripts grep it), and the message is plain text, so brackets in a path or in a DuckDB
    message are not read as rich markup."""
    text = " ".join(str(message).split())
    err_console.print(Text.assemble((f"{label}:", "bold red"), " ", text), soft_wrap=True,
                      highlight=False)


def write_jsonl(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        sys.stdout.write(json_line(record) + "\n")
        sys.stdout.flush()


def render_summary(values: dict[str, Any], fmt: Format, title: str) -> None:
    """A one-record summary: a two-column table for people, one record for machines."""
    if fmt is Format.table:
        table = Table(title=title, show_header=False)
        table.add_column("what", style="bold")
        table.add_column("value", justify="right")
        for key, value in values.items():
            table.add_row(key.replace("_", " "), str(value))
        console.print(table)
    else:
        render([values], fmt)
