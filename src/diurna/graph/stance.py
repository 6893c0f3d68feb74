"""Who recognises an entity and who does not, across every stored article.

For an entity (a code such as UKRDPR, or a name matched case-insensitively against the relation's
object name or text), :func:`stance` gathers the stored ``recognizes`` and ``does_not_recognize``
relations whose object it is and returns one row per state:

* the state is the subject's country (a head of state or a ministry speaks for its country; an
  organisation without a country stands for itself);
* only asserted relations count; future or hypothetical recognitions are counted as ``pending``;
* ``stance`` is the predicate of the latest asserted statement (by the article's publication
  date, then article id and sentence), with its sentence, article and date as evidence;
* ``num_articles`` counts the distinct articles that support that stance, ``num_against`` those
  that state the opposite, and ``conflicting`` is true when both exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from diurna.actors.dictionary import load_dictionary
from diurna.store.database import Store

RECOGNITION = ("recognizes", "does_not_recognize")

_ROWS = (
    "SELECT r.article_id, r.sentence_index, r.subject_code, r.subject_name, r.subject_text,"
    " r.subject_country, r.subject_kind, r.predicate, r.object_code, r.object_name,"
    " r.modality, r.evidence_text, CAST(a.published AS VARCHAR) AS published"
    " FROM relations r LEFT JOIN articles a ON a.id = r.article_id"
    " WHERE r.predicate IN ('recognizes', 'does_not_recognize')"
    " AND (upper(r.object_code) = upper(?) OR lower(r.object_name) = lower(?)"
    " OR lower(r.object_text) = lower(?))"
    " ORDER BY r.object_code, published NULLS FIRST, r.article_id, r.sentence_index"
)


def _state(row: dict[str, Any]) -> str:
    return str(row.get("subject_country") or row.get("subject_code") or "")


def _state_name(code: str, row: dict[str, Any]) -> str:
    names = load_dictionary().country_names
    return names.get(code) or str(row.get("subject_name") or row.get("subject_text") or code)


def _order(row: dict[str, Any]) -> tuple[str, str, int]:
    return (str(row.get("published") or ""), str(row.get("article_id") or ""),
            int(row.get("sentence_index") or 0))


def stance_rows(relations: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The recognition table of relation rows (see the module doc), one row per state and
    recognised entity, states in alphabetical order."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in relations:
        if row.get("predicate") in RECOGNITION:
            groups.setdefault((str(row.get("object_code") or ""), _state(row)), []).append(row)
    out = []
    for (entity, state), rows in sorted(groups.items()):
        asserted = sorted((r for r in rows if r.get("modality") == "asserted"), key=_order)
        pending = [r for r in rows if r.get("modality") in ("future", "hypothetical")]
        if not asserted and not pending:
            continue
        latest = asserted[-1] if asserted else max(pending, key=_order)
        stance = latest["predicate"] if asserted else "pending"
        support = {r["article_id"] for r in asserted if r["predicate"] == stance}
        against = {r["article_id"] for r in asserted if r["predicate"] != stance}
        out.append({
            "entity": entity,
            "entity_name": latest.get("object_name"),
            "state": state,
            "state_name": _state_name(state, latest),
            "stance": stance,
            "num_articles": len(support),
            "num_against": len(against),
            "conflicting": bool(support and against),
            "pending": len({r["article_id"] for r in pending}),
            "latest_date": latest.get("published"),
            "latest_article": latest.get("article_id"),
            "latest_sentence": latest.get("evidence_text"),
            "said_by": latest.get("subject_name") or latest.get("subject_text"),
        })
    return out


def stance(store: Store, entity: str) -> list[dict[str, Any]]:
    """The recognition table of ``entity`` (a code or a name) from the stored relations."""
    return stance_rows(store.query(_ROWS, [entity, entity, entity]))
