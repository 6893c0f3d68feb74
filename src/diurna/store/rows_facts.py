"""Rows for the tables that the fact steps fill: counts, quotes and places."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa

from diurna.article import Article

COUNTS = pa.schema(
    [("article_id", pa.string()), ("idx", pa.int32()), ("kind", pa.string()),
     ("number", pa.int64()), ("approximate", pa.bool_()), ("object", pa.string()),
     ("text", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
     ("sentence_index", pa.int32()), ("event_id", pa.string()), ("date_value", pa.string()),
     ("date_precision", pa.string()), ("location", pa.string())]
)
QUOTES = pa.schema(
    [("article_id", pa.string()), ("idx", pa.int32()), ("text", pa.string()),
     ("start_char", pa.int32()), ("end_char", pa.int32()), ("speaker_text", pa.string()),
     ("speaker_code", pa.string()), ("speaker_country", pa.string()), ("verb", pa.string()),
     ("direct", pa.bool_()), ("sentence_index", pa.int32())]
)
PLACES = pa.schema(
    [("article_id", pa.string()), ("idx", pa.int32()), ("name", pa.string()),
     ("text", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
     ("sentence_index", pa.int32()), ("country", pa.string()), ("admin1", pa.string()),
     ("lat", pa.float64()), ("lon", pa.float64()), ("geonameid", pa.int64()),
     ("precision", pa.string()), ("confidence", pa.float64())]
)


def count_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for i, c in enumerate(article.counts):
        date = c.date or {}
        rows.append(
            {"article_id": article.id, "idx": i, "kind": c.kind, "number": c.number,
             "approximate": c.approximate, "object": c.object, "text": c.text,
             "start_char": c.start, "end_char": c.end, "sentence_index": c.sentence_index,
             "event_id": c.event_id, "date_value": date.get("value"),
             "date_precision": date.get("precision"),
             "location": json.dumps(c.location) if c.location else None}
        )
    return rows


def quote_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for i, q in enumerate(article.quotes):
        s = q.speaker
        rows.append(
            {"article_id": article.id, "idx": i, "text": q.text, "start_char": q.start,
             "end_char": q.end, "speaker_text": s.text if s else None,
             "speaker_code": s.code if s else None, "speaker_country": s.country if s else None,
             "verb": q.verb, "direct": q.direct, "sentence_index": q.sentence_index}
        )
    return rows


def place_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per geocoded mention in ``article.places`` (filled by the places step)."""
    rows = []
    for i, p in enumerate(getattr(article, "places", None) or []):
        rows.append(
            {"article_id": article.id, "idx": i, "name": p.get("name"), "text": p.get("text"),
             "start_char": p.get("start"), "end_char": p.get("end"),
             "sentence_index": p.get("sentence_index", 0), "country": p.get("country"),
             "admin1": p.get("admin1"), "lat": p.get("lat"), "lon": p.get("lon"),
             "geonameid": p.get("geonameid"), "precision": p.get("precision"),
             "confidence": p.get("confidence", 0.0)}
        )
    return rows
