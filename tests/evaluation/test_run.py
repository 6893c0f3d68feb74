"""The quality gate: floors, gold loading, and a real run on a small gold file."""

from __future__ import annotations

import json
from pathlib import Path

from diurna.evaluation.gold import load_flat
from diurna.evaluation.run import SetResult, check_floors, evaluate_events, load_floors
from diurna.events.ontology import rejection_code


def test_floors_pass_fail_and_skip_absent_sets(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"floors": {
        "gold.root_f1": 0.5, "gold.triple_f1": 0.4, "upetr.root_f1": 0.3}}))
    floors = load_floors(baseline)
    results = [SetResult("gold", 10, {"root_f1": 0.6, "triple_f1": 0.39})]
    problems = check_floors(results, floors)
    assert problems == ["gold.triple_f1: 0.3900 is below the floor 0.4000"]  # upetr: absent


def test_a_missing_metric_fails_the_gate() -> None:
    assert check_floors([SetResult("gold", 1, {})], {"gold.root_f1": 0.1}) == [
        "gold.root_f1: metric missing (floor 0.1)"
    ]


def test_the_checked_in_baseline_names_real_sets_and_metrics() -> None:
    floors = load_floors()
    assert floors, "eval/baseline.json must pin floors"
    for key, value in floors.items():
        name, metric = key.split(".", 1)
        assert name in {"gold", "plover", "upetr", "actors", "actors_dev", "counts", "dates",
                        "quotes", "places", "relations", "event_pairs"}
        assert 0.0 < value <= 1.0, key
        assert metric.endswith(("f1", "precision", "recall", "accuracy", "coverage"))


def test_negated_gold_events_are_scored_under_their_rejection_code(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    event = {"cameo": "054", "source_country": "KAZ", "target_country": "UKR",
             "modality": "negated"}
    gold.write_text(json.dumps({"id": "n1", "text": "x", "events": [event]}) + "\n")
    [sentence] = load_flat(gold)
    expected = rejection_code("054")
    assert expected is not None and expected.startswith("12")
    assert sentence.events[0].code == expected and sentence.events[0].root == "12"
    assert sentence.events[0].modality == "negated"


def test_a_real_run_scores_the_pipeline_on_a_small_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    lines = [
        {"id": "r1", "text": "Police arrested dozens of protesters in Minsk on Monday.",
         "published": "2023-05-02", "events": [{"cameo": "173", "source_country": "BLR",
                                                 "target_country": "BLR",
                                                 "modality": "asserted"}]},
        {"id": "r2", "text": "The weather in Lisbon was sunny and warm all week.",
         "published": "2023-05-02", "noevents": True, "events": []},
    ]
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = evaluate_events("gold", gold)
    assert result.sentences == 2 and not result.errors
    assert result.metrics["root_recall"] == 1.0
    assert result.metrics["noevent_false_alarm_rate"] == 0.0
