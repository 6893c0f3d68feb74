"""The whole pipeline (cleaning, model, actors, quotes, events, facts) on real text."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.article import Article, Event
from diurna.pipeline import Pipeline, analyse_pipeline, prepare_pipeline

G7 = ("CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA")


def run(text: str, published: str | None = "2022-02-22") -> Article:
    pipeline = Pipeline([*prepare_pipeline().steps, *analyse_pipeline().steps])
    article = pipeline(Article(id="t", raw=text, source="test", published=published))
    assert article.status == "ok", article.status_reason
    return article


def triples(events: list[Event]) -> set[tuple[str | None, str, str | None, str]]:
    return {
        (e.source.code if e.source else None, e.cameo, e.target.code if e.target else None,
         e.modality)
        for e in events
    }


def test_we_inside_a_quote_is_the_speakers_side() -> None:
    article = run(
        'Foreign Minister Sergei Lavrov said: "We demand that Ukraine withdraw its troops."'
    )
    sources = {e.source.code for e in article.events if e.source}
    assert "RUSGOV" in sources


def test_a_protest_noun_without_actor_takes_the_passage_country() -> None:
    article = run(
        "Belarus held a disputed election in August. The protests that followed lasted for weeks."
    )
    protests = [e for e in article.events if e.cameo.startswith("14")]
    assert protests, article.events
    assert {(e.source.code, e.target.code) for e in protests if e.source and e.target} == {
        ("BLRCVL", "BLRGOV")
    }


def test_no_country_in_sight_no_protest_event() -> None:
    article = run("The protests lasted for weeks.")
    assert not [e for e in article.events if e.cameo.startswith("14")]


@pytest.fixture(scope="module")
def sample(request: pytest.FixtureRequest) -> Article:
    shared: Path = request.getfixturevalue("shared_dir")
    raw = (shared / "samples" / "seed-kazakhstan-recognition.txt").read_text("utf-8")
    return run(raw, published=None)


@pytest.mark.shared
def test_sample_refusal_to_recognise_both_republics(sample: Article) -> None:
    refusals = [e for e in sample.events if e.plover.get("negated_cameo") == "054"]
    assert {e.target.code for e in refusals if e.target} == {"UKRDPR", "UKRLPR"}
    assert all(e.source and e.source.country == "KAZ" for e in refusals)
    assert all(e.modality == "negated" and e.cameo.startswith("12") for e in refusals)
    # Never an asserted recognition.
    assert not [e for e in sample.events if e.cameo == "054"]


@pytest.mark.shared
def test_sample_call_for_a_diplomatic_solution(sample: Article) -> None:
    calls = [e for e in sample.events if e.trigger.text == "call"]
    assert calls and all(e.cameo[:2] in ("02", "03") for e in calls)
    assert {e.source.code for e in calls if e.source} == {"KAZGOV"}


@pytest.mark.shared
def test_sample_protests_and_riots(sample: Article) -> None:
    found = {(e.trigger.text, e.cameo[:2]) for e in sample.events}
    assert ("protests", "14") in found and ("riots", "14") in found
    riots = next(e for e in sample.events if e.trigger.text == "riots")
    assert riots.source is not None and riots.source.code == "KAZCVL"
    assert riots.date is not None and riots.date["value"] == "2022-01"


@pytest.mark.shared
def test_sample_state_emergency_troops_request_promise_annexation(sample: Article) -> None:
    found = triples(sample.events)
    assert ("KAZGOV", "1724", None, "asserted") in found
    assert ("IGOCSTO", "074", "KAZ", "asserted") in found
    assert any(s == "KAZGOV" and c.startswith("02") for s, c, _, _ in found)  # the request
    assert any(s == "RUSGOV" and c.startswith("03") for s, c, _, _ in found)  # the promise
    assert any(s == "RUSGOV" and c[:2] in ("01", "11") for s, c, _, _ in found)  # the statement
    annexation = next(e for e in sample.events if e.trigger.text == "annexation")
    assert (annexation.source.code, annexation.target.code) == ("RUS", "UKRCRI")  # type: ignore[union-attr]
    assert annexation.date is not None and annexation.date["value"] == "2014"


@pytest.mark.shared
def test_sample_each_g7_member_accuses_russia(sample: Article) -> None:
    accusations = [e for e in sample.events if e.cameo.startswith("11")
                   and e.target is not None and e.target.code == "RUS"]
    assert sorted(e.source.code for e in accusations if e.source) == sorted(G7)


def test_coordinated_signatories_act_on_each_other() -> None:
    article = run("Ukraine and Moldova signed a memorandum on energy security on Thursday.")
    pairs = {(s, t) for s, c, t, _ in triples(article.events) if c == "057"}
    assert pairs == {("UKR", "MDA"), ("MDA", "UKR")}


def test_coordinated_critics_do_not_accuse_each_other() -> None:
    article = run("France, Germany and Italy condemned the violence on Monday.")
    assert all(e.target is None for e in article.events if e.cameo.startswith("11"))


def test_a_visit_targets_the_capital_travelled_to() -> None:
    article = run("Serbian President Aleksandar Vucic will travel to Beijing next week.")
    assert ("SRBGOV", "042", "CHN", "future") in triples(article.events)


def test_people_republics_written_in_lower_case() -> None:
    article = run("Kazakhstan will not recognise the Donetsk and Luhansk people's republics.")
    refusals = [e for e in article.events if e.plover.get("negated_cameo") == "054"]
    assert {e.target.code for e in refusals if e.target} == {"UKRDPR", "UKRLPR"}


def test_a_dateline_place_parsed_as_a_second_subject_does_not_hide_the_actor() -> None:
    article = run(
        "ALMATY, March 3, 2023 — Kazakhstan will not recognise the Donetsk People's Republic, "
        "the foreign minister said on Friday."
    )
    refusals = [e for e in article.events if e.plover.get("negated_cameo") == "054"]
    assert [(e.source.code, e.target.code) for e in refusals if e.source and e.target] == [
        ("KAZ", "UKRDPR")
    ]
