"""Rows for the tables that the NLP, actor and event steps fill."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa

from diurna.article import Actor, Article

SENTENCES = pa.schema(
    [("article_id", pa.string()), ("idx", pa.int32()), ("start_char", pa.int32()),
     ("end_char", pa.int32()), ("text", pa.string())]
)
ENTITIES = pa.schema(
    [("article_id", pa.string()), ("idx", pa.int32()), ("sentence_index", pa.int32()),
     ("start_char", pa.int32()), ("end_char", pa.int32()), ("text", pa.string()),
     ("label", pa.string()), ("actor_text", pa.string()), ("actor_name", pa.string()),
     ("code", pa.string()), ("country", pa.string()), ("agent", pa.string()),
     ("kind", pa.string())]
)
_ACTOR_FIELDS = ("text", "name", "code", "country", "agent", "kind")
EVENTS = pa.schema(
    [("id", pa.string()), ("article_id", pa.string()), ("sentence_index", pa.int32()),
     ("trigger_text", pa.string()), ("trigger_start", pa.int32()), ("trigger_end", pa.int32())]
    + [(f"{role}_{f}", pa.string()) for role in ("source", "target") for f in _ACTOR_FIELDS]
    + [("cameo", pa.string()), ("cameo_root", pa.string()), ("base_cameo", pa.string()),
       ("plover_type", pa.string()), ("plover_mode", pa.string()),
       ("plover_context", pa.string()), ("modality", pa.string()), ("quad_class", pa.int32()),
       ("goldstein", pa.float64()), ("confidence", pa.float64()), ("pattern_id", pa.string()),
       ("event_date", pa.string()), ("date_precision", pa.string()), ("location", pa.string()),
       ("avg_tone", pa.float64())]
)


def sentence_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    return [
        {"article_id": article.id, "idx": s.index, "start_char": s.start, "end_char": s.end,
         "text": s.text}
        for s in article.sentences
    ]


def entity_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for i, e in enumerate(article.entities):
        a = e.actor or Actor(e.text)
        rows.append(
            {"article_id": article.id, "idx": i, "sentence_index": e.sentence_index,
             "start_char": e.start, "end_char": e.end, "text": e.text, "label": e.label,
             "actor_text": a.text, "actor_name": a.name, "code": a.code, "country": a.country,
             "agent": a.agent, "kind": a.kind}
        )
    return rows


def _actor_columns(role: str, actor: Actor | None) -> dict[str, Any]:
    return {f"{role}_{f}": getattr(actor, f) if actor else None for f in _ACTOR_FIELDS}


def event_rows(article: Article, now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for ev in article.events:
        plover = ev.plover or {}
        date = ev.date or {}
        rows.append(
            {"id": ev.id, "article_id": article.id, "sentence_index": ev.sentence_index,
             "trigger_text": ev.trigger.text, "trigger_start": ev.trigger.start,
             "trigger_end": ev.trigger.end,
             **_actor_columns("source", ev.source), **_actor_columns("target", ev.target),
             "cameo": ev.cameo, "cameo_root": ev.cameo[:2],
             "base_cameo": plover.get("negated_cameo"),
             "plover_type": plover.get("type"), "plover_mode": plover.get("mode"),
             "plover_context": plover.get("context"), "modality": ev.modality,
             "quad_class": ev.quad_class, "goldstein": ev.goldstein,
             "confidence": ev.confidence, "pattern_id": ev.pattern_id,
             "event_date": date.get("value"), "date_precision": date.get("precision"),
             "location": json.dumps(ev.location) if ev.location else None,
             "avg_tone": ev.avg_tone}
        )
    return rows
