"""Actor resolution on the real model and dictionary, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.actors.resolve import resolve_entities
from diurna.article import Entity
from diurna.clean.boilerplate import clean_text
from diurna.nlp.model import load_model


def resolve(text: str, published: str | None = "2022-02-22") -> list[Entity]:
    return resolve_entities(load_model()(text), published)


def codes(text: str, published: str | None = "2022-02-22") -> dict[str, str | None]:
    return {e.text: e.actor.code if e.actor else None for e in resolve(text, published)}


def test_countries_short_forms_and_adjectives() -> None:
    found = codes("The U.K. and the U.S. warned Russia; Kyrgyz and Tajik officials met in Minsk.")
    assert found["U.K."] == "GBR"
    assert found["the U.S."] == "USA"
    assert found["Russia"] == "RUS"
    assert found["Kyrgyz"] == "KGZGOV"
    assert found["Tajik officials"] == "TJKGOV"


def test_role_phrases_take_their_country() -> None:
    found = codes("The Russian army shelled the town, and Kazakhstan's foreign minister protested.")
    assert found["Russian army"] == "RUSMIL"
    assert found["Kazakhstan's foreign minister"] == "KAZGOV"


def test_cabinet_of_a_country_and_a_council_named_after_it() -> None:
    found = codes(
        "The Cabinet of Ministers of Kazakhstan met before the Kazakhstan Security Council."
    )
    assert found["Cabinet of Ministers of Kazakhstan"] == "KAZGOV"
    assert found["Kazakhstan Security Council"] == "KAZGOV"


def test_leaders_resolve_by_the_office_held_on_the_date() -> None:
    assert codes("Putin spoke on Tuesday.", "2022-02-22")["Putin"] == "RUSGOV"
    # In 2010 Putin was prime minister: still the government.
    assert codes("Putin spoke on Tuesday.", "2010-06-01")["Putin"] == "RUSGOV"
    # A former leader maps to his country's elite, not its government.
    assert codes("Obama spoke on Tuesday.", "2022-02-22")["Obama"] == "USAELI"
    assert codes("Obama spoke on Tuesday.", "2012-02-22")["Obama"] == "USAGOV"


def test_surname_coreference_and_titles() -> None:
    entities = resolve(
        "Foreign Minister Arman Zhaksybek of Kazakhstan arrived on Monday. Zhaksybek met "
        "reporters."
    )
    by_text = {e.text: e.actor for e in entities}
    assert by_text["Arman Zhaksybek"] is not None and by_text["Arman Zhaksybek"].code == "KAZGOV"
    assert by_text["Zhaksybek"] is not None and by_text["Zhaksybek"].code == "KAZGOV"


def test_igos_breakaway_entities_and_regions() -> None:
    entities = {e.text: e.actor for e in resolve(
        "The CSTO and the United Nations discussed the Donetsk People's Republic, the Lugansk "
        "People's Republic and Crimea."
    )}
    csto = entities["CSTO"]
    assert csto is not None and csto.code == "IGOCSTO" and csto.kind == "igo"
    assert entities["the United Nations"].kind == "igo"  # type: ignore[union-attr]
    for name in ("Donetsk People's Republic", "Lugansk People's Republic"):
        actor = entities[name]
        assert actor is not None and actor.country == "UKR" and actor.kind != "state"
    crimea = entities["Crimea"]
    assert crimea is not None and crimea.country == "UKR" and crimea.kind == "region"


def test_seat_metonyms_and_capitals_as_actors_but_not_as_places() -> None:
    found = codes("The Kremlin said Moscow would respond, as talks opened in Astana.")
    assert found["Kremlin"] == "RUSGOV"
    assert found["Moscow"] == "RUSGOV"
    assert found["Astana"] is None  # a place here, not an actor


def test_named_institutions() -> None:
    found = codes("The Knesset and the Pentagon disagreed.")
    assert found["Knesset"] == "ISRLEG"
    assert found["the Pentagon"] == "USAMIL"


def test_plural_demonyms_are_civilians() -> None:
    assert codes("Soldiers detained 40 Palestinians near Jenin.")["Palestinians"] == "PSECVL"


def test_unresolved_names_keep_their_label_and_no_code() -> None:
    entities = resolve("Zorblatt Industries hired Quentin Varga.")
    unknown = [e for e in entities if e.actor and e.actor.code is None]
    assert {e.label for e in unknown} <= {"ORG", "PERSON", "GPE"}
    assert any(e.text == "Quentin Varga" for e in unknown)


def test_two_nationalities_on_one_noun_are_two_actors() -> None:
    found = codes("Indian and Chinese commanders held talks at the border.")
    assert found["Indian"] == "INDMIL"
    assert found["Chinese"] == "CHNMIL"


def test_offsets_point_into_the_text() -> None:
    text = "President Kassym-Jomart Tokayev thanked the CSTO."
    for e in resolve(text):
        assert text[e.start : e.end] == e.text


@pytest.mark.shared
def test_shared_sample_actors(shared_dir: Path) -> None:
    raw = (shared_dir / "samples" / "seed-kazakhstan-recognition.txt").read_text("utf-8")
    entities = resolve(clean_text(raw).text)
    by_text: dict[str, set[str | None]] = {}
    for e in entities:
        by_text.setdefault(e.text, set()).add(e.actor.code if e.actor else None)
    for person in ("Tileuberdi", "Tokayev", "Kassym-Jomart Tokayev"):
        assert by_text[person] == {"KAZGOV"}, person
    assert by_text["Putin"] == {"RUSGOV"}
    for body in ("Cabinet of Ministers of Kazakhstan", "Kazakhstan Security Council",
                 "Mamin Cabinet"):
        assert by_text[body] == {"KAZGOV"}, body
    expected = {"Russia": "RUS", "Armenia": "ARM", "Belarus": "BLR", "Kyrgyzstan": "KGZ",
                "Tajikistan": "TJK", "Kazakhstan": "KAZ", "the United States": "USA",
                "the U.S.": "USA", "the United Kingdom": "GBR", "the U.K.": "GBR",
                "Ukraine": "UKR", "Canada": "CAN", "France": "FRA", "Germany": "DEU",
                "Italy": "ITA", "Japan": "JPN"}
    for name, code in expected.items():
        assert by_text[name] == {code}, name
    kinds = {e.text: e.actor.kind for e in entities if e.actor}
    assert kinds["Collective Security Treaty Organization"] == "igo"
    assert kinds["the United Nations"] == "igo"
    for name in ("Donetsk People's Republic", "Lugansk People's Republic"):
        assert kinds[name] != "state"
        assert by_text[name] <= {"UKRDPR", "UKRLPR"}
    crimea = next(e.actor for e in entities if e.text == "Crimea")
    assert crimea is not None and crimea.country == "UKR" and crimea.kind == "region"
