"""Read queries over actors and events, shared by the CLI, the Python API and the web app.

Every statement is a constant; user values only ever travel as bound parameters.
"""

from __future__ import annotations

from typing import Any

from diurna.store.database import Store


def actors(store: Store, *, country: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Resolved actors with their mention counts, most mentioned first."""
    return store.query(
        "SELECT code, any_value(coalesce(actor_name, text)) AS name, country, agent,"
        " any_value(kind) AS kind, count(*) AS mentions, count(DISTINCT article_id) AS articles"
        " FROM entities WHERE code IS NOT NULL AND (? IS NULL OR country = ?)"
        " GROUP BY code, country, agent ORDER BY mentions DESC, code LIMIT ?",
        [country, country, limit],
    )


def unresolved(store: Store, *, limit: int = 100) -> list[dict[str, Any]]:
    """Named entities no rule could resolve, most frequent first."""
    return store.query(
        "SELECT text, label, count(*) AS mentions FROM entities WHERE code IS NULL"
        " AND kind <> 'place' GROUP BY text, label ORDER BY mentions DESC, text LIMIT ?",
        [limit],
    )


def events(
    store: Store,
    *,
    actor: str | None = None,
    code: str | None = None,
    modality: str | None = None,
    since: str | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Events, filtered. ``actor`` matches a code prefix of source or target (KAZ, KAZGOV);
    ``code`` a CAMEO code prefix (12, 054)."""
    actor_prefix = f"{actor}%" if actor else None
    code_prefix = f"{code}%" if code else None
    return store.query(
        "SELECT e.id, coalesce(e.event_date, CAST(a.published AS VARCHAR)) AS date,"
        " e.source_code, e.cameo, e.target_code, e.modality, e.plover_type, e.quad_class,"
        " e.goldstein, e.confidence, e.trigger_text, e.source_text, e.target_text,"
        " e.article_id, e.sentence_index, e.pattern_id, e.base_cameo"
        " FROM events e JOIN articles a ON a.id = e.article_id"
        " WHERE (? IS NULL OR e.source_code LIKE ? OR e.target_code LIKE ?)"
        " AND (? IS NULL OR e.cameo LIKE ?)"
        " AND (? IS NULL OR e.modality = ?)"
        " AND (? IS NULL OR coalesce(e.event_date, CAST(a.published AS VARCHAR)) >= ?)"
        " ORDER BY date NULLS LAST, e.article_id, e.sentence_index, e.trigger_start LIMIT ?",
        [actor_prefix, actor_prefix, actor_prefix, code_prefix, code_prefix, modality, modality,
         since, since, limit],
    )


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with its sentence and the article's title, for ``explain``."""
    rows = store.query(
        "SELECT e.*, s.text AS sentence, s.start_char AS sentence_start, a.title"
        " FROM events e JOIN articles a ON a.id = e.article_id"
        " LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_index"
        " WHERE e.id = ?",
        [event_id],
    )
    return rows[0] if rows else None


def article_facts(store: Store, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Everything coded from one article, for ``diurna show``: events, counts, quotes, places."""
    return {
        "events": store.query(
            "SELECT id, sentence_index, source_code, cameo, target_code, modality,"
            " coalesce(event_date, '') AS date, trigger_text FROM events WHERE article_id = ?"
            " ORDER BY sentence_index, trigger_start",
            [article_id],
        ),
        "counts": store.query(
            "SELECT kind, number, approximate, object, text, date_value AS date,"
            " json_extract_string(location, '$.name') AS place FROM counts"
            " WHERE article_id = ? ORDER BY idx",
            [article_id],
        ),
        "quotes": store.query(
            "SELECT speaker_text, speaker_code, verb, direct, text FROM quotes"
            " WHERE article_id = ? ORDER BY idx",
            [article_id],
        ),
        "places": store.query(
            "SELECT text, name, country, admin1, precision, round(confidence, 2) AS confidence"
            " FROM places WHERE article_id = ? ORDER BY idx",
            [article_id],
        ),
    }
