"""The event scorer follows the matching rules of the shared evaluation README."""

from __future__ import annotations

from diurna.evaluation.events import EventScores, score_sentence
from diurna.evaluation.gold import GoldEvent, GoldSentence


def gold_event(root: str | None, code: str | None, src: set[str | None], tgt: set[str | None],
               plover: str | None = None, **kw: object) -> GoldEvent:
    return GoldEvent(root, code, frozenset(src), frozenset(tgt), plover, **kw)  # type: ignore[arg-type]


def system_event(cameo: str, src: str | None, tgt: str | None, plover: str | None = None,
                 modality: str = "asserted") -> dict[str, object]:
    return {"cameo": cameo, "source": {"country": src} if src else None,
            "target": {"country": tgt} if tgt else None, "plover": {"type": plover},
            "modality": modality}


def test_exact_match_scores_one_everywhere() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [gold_event("05", "054", {"KAZ"}, {"UKR"}, "SUPPORT")])
    score_sentence(scores, gold, [system_event("054", "KAZ", "UKR", "SUPPORT")])
    for kind in ("detection", "root", "code", "source", "target", "triple", "plover"):
        assert scores.kinds[kind].precision == 1.0, kind
        assert scores.kinds[kind].recall == 1.0, kind


def test_wrong_target_counts_against_target_and_triple_only() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [gold_event("19", "190", {"RUS"}, {"UKR"})])
    score_sentence(scores, gold, [system_event("190", "RUS", "GEO")])
    assert scores.kinds["root"].f1 == 1.0
    assert scores.kinds["source"].f1 == 1.0
    assert scores.kinds["target"].precision == 0.0
    assert scores.kinds["triple"].recall == 0.0


def test_duplicate_system_keys_are_counted_once() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [gold_event("14", "145", {"KAZ"}, {"KAZ"})])
    score_sentence(scores, gold, [system_event("145", "KAZ", "KAZ")] * 3)
    assert scores.kinds["triple"].n_p == 1
    assert scores.kinds["triple"].precision == 1.0


def test_compound_gold_accepts_any_listed_country_and_reciprocal_no_target() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [
        gold_event("03", "030", {"HUN", "ROU"}, {None}, reciprocal=True)])
    system = [system_event("030", "ROU", None), system_event("030", "HUN", "ROU")]
    score_sentence(scores, gold, system)
    assert scores.kinds["triple"].precision == 1.0
    assert scores.kinds["triple"].recall == 1.0


def test_sentences_without_roots_are_left_out_of_root_scoring() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [gold_event(None, None, {"LBY"}, {"GBR"}, "AGREE")])
    score_sentence(scores, gold, [system_event("030", "LBY", "GBR", "AGREE")])
    assert scores.kinds["root"].n_r == 0 and scores.kinds["code"].n_r == 0
    assert scores.kinds["source"].recall == 1.0
    assert scores.kinds["plover"].recall == 1.0


def test_noevent_sentence_counts_false_alarms_and_precision() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [], noevents=True)
    score_sentence(scores, gold, [system_event("010", "USA", None)])
    assert scores.noevent_sentences == 1 and scores.noevent_with_events == 1
    assert scores.kinds["detection"].precision == 0.0
    assert scores.as_dict()["noevent_false_alarm_rate"] == 1.0


def test_discarded_sentences_are_not_scored() -> None:
    scores = EventScores()
    score_sentence(scores, GoldSentence("s1", "x", None, [], discard=True),
                   [system_event("190", "RWA", None)])
    assert scores.sentences == 0 and scores.kinds["detection"].n_p == 0


def test_modality_is_scored_on_matched_events() -> None:
    scores = EventScores()
    gold = GoldSentence("s1", "x", None, [
        gold_event("12", "120", {"KAZ"}, {"UKR"}, modality="negated"),
        gold_event("04", "040", {"USA"}, {"RUS"}, modality="future")])
    score_sentence(scores, gold, [system_event("120", "KAZ", "UKR", modality="negated"),
                                  system_event("040", "USA", "RUS", modality="asserted")])
    assert scores.modality_total == 2
    assert scores.modality_accuracy == 0.5
