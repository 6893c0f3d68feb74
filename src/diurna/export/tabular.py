"""Tables as CSV, JSON Lines and Parquet, and the SELECTs that the exports and the API share.

Every statement here is a constant. A user's filter values travel only as named parameters
(``$actor``, ``$code``, ``$modality``, ``$since``, ``$until``), and so does the output path of a
Parquet export (``COPY ... TO $out``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pyarrow as pa

# Filters on an events query: a code prefix of source or target, a CAMEO prefix, a modality,
# and the event's day (``event_dates``) from/to.
EVENT_WHERE = (
    " WHERE ($actor IS NULL OR starts_with(e.source_code, $actor)"
    " OR starts_with(e.target_code, $actor))"
    " AND ($code IS NULL OR starts_with(e.cameo, $code))"
    " AND ($modality IS NULL OR e.modality = $modality)"
    " AND ($since IS NULL OR d.day >= $since) AND ($until IS NULL OR d.day <= $until)"
)
_ACTOR_FIELDS = ("code", "name", "country", "agent", "kind", "text")
EVENTS_SQL = (
    "SELECT e.id, e.article_id, d.day, d.resolution AS date_resolution, e.event_date,"
    " e.sentence_index, "
    + ", ".join(f"e.source_{f}" for f in _ACTOR_FIELDS)
    + ", e.cameo, e.cameo_root, e.base_cameo, "
    + ", ".join(f"e.target_{f}" for f in _ACTOR_FIELDS)
    + ", e.plover_type, e.plover_mode, e.plover_context, e.modality, e.quad_class,"
    " e.goldstein, e.confidence, e.pattern_id, e.trigger_text, e.trigger_start, e.trigger_end,"
    " CAST(e.location AS VARCHAR) AS location, t.tone AS avg_tone, a.url, a.title"
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " JOIN event_dates d ON d.event_id = e.id LEFT JOIN event_tone t ON t.event_id = e.id"
    + EVENT_WHERE
    + " ORDER BY d.day NULLS LAST, e.article_id, e.sentence_index, e.trigger_start"
)
# A count's day: its own date when it is one day, the first day of a coarser one, else the
# article's publication date.
_COUNT_DAY = (
    "coalesce(CASE length(split_part(c.date_value, '/', 1))"
    " WHEN 10 THEN TRY_CAST(split_part(c.date_value, '/', 1) AS DATE)"
    " WHEN 7 THEN TRY_CAST(split_part(c.date_value, '/', 1) || '-01' AS DATE)"
    " WHEN 4 THEN TRY_CAST(split_part(c.date_value, '/', 1) || '-01-01' AS DATE) END,"
    " a.published)"
)
COUNTS_SQL = (
    "SELECT c.article_id, c.idx, " + _COUNT_DAY + " AS day, c.kind, c.number, c.approximate,"
    " c.object, c.text, c.date_value, c.date_precision, c.event_id, c.sentence_index,"
    " c.start_char, c.end_char, CAST(c.location AS VARCHAR) AS location, a.url"
    " FROM counts c JOIN articles a ON a.id = c.article_id"
    " WHERE ($since IS NULL OR " + _COUNT_DAY + " >= $since)"
    " AND ($until IS NULL OR " + _COUNT_DAY + " <= $until)"
    " ORDER BY day NULLS LAST, c.article_id, c.idx"
)
QUOTES_SQL = (
    "SELECT q.article_id, q.idx, a.published AS day, q.speaker_text, q.speaker_code,"
    " q.speaker_country, q.verb, q.direct, q.text, q.sentence_index, q.start_char, q.end_char,"
    " a.url"
    " FROM quotes q JOIN articles a ON a.id = q.article_id"
    " WHERE ($actor IS NULL OR starts_with(q.speaker_code, $actor))"
    " AND ($since IS NULL OR a.published >= $since) AND ($until IS NULL OR a.published <= $until)"
    " ORDER BY day NULLS LAST, q.article_id, q.idx"
)
RELATIONS_SQL = (
    "SELECT r.article_id, r.idx, a.published AS day, "
    + ", ".join(f"r.subject_{f}" for f in ("code", "name", "country", "kind", "text"))
    + ", r.predicate, "
    + ", ".join(f"r.object_{f}" for f in ("code", "name", "country", "kind", "text"))
    + ", r.valid_from, r.valid_to, r.modality, r.sentence_index, r.evidence_text,"
    " r.evidence_start, r.evidence_end, a.url"
    " FROM relations r JOIN articles a ON a.id = r.article_id"
    " WHERE ($actor IS NULL OR starts_with(r.subject_code, $actor)"
    " OR starts_with(r.object_code, $actor))"
    " AND ($modality IS NULL OR r.modality = $modality)"
    " AND ($since IS NULL OR a.published >= $since) AND ($until IS NULL OR a.published <= $until)"
    " ORDER BY day NULLS LAST, r.article_id, r.idx"
)
ARTICLES_SQL = (
    "SELECT a.id, a.published AS day, a.title, a.url, a.source, a.author, a.language,"
    " a.status, a.status_reason, a.duplicate_of, a.content_hash, a.fetched, a.n_chars,"
    " t.tone AS avg_tone, a.ingested_at, CAST(a.removed AS VARCHAR) AS removed,"
    " CAST(a.warnings AS VARCHAR) AS warnings, a.text"
    " FROM articles a LEFT JOIN article_tone t ON t.article_id = a.id"
    " WHERE ($since IS NULL OR a.published >= $since) AND ($until IS NULL OR a.published <= $until)"
    " ORDER BY day NULLS LAST, a.id"
)
TABLE_SQL = {
    "events": EVENTS_SQL,
    "counts": COUNTS_SQL,
    "quotes": QUOTES_SQL,
    "relations": RELATIONS_SQL,
    "articles": ARTICLES_SQL,
}
# The partition folders of a Parquet export: year=YYYY/month=M of the row's day; rows without a
# day go to year=0/month=0 (a folder per null would break readers that unify partition types).
_PARTITION = "coalesce(year(day), 0) AS year, coalesce(month(day), 0) AS month"
# Columns holding JSON text: written as nested values in JSON Lines.
JSON_COLUMNS = frozenset({"location", "removed", "warnings"})
# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Filters:
    """What to export. ``actor`` is an actor-code prefix (KAZ, KAZGOV), ``code`` a CAMEO code
    prefix (12, 054), ``since``/``until`` inclusive days."""

    actor: str | None = None
    code: str | None = None
    modality: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def given(self) -> list[str]:
        """Names of the filters that are set."""
        return [name for name in ("actor", "code", "modality", "since", "until")
                if getattr(self, name) is not None]


def bind(sql: str, filters: Filters, **extra: Any) -> dict[str, Any]:
    """The named parameters ``sql`` uses, from ``filters`` and ``extra``."""
    values = {
        "actor": filters.actor.upper() if filters.actor else None,
        "code": filters.code,
        "modality": filters.modality,
        "since": filters.since,
        "until": filters.until,
        **extra,
    }
    wanted = duckdb.extract_statements(sql)[0].named_parameters
    return {name: values.get(name) for name in wanted}


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO strings."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def safe_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run: a formula-like text gets a leading quote."""
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cursor_rows(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple[Any, ...]]:
    while batch := cursor.fetchmany(1000):
        yield from batch


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], sink: TextIO) -> int:
    """A header row, then one guarded row per record; returns the number of records.

    Lines end in ``\n``, yet a cell holding a lone ``\r`` must be quoted too, or readers split
    the row there; Python's writer (before 3.12) quotes only for the characters of its line
    terminator. So each row is formatted with ``\r\n``, which quotes for both, and written with
    ``\n``."""
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")

    def put(values: Sequence[Any]) -> None:
        writer.writerow(values)
        sink.write(line.getvalue()[:-2] + "\n")
        line.seek(0)
        line.truncate()

    put(columns)
    count = 0
    for row in rows:
        put([safe_cell(v) for v in row])
        count += 1
    return count


# Characters that JSON allows raw inside a string but that some readers take as a line end
# (Python's str.splitlines, JavaScript before ES2019): escaped, so a record stays on one line.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as None (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def json_line(record: dict[str, Any]) -> str:
    """``record`` as one line of JSON Lines (with its newline), whatever text it holds: strict
    JSON (no NaN), and no character inside that a reader could split the line at."""
    text = json.dumps(_finite(record), ensure_ascii=False, allow_nan=False)
    return text.translate(_LINE_BREAKS) + "\n"


def write_jsonl(columns: Sequence[str], rows: Iterable[Sequence[Any]], sink: TextIO) -> int:
    """One JSON object per record; JSON text columns become nested values."""
    count = 0
    for row in rows:
        record = {}
        for name, value in zip(columns, row, strict=True):
            if name in JSON_COLUMNS and isinstance(value, str):
                value = json.loads(value)
            record[name] = plain(value)
        sink.write(json_line(record))
        count += 1
    return count


def table_cursor(
    con: duckdb.DuckDBPyConnection, table: str, filters: Filters
) -> tuple[list[str], duckdb.DuckDBPyConnection]:
    """Run the SELECT of ``table``: (column names, the cursor to read rows from)."""
    sql = TABLE_SQL[table]
    cursor = con.execute(sql, bind(sql, filters))
    return [d[0] for d in cursor.description or ()], cursor


def copy_parquet(con: duckdb.DuckDBPyConnection, table: str, filters: Filters, out: Path) -> int:
    """Write ``table`` as Parquet files under ``out``, in ``year=YYYY/month=M`` folders by the
    row's ``day`` (``year=0/month=0`` for rows without one)."""
    inner = TABLE_SQL[table]
    sql = (
        "COPY (SELECT *, " + _PARTITION + " FROM (" + inner + "))"
        " TO $out (FORMAT PARQUET, PARTITION_BY (year, month))"
    )
    result = con.execute(sql, bind(sql, filters, out=str(out))).fetchall()
    return int(result[0][0]) if result else 0


def arrow_parquet(con: duckdb.DuckDBPyConnection, rows: pa.Table, out: Path) -> int:
    """Write an Arrow table (with a ``day`` column) as partitioned Parquet under ``out``."""
    con.register("_export_rows", rows)
    try:
        sql = (
            "COPY (SELECT *, " + _PARTITION + " FROM _export_rows)"
            " TO $out (FORMAT PARQUET, PARTITION_BY (year, month))"
        )
        result = con.execute(sql, {"out": str(out)}).fetchall()
    finally:
        con.unregister("_export_rows")
    return int(result[0][0]) if result else 0
