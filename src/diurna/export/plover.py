"""PLOVER export: one JSON object per event, with PLOVER/POLECAT-style field names.

PLOVER (the Open Event Data Alliance's successor to CAMEO) describes an event by a type, a mode
and contexts, a source and a target actor each with an agent, a date with its resolution, a
location, and the text it came from. Diurna adds what PLOVER has no field for but its users
need to filter or trace a record: the CAMEO 1.1b3 code (``cameo``), the ``modality``, the negated
code of a rejection (``negated_cameo``), QuadClass, Goldstein, the pattern that coded it and the
tone. Events whose CAMEO code has no PLOVER type (roots 01 *make public statement* and 02
*appeal*, which PLOVER drops) are not exported. Field by field: ``docs/formats.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

import duckdb

from diurna.export.tabular import EVENT_WHERE, Filters, bind, json_line, plain

PLOVER_SQL = (
    "SELECT e.id, e.article_id, e.sentence_index, e.trigger_text, e.trigger_start,"
    " e.trigger_end, e.source_code, e.source_name, e.source_text, e.source_country,"
    " e.source_agent, e.target_code, e.target_name, e.target_text, e.target_country,"
    " e.target_agent, e.cameo, e.cameo_root, e.base_cameo, e.plover_type, e.plover_mode,"
    " e.plover_context, e.modality, e.quad_class, e.goldstein, e.confidence, e.pattern_id,"
    " e.event_date, d.day, d.resolution, CAST(e.location AS VARCHAR) AS location,"
    " s.text AS sentence, a.title, a.url, a.source, a.published, a.language, t.tone,"
    " coalesce(nullif(regexp_replace(regexp_extract(lower(a.url),"
    " '^[a-z][a-z0-9+.-]*://([^/:?#]+)', 1), '^www[.]', ''), ''), a.source) AS publisher"
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " JOIN event_dates d ON d.event_id = e.id LEFT JOIN event_tone t ON t.event_id = e.id"
    " LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_index"
    + EVENT_WHERE
    + " AND e.plover_type IS NOT NULL"
    " ORDER BY d.day NULLS LAST, e.article_id, e.sentence_index, e.trigger_start"
)


def _contexts(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def record(row: dict[str, Any]) -> dict[str, Any]:
    """The PLOVER record of one row of :data:`PLOVER_SQL`."""
    location = json.loads(row["location"]) if row.get("location") else {}
    return {
        "event_id": row["id"],
        "event_type": row["plover_type"],
        "event_mode": row["plover_mode"],
        "event_context": _contexts(row["plover_context"]),
        "source_actor": row["source_name"] or row["source_text"],
        "source_agent": row["source_agent"],
        "source_country": row["source_country"],
        "source_code": row["source_code"],
        "target_actor": row["target_name"] or row["target_text"],
        "target_agent": row["target_agent"],
        "target_country": row["target_country"],
        "target_code": row["target_code"],
        "date": plain(row["day"]),
        "date_resolution": row["resolution"],
        "date_raw": row["event_date"],
        "country": location.get("country"),
        "placename": location.get("name"),
        "admin1": location.get("admin1"),
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "geonames_id": location.get("geonameid"),
        "feature_type": location.get("precision"),
        "event_text": row["trigger_text"],
        "event_text_start": row["trigger_start"],
        "event_text_end": row["trigger_end"],
        "sentence": row["sentence"],
        "sentence_index": row["sentence_index"],
        "story_id": row["article_id"],
        "headline": row["title"],
        "publisher": row["publisher"],
        "url": row["url"],
        "publication_date": plain(row["published"]),
        "language": row["language"],
        "cameo": row["cameo"],
        "cameo_root": row["cameo_root"],
        "negated_cameo": row["base_cameo"],
        "modality": row["modality"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "confidence": row["confidence"],
        "pattern_id": row["pattern_id"],
        "avg_tone": row["tone"],
    }


def records(con: duckdb.DuckDBPyConnection, filters: Filters) -> Iterator[dict[str, Any]]:
    """PLOVER records of the events that pass ``filters``, in date order."""
    cursor = con.execute(PLOVER_SQL, bind(PLOVER_SQL, filters))
    names = [d[0] for d in cursor.description or ()]
    while batch := cursor.fetchmany(1000):
        for values in batch:
            yield record(dict(zip(names, values, strict=True)))


def write(con: duckdb.DuckDBPyConnection, filters: Filters, sink: TextIO) -> int:
    """Write the PLOVER records as JSON Lines; returns their number."""
    count = 0
    for item in records(con, filters):
        sink.write(json_line(item))
        count += 1
    return count
