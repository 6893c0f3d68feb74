"""The relation gold file and its score with the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.graph import PREDICATES
from diurna.graph.scoring import read_gold, score_relations

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "relations.jsonl"


def test_gold_file_is_well_formed() -> None:
    items = list(read_gold(GOLD))
    assert len({i["id"] for i in items}) == len(items)
    relations = [r for i in items for r in i["relations"]]
    assert len(relations) >= 60
    for r in relations:
        assert r["predicate"] in PREDICATES
        assert r.get("modality", "asserted") in ("asserted", "negated", "future", "hypothetical")
        assert r["subject_code"] and r["object_code"]
    assert {r["predicate"] for r in relations} == set(PREDICATES)


@pytest.mark.e2e
def test_relation_scores_hold_their_floor() -> None:
    scores = score_relations(GOLD)
    # Floors below the measured figures (docs/knowledge-graph.md), to catch regressions.
    assert scores["precision"] >= 0.95, scores["errors"]
    assert scores["recall"] >= 0.95, scores["errors"]
    assert scores["modality"]["correct"] == scores["modality"]["total"]
