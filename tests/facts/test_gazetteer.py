"""The offline gazetteer: name index, curated regions, qualifiers and candidate choice."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from diurna.facts.gazetteer import Gazetteer, choose, load_gazetteer, normalise, within


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return load_gazetteer()


def names(g: Gazetteer, name: str) -> set[tuple[str | None, str]]:
    return {(c.place.country, c.place.precision) for c in g.lookup(name)}


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("the Gaza Strip") == "gaza strip"
    assert normalise("Québec") == "quebec"
    assert normalise("U.K.") == normalise("u k")
    assert normalise("Nagorno-Karabakh") == "nagorno karabakh"


def test_cities_come_from_geonames(g: Gazetteer) -> None:
    beaches = [c.place for c in g.lookup("Long Beach")]
    assert beaches and all(p.country == "USA" for p in beaches)
    ca = next(p for p in beaches if p.admin1 == "US-CA")
    assert ca.geonameid == 5367929 and ca.population > 400_000
    assert abs(ca.lat - 33.77) < 0.1 and abs(ca.lon + 118.19) < 0.1


def test_alternate_names_are_indexed_as_such(g: Gazetteer) -> None:
    [kiev] = g.lookup("Kiev")
    assert kiev.place.name == "Kyiv" and kiev.place.country == "UKR" and not kiev.primary
    assert any(c.place.name == "Luhansk" for c in g.lookup("Lugansk"))


def test_short_country_forms_match_case_sensitively(g: Gazetteer) -> None:
    assert names(g, "US") == {("USA", "country")}
    assert names(g, "the U.S.") == {("USA", "country")}
    assert g.lookup("us") == []


def test_countries_have_a_point_inside_them(g: Gazetteer) -> None:
    kaz = g.country("KAZ")
    assert kaz is not None and 40 < (kaz.lat or 0) < 55 and 46 < (kaz.lon or 0) < 87
    fiji = g.country("FJI")  # straddles the antimeridian
    assert fiji is not None and abs(abs(fiji.lon or 0) - 178) < 3
    assert g.country("XKX") is not None and names(g, "Kosovo") >= {("XKX", "country")}


def test_subdivisions_and_us_states(g: Gazetteer) -> None:
    assert ("USA", "admin1") in names(g, "Texas")
    assert ("PAK", "admin1") in names(g, "Sindh")
    assert ("CHN", "admin1") not in names(g, "Taiwan")  # "Taiwan Sheng" is not "Taiwan"


def test_curated_regions(g: Gazetteer) -> None:
    [crimea] = g.lookup("Crimea")
    assert (crimea.place.country, crimea.place.admin1, crimea.place.precision) == (
        "UKR", "UA-43", "region")
    assert "RUS" in crimea.place.related
    luhansk = g.for_actor("UKRLPR")
    assert luhansk is not None and luhansk.name == "Luhansk Oblast" and luhansk.admin1 == "UA-09"
    donetsk = next(c.place for c in g.lookup("Donetsk") if c.place.country == "UKR")
    assert donetsk.precision == "city" and donetsk.geonameid == 709717 and "RUS" in donetsk.related
    for name in ("Gaza Strip", "West Bank", "Kashmir", "Darfur", "Tigray", "Nagorno-Karabakh",
                 "Golan Heights", "Kurdistan Region", "Xinjiang", "Tibet", "Sahel", "Balochistan",
                 "Idlib province", "Kherson Oblast", "Zaporizhzhia", "Kharkiv", "Transnistria",
                 "Abkhazia", "South Ossetia", "Western Sahara", "Donbas"):
        assert g.lookup(name), name


def test_curated_file_is_well_formed() -> None:
    text = resources.files("diurna.facts").joinpath("data", "places_regions.jsonl").read_text()
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert "_meta" in rows[0]
    actors = resources.files("diurna.actors").joinpath("data", "regions.jsonl").read_text()
    region_codes = {json.loads(line).get("code") for line in actors.splitlines() if line.strip()}
    isos = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    for r in rows[1:]:
        assert r["precision"] in ("region", "city", "admin1", "country"), r
        assert r["country"] is None or r["country"] in isos, r
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180, r
        assert set(r.get("actor_codes", [])) <= region_codes, r
        assert set(r.get("related", [])) <= isos, r


def test_qualifiers(g: Gazetteer) -> None:
    assert g.qualifier("CA") == ("USA", "US-CA")
    assert g.qualifier("Calif.") == ("USA", "US-CA")
    assert g.qualifier("Texas") == ("USA", "US-TX")
    assert g.qualifier("Ukraine") == ("UKR", None)
    assert g.qualifier("Nowhere Land") is None


def test_within_keeps_candidates_inside_the_qualifier(g: Gazetteer) -> None:
    [ca] = within(g.lookup("Long Beach"), ("USA", "US-CA"))
    assert ca.place.admin1 == "US-CA"
    # GeoNames admin1 codes outside the US are not ISO: only the country is compared.
    assert {c.place.country for c in within(g.lookup("Victoria"), ("CAN", "CA-BC"))} == {"CAN"}
    assert within(g.lookup("France"), ("FRA", None)) == []  # a country is not "in" itself


def test_choose_prefers_the_article_countries(g: Gazetteer) -> None:
    paris = g.lookup("Paris")
    best, _ = choose(paris, Counter({"USA": 2.0}))  # type: ignore[misc]
    assert best.country == "USA"
    best, _ = choose(paris, Counter({"FRA": 1.0}))  # type: ignore[misc]
    assert best.country == "FRA"
    best, _ = choose(paris, Counter())  # type: ignore[misc]
    assert best.country == "FRA"  # no context: the largest


def test_choose_country_names(g: Gazetteer) -> None:
    georgia = g.lookup("Georgia")
    assert choose(georgia, Counter({"USA": 1.0}))[0].admin1 == "US-GA"  # type: ignore[index]
    assert choose(georgia, Counter({"RUS": 1.0}))[0].country == "GEO"  # type: ignore[index]
    lebanon = g.lookup("Lebanon")  # small US towns do not take a country's name
    assert choose(lebanon, Counter({"USA": 3.0}))[0].country == "LBN"  # type: ignore[index]


def test_choose_gives_a_confidence(g: Gazetteer) -> None:
    chosen = choose(g.lookup("Crimea"), Counter())
    assert chosen is not None and 0 < chosen[1] <= 1
    assert choose([], Counter()) is None


def test_a_cached_gazetteer_is_the_built_one(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from diurna.facts import gazetteer as module

    monkeypatch.setenv("DIURNA_CACHE_DIR", str(tmp_path))
    built = module.build_gazetteer()
    module.load_gazetteer.cache_clear()
    try:
        first = module.load_gazetteer()  # builds and writes the cache
        module.load_gazetteer.cache_clear()
        again = module.load_gazetteer()  # reads it
    finally:
        module.load_gazetteer.cache_clear()
    assert len(list(tmp_path.glob("gazetteer-*.pickle"))) == 1
    assert again is not first
    for index in ("primary", "alternate", "exact_case", "by_country", "by_actor", "us_states",
                  "demonyms"):
        assert getattr(again, index) == getattr(built, index), index
    for name in ("Kyiv", "Georgia", "the US", "Donetsk", "Springfield", "Kharkiv Oblast"):
        assert again.lookup(name) == built.lookup(name), name
    assert again.lookup("Kyiv")[0].place.country == "UKR"


def test_the_gazetteer_cache_key_follows_its_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    from diurna.facts import gazetteer as module

    first = module.gazetteer_fingerprint(15000)
    assert module.gazetteer_fingerprint(15000) == first
    assert module.gazetteer_fingerprint(5000) != first
    monkeypatch.setattr(module, "_CACHE_FORMAT", module._CACHE_FORMAT + 1)
    assert module.gazetteer_fingerprint(15000) != first
