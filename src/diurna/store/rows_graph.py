"""Rows for the knowledge-graph tables: relations (per article) and event clusters (rebuilt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from diurna.article import Actor, Article

_ACTOR_FIELDS = ("text", "name", "code", "country", "kind")
RELATIONS = pa.schema(
    [("article_id", pa.string()), ("idx", pa.int32())]
    + [(f"subject_{f}", pa.string()) for f in _ACTOR_FIELDS]
    + [("predicate", pa.string())]
    + [(f"object_{f}", pa.string()) for f in _ACTOR_FIELDS]
    + [("valid_from", pa.string()), ("valid_to", pa.string()), ("modality", pa.string()),
       ("sentence_index", pa.int32()), ("evidence_text", pa.string()),
       ("evidence_start", pa.int32()), ("evidence_end", pa.int32())]
)
EVENT_CLUSTERS = pa.schema(
    [("cluster_id", pa.string()), ("anchor_event_id", pa.string()),
     ("source_code", pa.string()), ("target_code", pa.string()), ("cameo", pa.string()),
     ("cameo_root", pa.string()), ("modality", pa.string()), ("quad_class", pa.int32()),
     ("first_date", pa.string()), ("last_date", pa.string()), ("date_precision", pa.string()),
     ("place_country", pa.string()), ("num_mentions", pa.int32()),
     ("num_sources", pa.int32()), ("num_articles", pa.int32()),
     ("built_at", pa.timestamp("us"))]
)
EVENT_MENTIONS = pa.schema(
    [("event_id", pa.string()), ("cluster_id", pa.string()), ("article_id", pa.string()),
     ("sentence_index", pa.int32()), ("source", pa.string()), ("event_date", pa.string())]
)


def _actor_columns(role: str, actor: Actor) -> dict[str, Any]:
    return {f"{role}_{f}": getattr(actor, f) for f in _ACTOR_FIELDS}


def relation_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    return [
        {"article_id": article.id, "idx": i, **_actor_columns("subject", r.subject),
         "predicate": r.predicate, **_actor_columns("object", r.object),
         "valid_from": r.valid_from, "valid_to": r.valid_to, "modality": r.modality,
         "sentence_index": r.sentence_index, "evidence_text": r.evidence.text,
         "evidence_start": r.evidence.start, "evidence_end": r.evidence.end}
        for i, r in enumerate(article.relations)
    ]


def cluster_rows(clusters: list[dict[str, Any]], now: dt.datetime
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``event_clusters`` and ``event_mentions`` rows for clusters of ``cluster_events``."""
    heads = [{**{k: c.get(k) for k in EVENT_CLUSTERS.names}, "built_at": now} for c in clusters]
    mentions = [{**{k: m.get(k) for k in EVENT_MENTIONS.names}, "cluster_id": c["cluster_id"]}
                for c in clusters for m in c["mentions"]]
    return heads, mentions
