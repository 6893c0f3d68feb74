"""Read queries over the knowledge graph, shared by the CLI, the Python API and the web app.

Every statement is a constant; user values only ever travel as bound parameters. An actor
argument matches a code prefix ("KAZ" matches KAZ and KAZGOV) or, case-insensitively, a name.
"""

from __future__ import annotations

from typing import Any

from diurna.store.database import Store

# How many recent events of each quad class an actor profile shows.
EVENTS_PER_QUAD_CLASS = 5
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                4: "material conflict"}

_MATCH = "(upper({col}_code) LIKE upper(?) OR lower({col}_name) = lower(?)" \
         " OR lower({col}_text) = lower(?))"
_VIEW_MATCH = "(upper({col}_code) LIKE upper(?) OR lower({col}_name) = lower(?))"


def _actor_params(value: str | None) -> list[str | None]:
    return [f"{value}%" if value else None, value]


def relations(store: Store, *, subject: str | None = None, predicate: str | None = None,
              obj: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Relations merged across articles (the ``relation_evidence`` view), filtered."""
    s, o = _actor_params(subject), _actor_params(obj)
    return store.query(
        "SELECT subject_code, subject_name, predicate, object_code, object_name, valid_from,"
        " valid_to, first_seen, last_seen, num_articles, num_mentions, num_asserted,"
        " num_negated, conflicting FROM relation_evidence"
        " WHERE (? IS NULL OR " + _VIEW_MATCH.format(col="subject") + ")"
        " AND (? IS NULL OR predicate = ?)"
        " AND (? IS NULL OR " + _VIEW_MATCH.format(col="object") + ")"
        " ORDER BY num_articles DESC, subject_code, predicate, object_code LIMIT ?",
        [subject, *s, predicate, predicate, obj, *o, limit],
    )


def relation_mentions(store: Store, *, subject: str | None = None, predicate: str | None = None,
                      obj: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Every stored relation with its evidence sentence and article, filtered."""
    s, o = _actor_params(subject), _actor_params(obj)
    return store.query(
        "SELECT r.article_id, r.sentence_index, CAST(a.published AS VARCHAR) AS published,"
        " r.subject_code, r.subject_name, r.predicate, r.object_code, r.object_name,"
        " r.modality, r.valid_from, r.valid_to, r.evidence_text"
        " FROM relations r LEFT JOIN articles a ON a.id = r.article_id"
        " WHERE (? IS NULL OR " + _MATCH.format(col="r.subject") + ")"
        " AND (? IS NULL OR r.predicate = ?)"
        " AND (? IS NULL OR " + _MATCH.format(col="r.object") + ")"
        " ORDER BY published NULLS LAST, r.article_id, r.idx LIMIT ?",
        [subject, *s, subject, predicate, predicate, obj, *o, obj, limit],
    )


def _section(store: Store, where: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    return store.query(
        "SELECT subject_code, subject_name, predicate, object_code, object_name, valid_from,"
        " valid_to, first_seen, last_seen, num_articles, conflicting FROM relation_evidence"
        " WHERE " + where + " ORDER BY predicate, last_seen DESC NULLS LAST, subject_code,"
        " object_code LIMIT ?",
        [*params, limit],
    )


def actor_profile(store: Store, code: str, *, limit: int = 100) -> dict[str, list[dict[str, Any]]]:
    """What the graph knows of the actor ``code`` (KAZ, IGOCSTO, RUSGOV): offices held by its
    people or of its country, memberships, treaties, stances and other relations, and its most
    recent events of each quad class."""
    prefix = f"{code.upper()}%"
    exact = code.upper()
    sections = {
        "offices": _section(
            store, "predicate = 'holds_office' AND ((subject_kind = 'person' AND"
            " upper(subject_code) LIKE ?) OR upper(object_code) = ?)", [prefix, exact], limit),
        "memberships": _section(
            store, "predicate = 'member_of' AND (upper(subject_code) = ? OR"
            " upper(object_code) = ?)", [exact, exact], limit),
        "treaties": _section(
            store, "predicate IN ('signatory_of', 'beneficiary_of') AND (upper(subject_code) = ?"
            " OR upper(object_code) = ?)", [exact, exact], limit),
        "stances": _section(
            store, "predicate IN ('recognizes', 'does_not_recognize') AND"
            " upper(subject_code) LIKE ?", [prefix], limit),
        "relations": _section(
            store, "predicate IN ('annexed', 'occupies', 'sanctions', 'at_war_with',"
            " 'allied_with') AND (upper(subject_code) LIKE ? OR upper(object_code) LIKE ?)",
            [prefix, prefix], limit),
    }
    sections["events"] = store.query(
        "SELECT quad_class, date, id, source_code, cameo, target_code, modality, trigger_text,"
        " article_id FROM ("
        " SELECT e.quad_class, coalesce(e.event_date, CAST(a.published AS VARCHAR)) AS date,"
        " e.id, e.source_code, e.cameo, e.target_code, e.modality, e.trigger_text, e.article_id,"
        " row_number() OVER (PARTITION BY e.quad_class ORDER BY coalesce(e.event_date,"
        " CAST(a.published AS VARCHAR)) DESC NULLS LAST, e.id) AS n"
        " FROM events e JOIN articles a ON a.id = e.article_id"
        " WHERE upper(e.source_code) LIKE ? OR upper(e.target_code) LIKE ?)"
        " WHERE n <= ? ORDER BY quad_class, date DESC NULLS LAST, id",
        [prefix, prefix, EVENTS_PER_QUAD_CLASS],
    )
    for row in sections["events"]:
        row["quad_name"] = QUAD_CLASSES.get(int(row["quad_class"] or 0), "")
    return sections


def event_clusters(store: Store, *, actor: str | None = None, min_articles: int = 1,
                   limit: int = 1000) -> list[dict[str, Any]]:
    """Event clusters (see ``rebuild_clusters``), most reported first."""
    prefix = f"{actor.upper()}%" if actor else None
    return store.query(
        "SELECT cluster_id, first_date, last_date, source_code, cameo, target_code, modality,"
        " place_country, num_mentions, num_articles, num_sources, anchor_event_id"
        " FROM event_clusters WHERE (? IS NULL OR upper(source_code) LIKE ?"
        " OR upper(target_code) LIKE ?) AND num_articles >= ?"
        " ORDER BY num_articles DESC, num_mentions DESC, first_date, cluster_id LIMIT ?",
        [prefix, prefix, prefix, min_articles, limit],
    )
