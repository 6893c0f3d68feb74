"""Exports: GDELT 2.0 (events, mentions), PLOVER JSON Lines, and any table as CSV, JSON Lines or
Parquet. ``diurna export`` is a thin shell over :func:`export`; ``docs/formats.md`` describes
every format column by column.

>>> from diurna.export import Filters, export
>>> export("diurna.duckdb", fmt="gdelt", out="events.tsv", filters=Filters(actor="KAZ"))
... # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa

from diurna.errors import DiurnaError, StoreError
from diurna.export import gdelt, plover, tabular
from diurna.export.tabular import Filters
from diurna.store import Store, resolve_db_path
from diurna.store.views import prepare, relation_names

FORMATS = ("gdelt", "plover", "csv", "parquet", "jsonl")
TABLES = ("events", "mentions", "counts", "quotes", "relations", "articles")
MODALITIES = ("asserted", "negated", "future", "hypothetical")
# The tables each format can write, and the filters each table understands.
FORMAT_TABLES = {
    "gdelt": ("events", "mentions"),
    "plover": ("events",),
    "csv": TABLES,
    "parquet": TABLES,
    "jsonl": TABLES,
}
TABLE_FILTERS = {
    "events": ("actor", "code", "modality", "since", "until"),
    "mentions": ("actor", "code", "modality", "since", "until"),
    "counts": ("since", "until"),
    "quotes": ("actor", "since", "until"),
    "relations": ("actor", "modality", "since", "until"),
    "articles": ("since", "until"),
}
# The database table each export table reads (it must exist).
_SOURCE_TABLE = {"mentions": "events"}
_ARROW_TYPES = {"INTEGER": pa.int64(), "FLOAT": pa.float64(), "STRING": pa.string()}

__all__ = ["FORMATS", "TABLES", "ExportError", "Filters", "export"]


class ExportError(DiurnaError):
    """An export that cannot be made as asked (format and table, filters, output path)."""


def check(fmt: str, table: str, filters: Filters) -> None:
    """Refuse a format, table or filter that does not apply, with the reason."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise ExportError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    if table not in FORMAT_TABLES[fmt]:
        raise ExportError(
            f"--format {fmt} writes the {' or '.join(FORMAT_TABLES[fmt])} table, not {table}"
        )
    for name in filters.given():
        if name not in TABLE_FILTERS[table]:
            users = [t for t, names in TABLE_FILTERS.items() if name in names]
            raise ExportError(
                f"--{name} does not apply to --table {table} (it filters {', '.join(users)})"
            )
    if filters.modality is not None and filters.modality not in MODALITIES:
        raise ExportError(f"--modality must be one of {', '.join(MODALITIES)}")
    if filters.since and filters.until and filters.since > filters.until:
        raise ExportError("--since is after --until: nothing would be exported")


def _check_output(out: Path, fmt: str, force: bool) -> None:
    if str(out) == "-":
        if fmt == "parquet":
            raise ExportError("Parquet is written into a folder: give -o DIRECTORY, not -")
        return
    if not out.exists():
        if not out.parent.is_dir():
            raise ExportError(f"{out.parent}: no such folder for the output")
        return
    if not force:
        raise ExportError(f"{out} exists; use --force to replace it")
    if fmt == "parquet":
        if not out.is_dir():
            raise ExportError(f"{out} is a file; Parquet is written into a folder")
        _clear_parquet_folder(out)
    elif out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name")


def _clear_parquet_folder(folder: Path) -> None:
    """Empty a folder that an earlier Parquet export wrote, and refuse any other folder."""
    for entry in folder.iterdir():
        if not (entry.is_dir() and entry.name.startswith("year=")):
            raise ExportError(
                f"{folder} holds {entry.name}, which is not from a Parquet export; "
                "give an empty or new folder"
            )
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".parquet":
            raise ExportError(f"{path} is not a Parquet file; not replacing {folder}")
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file():
            path.unlink()
        else:
            path.rmdir()


@contextlib.contextmanager
def _sink(out: Path) -> Iterator[TextIO]:
    """The output file (standard output for ``-``); a file left half-written is removed."""
    if str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        with out.open("w", encoding="utf-8", newline="") as handle:
            yield handle
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _mentions_arrow(con: duckdb.DuckDBPyConnection, filters: Filters) -> pa.Table:
    names = [name for name, _ in gdelt.MENTION_COLUMNS] + ["day"]
    types = [_ARROW_TYPES[kind] for _, kind in gdelt.MENTION_COLUMNS] + [pa.date32()]
    columns: list[list[object]] = [[] for _ in names]
    for row in gdelt.mention_rows(con, filters, with_day=True):
        for i, value in enumerate(row):
            columns[i].append(value)
    return pa.table(
        {n: pa.array(c, type=t) for n, c, t in zip(names, columns, types, strict=True)}
    )


def _write(
    con: duckdb.DuckDBPyConnection, fmt: str, table: str, filters: Filters, out: Path
) -> int:
    if fmt == "parquet":
        if table == "mentions":
            return tabular.arrow_parquet(con, _mentions_arrow(con, filters), out)
        return tabular.copy_parquet(con, table, filters, out)
    with _sink(out) as sink:
        if fmt == "gdelt":
            rows = (gdelt.event_rows(con, filters) if table == "events"
                    else gdelt.mention_rows(con, filters))
            return gdelt.write_tsv(rows, sink)
        if fmt == "plover":
            return plover.write(con, filters, sink)
        writer = tabular.write_csv if fmt == "csv" else tabular.write_jsonl
        if table == "mentions":
            names = [name for name, _ in gdelt.MENTION_COLUMNS]
            return writer(names, gdelt.mention_rows(con, filters), sink)
        columns, cursor = tabular.table_cursor(con, table, filters)
        return writer(columns, tabular.cursor_rows(cursor), sink)


def _open(db: str | Path | None) -> Store:
    try:
        return Store(db, read_only=True)
    except StoreError as exc:
        if "different configuration" not in str(exc):
            raise
        raise ExportError(
            f"{db}: this process has the database open through diurna.open() (a DuckDB file is "
            "opened with one set of settings per process); close it first, then export"
        ) from exc


def export(
    db: str | Path | None,
    *,
    fmt: str,
    out: str | Path,
    table: str = "events",
    filters: Filters | None = None,
    force: bool = False,
) -> int:
    """Export ``table`` of the database ``db`` in format ``fmt`` to ``out`` (a file, ``-`` for
    standard output, or a folder for Parquet); returns the number of rows written.

    Raises:
        ExportError: the format, table, filters or output path do not fit together.
        StoreError: the database cannot be opened.
    """
    filters = filters or Filters()
    check(fmt, table, filters)
    out_path = Path(out)
    if str(out_path) != "-" and out_path.resolve() == resolve_db_path(db).resolve():
        raise ExportError(f"{out_path} is the database itself; choose another output")
    _check_output(out_path, fmt, force)
    with _open(db) as store:
        needed = _SOURCE_TABLE.get(table, table)
        if needed not in relation_names(store.con):
            raise ExportError(
                f"{store.path} has no {needed} table: it was made by a Diurna without it; "
                "ingest the articles again into a new database"
            )
        prepare(store.con)
        try:
            rows = _write(store.con, fmt, table, filters, out_path)
        except duckdb.Error as exc:
            raise ExportError(f"exporting {table} as {fmt} failed: {exc}") from exc
    if fmt == "parquet":
        out_path.mkdir(exist_ok=True)  # an export without rows is an empty folder
    return rows
