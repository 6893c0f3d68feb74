"""The Python API: a Diurna database as pandas DataFrames (or Arrow tables).

>>> import diurna
>>> with diurna.open("diurna.duckdb") as db:                      # doctest: +SKIP
...     kaz = db.events(actor="KAZ", code="12")
...     dyads = db.sql("SELECT * FROM actor_dyads ORDER BY events DESC LIMIT 5")

Every method reads the same stored rows and runs the same constant SELECTs as ``diurna
export`` (:mod:`diurna.export.tabular`), so a DataFrame and an export agree column for column.
A database opened read-only (the default) is opened with external access disabled and its
settings locked, the connection ``diurna sql`` uses; :meth:`Database.sql` runs only one
read-only statement on it. Examples to run: ``docs/python-api.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from diurna.article import Actor, Event, Span
from diurna.errors import StoreError
from diurna.export.tabular import (
    ARTICLES_SQL,
    COUNTS_SQL,
    EVENTS_SQL,
    QUOTES_SQL,
    RELATIONS_SQL,
    Filters,
    bind,
)
from diurna.store.database import Store, reading, resolve_db_path
from diurna.store.readonly_sql import connect_locked, execute
from diurna.store.views import VIEWS, prepare, relation_names

_LIMITED = "SELECT * FROM ({inner}) LIMIT $limit"
ACTORS_SQL = (
    "SELECT code, any_value(coalesce(actor_name, text)) AS name, country, agent,"
    " any_value(kind) AS kind, count(*) AS mentions, count(DISTINCT article_id) AS articles"
    " FROM entities WHERE code IS NOT NULL AND ($country IS NULL OR country = $country)"
    " GROUP BY code, country, agent ORDER BY mentions DESC, code"
)
RELATIONS_API_SQL = (
    "SELECT * FROM (" + RELATIONS_SQL + ")"
    " WHERE ($subject IS NULL OR starts_with(subject_code, $subject))"
    " AND ($predicate IS NULL OR predicate = $predicate)"
    " AND ($object IS NULL OR starts_with(object_code, $object))"
)
STANCE_SQL = (
    "SELECT CASE WHEN starts_with(subject_code, $entity) THEN 'subject' ELSE 'object' END"
    " AS role, * FROM stances"
    " WHERE starts_with(subject_code, $entity) OR object_code = $entity"
    " ORDER BY role DESC, last_seen DESC NULLS LAST, subject_code, object_code"
)
COUNTS_API_SQL = "SELECT * FROM (" + COUNTS_SQL + ") WHERE ($kind IS NULL OR kind = $kind)"
EVENT_SQL = (
    "SELECT e.*, d.day, d.resolution, s.text AS sentence, a.title, a.url, t.tone"
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " JOIN event_dates d ON d.event_id = e.id LEFT JOIN event_tone t ON t.event_id = e.id"
    " LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_index"
    " WHERE e.id = $event_id"
)


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One stored event: the pipeline's :class:`~diurna.article.Event` rebuilt from its row,
    with the article and sentence it came from."""

    event: Event
    article_id: str
    day: dt.date | None
    date_resolution: str | None
    sentence: str | None
    title: str | None
    url: str | None
    avg_tone: float | None


def _actor(row: dict[str, Any], role: str) -> Actor | None:
    if row.get(f"{role}_text") is None and row.get(f"{role}_code") is None:
        return None
    return Actor(
        text=row.get(f"{role}_text") or "", name=row.get(f"{role}_name"),
        code=row.get(f"{role}_code"), country=row.get(f"{role}_country"),
        agent=row.get(f"{role}_agent"), kind=row.get(f"{role}_kind") or "unknown",
    )


def event_record(row: dict[str, Any]) -> EventRecord:
    """An :class:`EventRecord` from a row of the ``events`` table joined as in ``EVENT_SQL``."""
    plover = {"type": row["plover_type"], "mode": row["plover_mode"],
              "context": row["plover_context"]}
    if row.get("base_cameo"):
        plover["negated_cameo"] = row["base_cameo"]
    date = ({"value": row["event_date"], "precision": row["date_precision"]}
            if row.get("event_date") or row.get("date_precision") else None)
    event = Event(
        id=row["id"], sentence_index=row["sentence_index"],
        trigger=Span(row["trigger_text"], row["trigger_start"], row["trigger_end"]),
        source=_actor(row, "source"), target=_actor(row, "target"), cameo=row["cameo"],
        plover=plover, modality=row["modality"], quad_class=row["quad_class"],
        goldstein=row["goldstein"], confidence=row["confidence"],
        pattern_id=row["pattern_id"], date=date,
        location=json.loads(row["location"]) if row.get("location") else None,
        rejection_cameo=row["cameo"] if row.get("base_cameo") else None,
    )
    return EventRecord(event=event, article_id=row["article_id"], day=row.get("day"),
                       date_resolution=row.get("resolution"), sentence=row.get("sentence"),
                       title=row.get("title"), url=row.get("url"), avg_tone=row.get("tone"))


def _arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    convert = getattr(relation, "to_arrow_table", None) or relation.arrow  # DuckDB 2 / 1.x
    table: pa.Table = convert()
    return table


class Database:
    """A Diurna database, read-only unless asked otherwise. Use it as a context manager.

    Args:
        db: the DuckDB file; default ``$DIURNA_DB``, else ``./diurna.duckdb``.
        read_only: open read-only (the default: any number of readers, never a write). A
            writable open migrates the schema, as ingest does.
        wait: seconds to wait for the file while another process writes to it (an ingest
            holds it for a moment per batch); default ``$DIURNA_LOCK_WAIT``, else 10 s
            read-only and 120 s writable.

    While it is open, the database stays open in this process: a read-only one keeps
    ``diurna ingest`` from writing (it waits, then gives up), so close it when done.

    Raises:
        StoreError: the file does not exist (read-only), is empty, truncated, damaged, not a
            Diurna database, or made by a newer Diurna; the message says how to recover.
        DatabaseBusy: (a StoreError) another process kept the file past ``wait``.
    """

    def __init__(self, db: str | Path | None = None, *, read_only: bool = True,
                 wait: float | None = None) -> None:
        self.path = resolve_db_path(db)
        self.read_only = read_only
        self._store: Store | None = None
        if read_only:
            self.con = connect_locked(self.path, wait=wait)
        else:
            self._store = Store(self.path, read_only=False, wait=wait)
            self.con = self._store.con
        try:
            with reading(self.path):
                prepare(self.con)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}, read_only={self.read_only})"

    def close(self) -> None:
        """Close the connection (a closed database cannot be queried)."""
        if self._store is not None:
            self._store.close()
        else:
            self.con.close()

    # -- plumbing -----------------------------------------------------------------------------

    def _frame(self, sql: str, params: dict[str, Any], as_arrow: bool) -> pd.DataFrame | pa.Table:
        with reading(self.path):
            relation = self.con.sql(sql, params=params)
            return _arrow(relation) if as_arrow else relation.df()

    def _select(
        self, sql: str, filters: Filters, as_arrow: bool, limit: int | None = None,
        **extra: Any,
    ) -> pd.DataFrame | pa.Table:
        if limit is not None:
            sql = _LIMITED.format(inner=sql)
        return self._frame(sql, bind(sql, filters, limit=limit, **extra), as_arrow)

    def _need(self, table: str) -> None:
        if table not in relation_names(self.con):
            raise StoreError(f"{self.path} has no {table} table: it was made by an older "
                             "Diurna; ingest the articles again into a new database")

    # -- the questions ------------------------------------------------------------------------

    def events(
        self,
        actor: str | None = None,
        code: str | None = None,
        modality: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        limit: int | None = None,
        *,
        as_arrow: bool = False,
    ) -> pd.DataFrame | pa.Table:
        """Coded events, oldest first: one row per event with its actors, codes, day, tone,
        trigger and article.

        Args:
            actor: the source or target actor code starts with this (``"KAZ"``, ``"RUSMIL"``).
            code: the CAMEO code starts with this (``"12"``, ``"054"``).
            modality: ``"asserted"``, ``"negated"``, ``"future"`` or ``"hypothetical"``.
            since, until: inclusive days (``"2024-01-01"`` or a ``date``) of the event's day.
            limit: at most this many rows.
            as_arrow: return a ``pyarrow.Table`` instead of a DataFrame.
        """
        filters = Filters(actor=actor, code=code, modality=modality, since=_day(since),
                          until=_day(until))
        return self._select(EVENTS_SQL, filters, as_arrow, limit)

    def event(self, event_id: str) -> EventRecord | None:
        """One event as an :class:`EventRecord`, or ``None`` if there is no such event."""
        with reading(self.path):
            cursor = self.con.execute(EVENT_SQL, {"event_id": event_id})
            names = [d[0] for d in cursor.description or ()]
            rows = cursor.fetchall()
        return event_record(dict(zip(names, rows[0], strict=True))) if rows else None

    def actors(self, country: str | None = None, *, as_arrow: bool = False
               ) -> pd.DataFrame | pa.Table:
        """Resolved actors with their numbers of mentions and articles, most mentioned first;
        ``country`` keeps one country's (ISO alpha-3, ``"KAZ"``)."""
        params = {"country": country.upper() if country else None}
        return self._frame(ACTORS_SQL, params, as_arrow)

    def relations(
        self,
        subject: str | None = None,
        predicate: str | None = None,
        object: str | None = None,
        *,
        as_arrow: bool = False,
    ) -> pd.DataFrame | pa.Table:
        """Relations between actors, each with its evidence sentence. ``subject`` and
        ``object`` are actor-code prefixes, ``predicate`` exact (``"member_of"``,
        ``"recognizes"``, ``"does_not_recognize"``, ...)."""
        self._need("relations")
        return self._select(RELATIONS_API_SQL, Filters(), as_arrow, subject=_upper(subject),
                            predicate=predicate, object=_upper(object))

    def stance(self, entity: str, *, as_arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Recognition stances (view ``stances``) of ``entity``, an actor code: those it takes
        (``role`` = subject; ``"KAZ"`` includes ``KAZGOV``), then those others take on it
        (``role`` = object, the exact code)."""
        self._need("stances")
        return self._frame(STANCE_SQL, {"entity": entity.upper()}, as_arrow)

    def counts(self, kind: str | None = None, *, as_arrow: bool = False
               ) -> pd.DataFrame | pa.Table:
        """Casualty, arrest and other counts; ``kind`` keeps one kind (``"KILL"``, ...)."""
        return self._select(COUNTS_API_SQL, Filters(), as_arrow, kind=_upper(kind))

    def quotes(self, speaker: str | None = None, *, as_arrow: bool = False
               ) -> pd.DataFrame | pa.Table:
        """Quotes with their speakers; ``speaker`` is an actor-code prefix (``"KAZ"``)."""
        return self._select(QUOTES_SQL, Filters(actor=speaker), as_arrow)

    def articles(self, *, as_arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Every stored article (duplicates and non-English ones too, see ``status``)."""
        return self._select(ARTICLES_SQL, Filters(), as_arrow)

    def sql(self, query: str, *, as_arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Run one read-only statement (the rules of ``diurna sql``) and return its rows.

        Raises:
            QueryRefused: the statement is not a single read-only query, or reads files.
        """
        relation = execute(self.con, query)
        with reading(self.path):
            return _arrow(relation) if as_arrow else relation.df()

    def views(self) -> list[str]:
        """The views for common questions this database has (see ``docs/python-api.md``)."""
        return [name for name in VIEWS if name in relation_names(self.con)]


def _day(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None
