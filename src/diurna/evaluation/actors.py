"""Scoring actor resolution against ``eval/gold/actors.jsonl``.

A gold mention is matched by the system entity whose span overlaps it most. Country and agent are
scored separately: precision over system mentions that overlap some gold mention and carry a
country (or agent), recall over gold mentions that have one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diurna.article import Entity
from diurna.evaluation.gold import GoldSentence, repo_root, shared_dir


def gold_path() -> Path:
    return repo_root() / "eval" / "gold" / "actors.jsonl"


@dataclass
class _Counts:
    tp: int = 0
    n_sys: int = 0
    n_gold: int = 0

    def metrics(self, prefix: str) -> dict[str, float]:
        p = self.tp / self.n_sys if self.n_sys else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {f"{prefix}_precision": round(p, 4), f"{prefix}_recall": round(r, 4),
                f"{prefix}_f1": round(f, 4)}


def _shared_texts() -> dict[str, tuple[str, str | None]]:
    shared = shared_dir()
    texts: dict[str, tuple[str, str | None]] = {}
    if shared is None:
        return texts
    for name in ("plover_dev.jsonl", "upetr_dev.jsonl"):
        path = shared / "eval" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                r = json.loads(line)
                texts[r["id"]] = (r["text"], r.get("published"))
    return texts


def load_actor_gold(dev: bool = False) -> list[tuple[GoldSentence, list[dict[str, Any]]]]:
    """The project's own sentences, or (``dev``) the dev-set sentences referenced by id.

    They are kept apart so that the figures of the first do not change on a machine without
    ``../shared``, where the second cannot be read.
    """
    shared = _shared_texts() if dev else {}
    out = []
    for line in gold_path().open(encoding="utf-8"):
        if not line.strip():
            continue
        r = json.loads(line)
        if ("ref" in r) != dev:
            continue
        if dev:
            if r["ref"] not in shared:
                continue  # the shared dev sets are absent on this machine
            text, published = shared[r["ref"]]
        else:
            text, published = r["text"], r.get("published")
        out.append((GoldSentence(r["id"], text, published), r["mentions"]))
    return out


def _overlap(e: Entity, m: dict[str, Any]) -> int:
    return max(0, min(e.end, m["end"]) - max(e.start, m["start"]))


def evaluate_actors(model: str | None = None, *, dev: bool = False) -> Any:
    from diurna.evaluation.run import SetResult, run_pipeline

    gold = load_actor_gold(dev)
    if not gold:
        return None
    articles = run_pipeline([g for g, _ in gold], model)
    country, agent, code = _Counts(), _Counts(), _Counts()
    for (_, mentions), article in zip(gold, articles, strict=True):
        # Offsets: a one-sentence text is unchanged by cleaning except for whitespace and
        # quote normalisation, which keep lengths, so gold offsets apply to the cleaned text.
        entities = [e for e in article.entities if e.actor and e.actor.kind != "place"]
        for m in mentions:
            best = max(entities, key=lambda e: _overlap(e, m), default=None)
            hit = best if best is not None and _overlap(best, m) > 0 else None
            for counts, field in ((country, "country"), (agent, "agent"), (code, "code")):
                if m.get(field):
                    counts.n_gold += 1
                    if hit and hit.actor and getattr(hit.actor, field) == m[field]:
                        counts.tp += 1
        for e in entities:
            if any(_overlap(e, m) > 0 for m in mentions):
                for counts, field in ((country, "country"), (agent, "agent"), (code, "code")):
                    if e.actor and getattr(e.actor, field):
                        counts.n_sys += 1
    metrics = {**country.metrics("country"), **agent.metrics("agent"), **code.metrics("code")}
    return SetResult("actors_dev" if dev else "actors", len(gold), metrics)
