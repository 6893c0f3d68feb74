"""``diurna eval``: run the real pipeline on gold sets, score it, and gate on pinned floors.

The floors live in ``eval/baseline.json`` (``{"floors": {"<set>.<metric>": value}}``). A metric
below its floor fails the gate. Floors are raised as quality improves; lowering one needs a
written reason in the commit that does it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from diurna.article import Article
from diurna.evaluation.events import EventScores, score_sentence
from diurna.evaluation.gold import GoldSentence, available_sets, load_set, repo_root
from diurna.pipeline import Pipeline, analyse_pipeline, prepare_pipeline

BASELINE = "eval/baseline.json"


@dataclass
class SetResult:
    name: str
    sentences: int
    metrics: dict[str, float]
    errors: list[str] = field(default_factory=list)


def run_pipeline(sentences: Sequence[GoldSentence], model: str | None = None) -> list[Article]:
    """The same steps as ``diurna extract``, in batches."""
    pipeline = Pipeline([*prepare_pipeline().steps, *analyse_pipeline(model).steps])
    articles = [Article(id=s.id, raw=s.text, source=f"gold:{s.id}", published=s.published)
                for s in sentences]
    out: list[Article] = []
    for i in range(0, len(articles), 64):
        out.extend(pipeline.run_batch(articles[i : i + 64]))
    return out


def evaluate_events(name: str, path: Path, model: str | None = None) -> SetResult:
    gold = load_set(name, path)
    articles = run_pipeline(gold, model)
    scores = EventScores()
    errors = []
    for sentence, article in zip(gold, articles, strict=True):
        if article.status == "failed":
            errors.append(f"{sentence.id}: {article.status_reason}")
        events = [asdict(e) for e in article.events]
        score_sentence(scores, sentence, events)
    return SetResult(name, scores.sentences, scores.as_dict(), errors)


def evaluate(sets: Sequence[str] | None = None, model: str | None = None) -> list[SetResult]:
    found = available_sets()
    names = [n for n in (sets or list(found)) if n in found]
    results = [evaluate_events(n, found[n], model) for n in names]
    from diurna.evaluation.actors import evaluate_actors, gold_path

    for name, dev in (("actors", False), ("actors_dev", True)):
        if (sets is None or name in sets) and gold_path().exists():
            result = evaluate_actors(model, dev=dev)
            if result is not None:
                results.append(result)
    for name in FACT_SETS:
        present = (repo_root() / "eval" / "gold" / f"{name}.jsonl").exists()
        if (sets is None or name in sets) and present:
            results.append(evaluate_facts(name, model))
    return results


FACT_SETS = ("counts", "dates", "quotes", "places", "relations", "event_pairs")


def evaluate_facts(name: str, model: str | None = None) -> SetResult:
    """Counts, dates, quotes, places, relations and event clustering against the project's own
    gold (``eval/gold/``)."""
    from diurna.facts import scoring_counts_dates as cd
    from diurna.facts import scoring_quotes_places as qp
    from diurna.graph import scoring as graph

    path = repo_root() / "eval" / "gold" / f"{name}.jsonl"
    scores: dict[str, float]
    if name == "counts":
        scores = cd.score_counts(path, model)
    elif name == "dates":
        scores = cd.score_dates(path, model)
    elif name == "quotes":
        scores = qp.score_quotes(path)
    elif name == "relations":
        scores = graph.score_relations(path, model)
    elif name == "event_pairs":
        scores = graph.score_event_pairs(path)
    else:
        scores = qp.score_places(path)
    size = int(scores.get("records") or scores.get("gold_quotes") or scores.get("gold_places")
               or scores.get("items") or scores.get("pairs") or 0)
    metrics = {k: round(float(v), 4) for k, v in scores.items()
               if isinstance(v, float) and 0.0 <= v <= 1.0}
    return SetResult(name, size, metrics)


def load_floors(path: Path | None = None) -> dict[str, float]:
    path = path or repo_root() / BASELINE
    if not path.exists():
        return {}
    return {k: float(v) for k, v in json.loads(path.read_text("utf-8"))["floors"].items()}


def check_floors(results: Sequence[SetResult], floors: dict[str, float]) -> list[str]:
    """Messages for every metric below its floor (a set absent on this machine is skipped)."""
    present = {r.name: r for r in results}
    problems = []
    for key, floor in sorted(floors.items()):
        set_name, metric = key.split(".", 1)
        if set_name not in present:
            continue
        value = present[set_name].metrics.get(metric)
        if value is None:
            problems.append(f"{key}: metric missing (floor {floor})")
        elif value + 1e-9 < floor:
            problems.append(f"{key}: {value:.4f} is below the floor {floor:.4f}")
    return problems


def as_json(results: Sequence[SetResult]) -> dict[str, Any]:
    return {r.name: {"sentences": r.sentences, **r.metrics} for r in results}
