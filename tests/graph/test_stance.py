"""The recognition table built from relation rows."""

from __future__ import annotations

from typing import Any

from diurna.graph.stance import stance_rows


def row(article: str, published: str, subject: str, predicate: str, *, country: str | None = None,
        modality: str = "asserted", sentence: int = 0, obj: str = "UKRDPR") -> dict[str, Any]:
    return {"article_id": article, "published": published, "sentence_index": sentence,
            "subject_code": subject, "subject_name": subject, "subject_text": subject,
            "subject_country": country or subject[:3], "subject_kind": "state",
            "predicate": predicate, "object_code": obj,
            "object_name": "Donetsk People's Republic", "modality": modality,
            "evidence_text": f"{subject} {predicate} in {article}"}


def test_one_row_per_state_with_the_latest_evidence() -> None:
    rows = stance_rows([
        row("a1", "2022-02-22", "KAZ", "does_not_recognize"),
        row("a2", "2022-02-25", "KAZGOV", "does_not_recognize", country="KAZ"),
        row("a3", "2022-02-21", "RUS", "recognizes"),
    ])
    by_state = {r["state"]: r for r in rows}
    assert set(by_state) == {"KAZ", "RUS"}
    kaz = by_state["KAZ"]
    assert (kaz["stance"], kaz["num_articles"], kaz["conflicting"]) == (
        "does_not_recognize", 2, False)
    assert (kaz["latest_article"], kaz["latest_date"]) == ("a2", "2022-02-25")
    assert kaz["state_name"] == "Kazakhstan"
    assert by_state["RUS"]["stance"] == "recognizes"


def test_conflicting_statements_are_flagged_and_the_latest_wins() -> None:
    rows = stance_rows([
        row("a1", "2022-01-10", "BLR", "does_not_recognize"),
        row("a2", "2022-03-01", "BLR", "recognizes"),
    ])
    assert len(rows) == 1
    assert (rows[0]["stance"], rows[0]["num_articles"], rows[0]["num_against"],
            rows[0]["conflicting"]) == ("recognizes", 1, 1, True)


def test_possible_recognitions_are_pending_not_stances() -> None:
    rows = stance_rows([row("a1", "2022-01-10", "VEN", "recognizes", modality="hypothetical")])
    assert [(r["stance"], r["pending"], r["num_articles"]) for r in rows] == [("pending", 1, 0)]


def test_other_predicates_are_ignored() -> None:
    assert stance_rows([row("a1", "2022-01-10", "RUS", "annexed")]) == []
