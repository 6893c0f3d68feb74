"""Article records → Arrow tables, one per database table.

Every table the writer fills has an explicit Arrow schema here, so that a batch whose column is all
null still has the right type, and inserts go through Arrow in one statement per table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

import pyarrow as pa

from diurna.article import Article, Failure
from diurna.store.rows_facts import COUNTS, PLACES, QUOTES, count_rows, place_rows, quote_rows
from diurna.store.rows_graph import RELATIONS, relation_rows
from diurna.store.rows_nlp import (
    ENTITIES,
    EVENTS,
    SENTENCES,
    entity_rows,
    event_rows,
    sentence_rows,
)

ARTICLES = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", pa.date32()),
        ("fetched", pa.string()),
        ("author", pa.string()),
        ("language", pa.string()),
        ("status", pa.string()),
        ("status_reason", pa.string()),
        ("duplicate_of", pa.string()),
        ("content_hash", pa.string()),
        ("text", pa.string()),
        ("removed", pa.string()),
        ("warnings", pa.string()),
        ("n_chars", pa.int32()),
        ("avg_tone", pa.float64()),
        ("ingested_at", pa.timestamp("us")),
    ]
)

FAILURES = pa.schema(
    [
        ("source", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("article_id", pa.string()),
        ("failed_at", pa.timestamp("us")),
    ]
)


def iso_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date or timestamp, or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def article_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": article.id,
            "source": article.source,
            "url": article.url,
            "title": article.title,
            "published": iso_date(article.published),
            "fetched": article.fetched,
            "author": article.author,
            "language": article.language,
            "status": article.status,
            "status_reason": article.status_reason,
            "duplicate_of": article.duplicate_of,
            "content_hash": article.content_hash,
            "text": article.text,
            "removed": json.dumps([asdict(r) for r in article.removed], ensure_ascii=False),
            "warnings": json.dumps(article.warnings, ensure_ascii=False),
            "n_chars": len(article.text),
            "avg_tone": article.avg_tone,
            "ingested_at": now,
        }
    ]


RowBuilder = Callable[[Article, dt.datetime], list[dict[str, Any]]]

# table name → (Arrow schema, row builder), in the order they are written (parents first).
ARTICLE_TABLES: dict[str, tuple[pa.Schema, RowBuilder]] = {
    "articles": (ARTICLES, article_rows),
    "sentences": (SENTENCES, sentence_rows),
    "entities": (ENTITIES, entity_rows),
    "events": (EVENTS, event_rows),
    "counts": (COUNTS, count_rows),
    "quotes": (QUOTES, quote_rows),
    "places": (PLACES, place_rows),
    "relations": (RELATIONS, relation_rows),
}


def tables_for(articles: Sequence[Article], now: dt.datetime) -> dict[str, pa.Table]:
    out: dict[str, pa.Table] = {}
    for name, (schema, build) in ARTICLE_TABLES.items():
        rows = [row for article in articles for row in build(article, now)]
        if rows:
            out[name] = pa.Table.from_pylist(rows, schema=schema)
    return out


def failure_table(failures: Sequence[Failure], now: dt.datetime) -> pa.Table:
    rows = [
        {
            "source": f.source,
            "stage": f.stage,
            "reason": f.reason,
            "article_id": f.article_id,
            "failed_at": now,
        }
        for f in failures
    ]
    return pa.Table.from_pylist(rows, schema=FAILURES)
