"""Place mentions, disambiguation and event locations on real parses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from diurna.actors.step import ActorStep
from diurna.article import Article, Count
from diurna.clean.boilerplate import clean_text
from diurna.events.step import EventStep
from diurna.facts.places import PlaceStep, article_places, find_mentions
from diurna.nlp.step import NLPStep
from diurna.store.rows_facts import COUNTS, PLACES, count_rows, place_rows
from diurna.store.schema import migrate

PLACE_KEYS = {"text", "start", "end", "sentence_index", "name", "country", "admin1", "lat", "lon",
              "geonameid", "precision", "confidence"}


def analyse(text: str, published: str = "2023-06-15", *, events: bool = False) -> Article:
    article = Article(id="t", text=text, published=published)
    steps = [NLPStep(), ActorStep(), *([EventStep()] if events else []), PlaceStep()]
    for step in steps:
        step(article)
    return article


def places(text: str, published: str = "2023-06-15") -> dict[str, dict]:
    article = analyse(text, published)
    for p in article.places:
        assert set(p) == PLACE_KEYS
        assert article.text[p["start"] : p["end"]] == p["text"]
        assert 0 <= p["confidence"] <= 1
    return {p["text"]: p for p in article.places}


# -- "City, State" and the article's countries ------------------------------------------------

def test_long_beach_ca_is_in_california() -> None:
    found = places("Police in Long Beach, CA arrested 14 people after a protest near the port.")
    p = found["Long Beach, CA"]
    assert (p["country"], p["admin1"], p["precision"]) == ("USA", "US-CA", "city")
    assert p["geonameid"] == 5367929


def test_dateline_with_ap_state_abbreviation() -> None:
    article = analyse("LONG BEACH, Calif. (AP) — Dockworkers walked out on Monday.")
    [p] = article.places
    assert p["name"] == "Long Beach" and p["admin1"] == "US-CA" and p["start"] == 0


def test_paris_texas_and_its_later_bare_mentions() -> None:
    found = places("Residents of Paris, Texas, gathered on Monday. Officials in Paris said the "
                   "vote in Texas would go ahead.")
    assert found["Paris, Texas"]["country"] == "USA"
    assert found["Paris"]["country"] == "USA" and found["Paris"]["admin1"] == "US-TX"


def test_bare_paris_in_an_article_about_france() -> None:
    found = places("France said protests in Paris turned violent, and police arrested 30 people.")
    assert found["Paris"]["country"] == "FRA" and found["France"]["precision"] == "country"


def test_georgia_follows_the_article() -> None:
    us = places("Georgia's governor signed the bill in Atlanta on Friday.")
    assert us["Georgia"]["admin1"] == "US-GA" and us["Atlanta"]["country"] == "USA"
    caucasus = places("Tbilisi said Georgia would not join the sanctions against Russia.")
    assert caucasus["Georgia"]["country"] == "GEO"


def test_a_large_capital_beats_a_namesake_town() -> None:
    found = places("The talks between Washington and Moscow ended without agreement.")
    assert found["Moscow"]["country"] == "RUS" and found["Washington"]["country"] == "USA"


def test_city_comma_country() -> None:
    found = places("Officials in Kharkiv, Ukraine, said a missile struck an apartment block.")
    assert found["Kharkiv, Ukraine"]["country"] == "UKR"


def test_names_ner_mislabels_are_found_by_context() -> None:
    found = places("Heavy shelling was reported in Donetsk and Horlivka overnight.")
    assert found["Horlivka"]["country"] == "UKR" and found["Donetsk"]["country"] == "UKR"
    assert places("Ukrainian forces recaptured Kherson in November.")["Kherson"]["country"] == "UKR"


def test_region_words_and_curated_regions() -> None:
    found = places("Fighting continued in the Luhansk region and in the Gaza Strip.")
    luhansk = next(p for t, p in found.items() if "Luhansk" in t)
    assert luhansk["precision"] == "region" and luhansk["admin1"] == "UA-09"
    gaza = next(p for t, p in found.items() if "Gaza" in t)
    assert (gaza["country"], gaza["precision"]) == ("PSE", "region")


def test_people_are_not_places() -> None:
    assert places("Jesse Jackson met reporters. Jackson said the march would continue.") == {}


def test_find_mentions_works_without_a_parse() -> None:
    article = analyse("Russia annexed Crimea in 2014.")
    article.doc = None
    names = [m.text for m in find_mentions(article)]
    assert names == ["Russia", "Crimea"]
    assert [p["country"] for p in article_places(article)] == ["RUS", "UKR"]


# -- locations of events and counts -----------------------------------------------------------

def test_event_location_is_the_place_in_its_clause() -> None:
    article = analyse("Russia deployed troops in Kazakhstan on Monday.", events=True)
    deployed = next(e for e in article.events if e.trigger.text.startswith("deploy"))
    assert deployed.location is not None
    assert deployed.location["country"] == "KAZ" and deployed.location["basis"] == "sentence"


def test_event_location_prefers_the_more_specific_place() -> None:
    article = analyse("Ukrainian police arrested two men in Kharkiv, Ukraine's second city.",
                      events=True)
    located = [e.location for e in article.events if e.location]
    assert located and located[0]["name"] == "Kharkiv" and located[0]["precision"] == "city"


def test_event_without_a_place_gets_the_dateline_or_main_country() -> None:
    text = ("ALMATY, Jan. 6 (Reuters) - Police detained dozens of people. Kazakhstan's president "
            "declared a state of emergency.")
    article = analyse(text, "2022-01-06", events=True)
    assert article.events and all(e.location for e in article.events)
    assert {e.location["basis"] for e in article.events if e.location} <= {"dateline", "sentence"}
    assert all(e.location["country"] == "KAZ" for e in article.events if e.location)


def test_existing_locations_are_kept_and_counts_are_located() -> None:
    text = "Police arrested 40 protesters in Almaty on Tuesday."
    article = Article(id="c", text=text, published="2022-01-05")
    NLPStep()(article)
    ActorStep()(article)
    start = text.index("40")
    article.counts = [Count("ARREST", 40, False, "protesters", "40 protesters", start,
                            start + 13, 0)]
    PlaceStep()(article)
    assert article.counts[0].location is not None
    assert article.counts[0].location["name"] == "Almaty"
    article.counts[0].location = {"name": "kept"}
    PlaceStep()(article)
    assert article.counts[0].location == {"name": "kept"}


def test_place_and_count_rows_fit_the_tables(tmp_path: Path) -> None:
    text = "Police arrested 40 protesters in Almaty on Tuesday."
    article = analyse(text, "2022-01-05")
    start = text.index("40")
    article.counts = [Count("ARREST", 40, False, "protesters", "40 protesters", start,
                            start + 13, 0, location=article.places[0])]
    now = dt.datetime(2026, 1, 1)
    con = duckdb.connect(str(tmp_path / "p.duckdb"))
    migrate(con)
    for name, schema, rows in (("places", PLACES, place_rows(article, now)),
                               ("counts", COUNTS, count_rows(article, now))):
        con.register("_batch", pa.Table.from_pylist(rows, schema=schema))
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _batch")
        con.unregister("_batch")
    assert con.execute("SELECT name, country, precision FROM places").fetchall() == [
        ("Almaty", "KAZ", "city")]
    assert con.execute("SELECT location->>'name' FROM counts").fetchall() == [("Almaty",)]


# -- the shared sample ------------------------------------------------------------------------

@pytest.mark.shared
def test_sample_article_places(shared_dir: Path) -> None:
    raw = (shared_dir / "samples" / "seed-kazakhstan-recognition.txt").read_text(encoding="utf-8")
    article = analyse(clean_text(raw).text, "2022-02-23", events=True)
    by_text = {p["text"]: p for p in article.places}
    assert by_text["Kazakhstan"]["country"] == "KAZ"
    assert (by_text["Crimea"]["country"], by_text["Crimea"]["precision"]) == ("UKR", "region")
    assert by_text["Donetsk"]["country"] == "UKR" and by_text["Donetsk"]["precision"] == "city"
    lugansk = by_text["Lugansk People's Republic"]
    assert (lugansk["name"], lugansk["country"]) == ("Luhansk Oblast", "UKR")
    annexation = next(e for e in article.events if e.trigger.text == "annexation")
    assert annexation.location is not None and annexation.location["name"] == "Crimea"
    assert all(e.location is not None for e in article.events)
