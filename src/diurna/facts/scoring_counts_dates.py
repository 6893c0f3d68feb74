"""Scores for the counts and dates steps on the project's gold sets.

- ``eval/gold/counts.jsonl``: ``{"id", "text", "published", "counts": [{"kind", "number",
  "approximate", "object"}]}``; scored on (kind, number) pairs, plus how often a matched pair has
  the right ``approximate`` flag and ``object``.
- ``eval/gold/dates.jsonl``: ``{"id", "text", "published", "dates": [{"anchor", "value",
  "precision"}]}``; ``anchor`` is the event trigger or count text the date belongs to (its first
  whole-word occurrence in ``text``). A date is right when both ``value`` and ``precision`` are.

Both run the real pipeline (:func:`diurna.evaluation.run.run_pipeline` once it contains the
counts and dates steps; until then the same prepare and analyse steps followed by the event,
counts and dates steps). If the actor step cannot run (its data missing), the text is parsed
with the plain spaCy model and scored without events.

``python -m diurna.facts.scoring_counts_dates`` prints both score sets as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from diurna.article import Article, Sentence
from diurna.evaluation.gold import GoldSentence, repo_root
from diurna.facts.counts import CountStep
from diurna.facts.dates import DateStep, published_date
from diurna.pipeline import Pipeline, Step, analyse_pipeline, prepare_pipeline

COUNTS_GOLD = "eval/gold/counts.jsonl"
DATES_GOLD = "eval/gold/dates.jsonl"


def read_gold(path: Path | str) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _nlp(model: str | None) -> Any:
    from diurna.nlp.model import load_model

    try:
        return load_model(model)
    except Exception:  # the actor ruler's data may be missing: parse without it
        return load_model(model, with_actors=False)


class _PlainNLP:
    """The NLP step without the actor ruler (when actor data is not available)."""

    name = "nlp"

    def __init__(self, model: str | None) -> None:
        self.model = model

    def __call__(self, article: Article) -> Article:
        article.doc = _nlp(self.model)(article.text)
        article.sentences = [Sentence(i, s.start_char, s.end_char, s.text)
                             for i, s in enumerate(article.doc.sents)]
        return article


def _run(steps: Sequence[Step], records: Sequence[dict[str, Any]]) -> list[Article]:
    pipeline = Pipeline(list(steps))
    articles = [Article(id=r["id"], raw=r["text"], source=f"gold:{r['id']}",
                        published=r.get("published")) for r in records]
    out: list[Article] = []
    for i in range(0, len(articles), 64):
        out.extend(pipeline.run_batch(articles[i : i + 64]))
    return out


def run_with_facts(records: Sequence[dict[str, Any]], model: str | None = None) -> list[Article]:
    """The pipeline's articles for gold records, with counts and dates."""
    analyse = analyse_pipeline(model)
    if {"counts", "dates"} <= set(analyse.names):
        from diurna.evaluation.run import run_pipeline

        gold = [GoldSentence(r["id"], r["text"], r.get("published")) for r in records]
        return run_pipeline(gold, model)
    steps: list[Step] = [*prepare_pipeline().steps, *analyse.steps]
    if "events" not in analyse.names:
        from diurna.events.step import EventStep

        steps.append(EventStep())
    articles = _run([*steps, CountStep(), DateStep()], records)
    if any(a.failed_step in ("nlp", "actors", "events") for a in articles):
        articles = _run([*prepare_pipeline().steps, _PlainNLP(model), CountStep(), DateStep()],
                        records)
    return articles


def _ratio(num: float, den: float) -> float:
    return round(num / den, 4) if den else 0.0


def _norm(obj: str | None) -> str | None:
    return obj.lower().strip() if obj else None


def score_counts(gold_path: Path | str | None = None, model: str | None = None) -> dict[str, float]:
    """Precision, recall and F1 on (kind, number); approximate and object accuracy of matches."""
    records = read_gold(gold_path or repo_root() / COUNTS_GOLD)
    articles = run_with_facts(records, model)
    tp = fp = fn = approx = objects = 0
    for record, article in zip(records, articles, strict=True):
        gold = list(record["counts"])
        for count in article.counts:
            match = next((g for g in gold if (g["kind"], g["number"]) ==
                          (count.kind, count.number)), None)
            if match is None:
                fp += 1
                continue
            gold.remove(match)
            tp += 1
            approx += match["approximate"] == count.approximate
            objects += _norm(match.get("object")) == _norm(count.object)
        fn += len(gold)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "records": len(records), "gold": tp + fn, "predicted": tp + fp,
        "precision": precision, "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "approximate_accuracy": _ratio(approx, tp), "object_accuracy": _ratio(objects, tp),
        "failed": sum(a.status == "failed" for a in articles),
    }


def _locate(text: str, anchor: str) -> tuple[int, int] | None:
    match = re.search(rf"(?<!\w){re.escape(anchor)}(?!\w)", text)
    return (match.start(), match.end()) if match else None


def _dated_at(article: Article, span: tuple[int, int]) -> dict[str, Any] | None:
    """The date of the pipeline's event or count at ``span``, if it found one there."""
    for event in article.events:
        if event.trigger.start < span[1] and span[0] < event.trigger.end and event.date:
            return event.date
    for count in article.counts:
        if count.start < span[1] and span[0] < count.end and count.date:
            return count.date
    return None


def score_dates(gold_path: Path | str | None = None, model: str | None = None) -> dict[str, float]:
    """Accuracy of value + precision for the anchors the pipeline dated (``accuracy``, over
    ``found``), and of the date resolver asked directly at every anchor (``resolver_accuracy``)."""
    records = read_gold(gold_path or repo_root() / DATES_GOLD)
    articles = run_with_facts(records, model)
    prepared = prepare_pipeline().run_batch(
        [Article(id=r["id"], raw=r["text"], published=r.get("published")) for r in records])
    nlp = _nlp(model)
    anchors = found = right = resolved = resolved_precision = 0
    for record, article, clean in zip(records, articles, prepared, strict=True):
        doc = nlp(clean.text)
        pub = published_date(record.get("published"))
        sentences = DateStep.sentences(doc, pub)
        for gold in record["dates"]:
            anchors += 1
            want = (gold["value"], gold["precision"])
            span = _locate(article.text, gold["anchor"])
            dated = _dated_at(article, span) if span else None
            if dated is not None:
                found += 1
                right += (dated["value"], dated["precision"]) == want
            span = _locate(clean.text, gold["anchor"])
            if span is None:
                continue
            token = doc.char_span(span[0], span[1], alignment_mode="expand")[0]
            index = next(i for i, s in enumerate(sentences) if token in s.span)
            got = DateStep.date_for(sentences, index, token, pub)
            resolved += (got["value"], got["precision"]) == want
            resolved_precision += got["precision"] == gold["precision"]
    return {
        "records": len(records), "anchors": anchors, "found": found,
        "coverage": _ratio(found, anchors), "accuracy": _ratio(right, found),
        "resolver_accuracy": _ratio(resolved, anchors),
        "resolver_precision_accuracy": _ratio(resolved_precision, anchors),
    }


def main() -> None:
    print(json.dumps({"counts": score_counts(), "dates": score_dates()}, indent=2))


if __name__ == "__main__":
    main()
