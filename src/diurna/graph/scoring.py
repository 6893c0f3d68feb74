"""Scoring the knowledge graph against the gold files in ``eval/gold``.

* :func:`score_relations` runs the real pipeline (analysis steps, then the relations step) over
  the sentences of ``relations.jsonl`` and scores asserted (subject_code, predicate, object_code)
  triples: precision, recall and F1 overall and per predicate. A treaty object matches by code or
  by name; symmetric predicates compare unordered pairs. Gold relations that are not asserted
  (negated, future, hypothetical) are not counted as triples: a system relation asserting them is
  a false positive, and ``modality`` reports how many of them the system found with the right
  modality.
* :func:`score_event_pairs` scores the clustering rule of :mod:`event_dedup` on hand-made pairs
  of event rows: precision and recall of "same event" decisions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from diurna.article import Article, Relation
from diurna.graph.context import words

Triple = tuple[str, str, str, str]  # subject, predicate, object code, object name (lower case)


def read_gold(path: str | Path) -> Iterator[dict[str, Any]]:
    for line in Path(path).read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if "_meta" not in record:
                yield record


def _pair(s: str, p: str, o: str) -> tuple[str, str]:
    return (min(s, o), max(s, o)) if p in words("symmetric") else (s, o)


def _matches(gold: dict[str, Any], sys: Triple) -> bool:
    s, o = _pair(gold["subject_code"], gold["predicate"], gold["object_code"])
    ss, so = _pair(sys[0], sys[1], sys[2])
    if gold["predicate"] != sys[1] or s != ss:
        return False
    if o == so:
        return True
    name = (gold.get("object_name") or "").casefold()
    return bool(name) and name == sys[3] and gold["subject_code"] == sys[0]


def _triples(relations: list[Relation], modality: str = "asserted") -> set[Triple]:
    return {(r.subject.code or "", r.predicate, r.object.code or "",
             (r.object.name or "").casefold())
            for r in relations if r.modality == modality}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp,
            "fp": fp, "fn": fn}


def analyse(items: list[dict[str, Any]], model: str | None = None) -> list[Article]:
    """The gold sentences through the analysis pipeline and the relations step."""
    from diurna.graph.relations import RelationStep
    from diurna.pipeline import Pipeline, analyse_pipeline

    pipeline = Pipeline([*analyse_pipeline(model).steps, RelationStep()])
    articles = [Article(id=item["id"], text=item["text"], published=item.get("published"))
                for item in items]
    return pipeline.run_batch(articles)


def score_relations(path: str | Path, model: str | None = None) -> dict[str, Any]:
    """Precision, recall and F1 of asserted relation triples on the gold file at ``path``."""
    items = list(read_gold(path))
    totals: Counter[str] = Counter()
    per: dict[str, Counter[str]] = {}
    errors: list[dict[str, Any]] = []
    modality_ok = modality_total = 0
    for item, article in zip(items, analyse(items, model), strict=True):
        gold = [g for g in item["relations"] if g.get("modality", "asserted") == "asserted"]
        system = _triples(article.relations)
        matched: set[Triple] = set()
        for g in gold:
            hit = next((t for t in system if _matches(g, t)), None)
            outcome = "tp" if hit else "fn"
            if hit:
                matched.add(hit)
            else:
                errors.append({"id": item["id"], "missed": g})
            totals[outcome] += 1
            per.setdefault(g["predicate"], Counter())[outcome] += 1
        for t in system - matched:
            if any(_matches(g, t) for g in gold):
                continue  # a second system form of a relation already matched
            totals["fp"] += 1
            per.setdefault(t[1], Counter())["fp"] += 1
            errors.append({"id": item["id"], "spurious": list(t[:3])})
        for g in item["relations"]:
            modality = g.get("modality", "asserted")
            if modality != "asserted":
                modality_total += 1
                modality_ok += any(_matches(g, t) for t in _triples(article.relations, modality))
    return {
        "items": len(items),
        "gold_relations": totals["tp"] + totals["fn"],
        **_prf(totals["tp"], totals["fp"], totals["fn"]),
        "per_predicate": {p: _prf(c["tp"], c["fp"], c["fn"]) for p, c in sorted(per.items())},
        "modality": {"correct": modality_ok, "total": modality_total},
        "errors": errors,
    }


def score_event_pairs(path: str | Path) -> dict[str, Any]:
    """Precision and recall of "same event" decisions of :func:`event_dedup.same_event`."""
    from diurna.graph.event_dedup import same_event

    tp = fp = fn = tn = 0
    errors = []
    for item in read_gold(path):
        decided = same_event(item["a"], item["b"])
        if decided and item["same"]:
            tp += 1
        elif decided:
            fp += 1
        elif item["same"]:
            fn += 1
        else:
            tn += 1
        if decided != item["same"]:
            errors.append({"id": item.get("id"), "note": item.get("note"), "gold": item["same"],
                           "decided": decided})
    scores = _prf(tp, fp, fn)
    return {"pairs": tp + fp + fn + tn, **scores, "tn": tn, "errors": errors}
