"""Treaty detection: catalogued names, names by form, years, coreference, organisations."""

from __future__ import annotations

from diurna.graph.treaties import find_treaties, slug, treaty_signed
from diurna.nlp.model import load_model


def found(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    doc = load_model()(text)
    return [(doc[m.start : m.end].text, m.actor.code, m.actor.name, m.year)
            for m in find_treaties(doc)]


def test_catalogued_name_with_a_year_before_it() -> None:
    assert found("They are parties to the 1994 Budapest Memorandum on Security Assurances.") == [
        ("1994 Budapest Memorandum on Security Assurances", "TREATY:budapest-memorandum-1994",
         "Budapest Memorandum on Security Assurances", "1994")]


def test_acronyms_and_short_forms_share_one_code() -> None:
    codes = {code for _, code, _, _ in found(
        "India never joined the NPT. The Non-Proliferation Treaty entered into force in 1970.")}
    assert codes == {"TREATY:non-proliferation-treaty-1968"}


def test_a_name_by_its_form_gets_a_slug_code() -> None:
    assert found("Both sides signed the Treaty of Eternal Friendship (1998) in Tashkent.") == [
        ("Treaty of Eternal Friendship", "TREATY:treaty-of-eternal-friendship-1998",
         "Treaty of Eternal Friendship", "1998")]


def test_a_definite_reference_takes_the_last_treaty() -> None:
    result = found("Kyrgyzstan signed the Bishkek Protocol on Water Sharing. The protocol was "
                   "ratified in May. The Agreement has not been published.")
    assert [code for _, code, _, _ in result] == ["TREATY:bishkek-protocol-on-water-sharing"] * 3


def test_an_unrelated_definite_head_without_antecedent_is_nothing() -> None:
    assert found("The agreement was welcomed by both capitals.") == []


def test_organisation_names_are_not_treaties() -> None:
    assert found("The Collective Security Treaty Organization and the North Atlantic Treaty "
                 "Organization held talks.") == []


def test_a_different_year_is_a_different_treaty() -> None:
    (_, code, _, year), = found("They recalled the 1973 Paris Agreement on Vietnam.")
    assert code == "TREATY:paris-agreement-on-vietnam-1973" and year == "1973"


def test_helpers() -> None:
    assert slug("Treaty on the Non-Proliferation of Nuclear Weapons") == (
        "treaty-on-the-non-proliferation-of-nuclear-weapons")
    assert treaty_signed("TREATY:budapest-memorandum-1994") == "1994-12-05"
    assert treaty_signed("TREATY:unknown") is None
