"""The relations step on sentences written for these tests, through the real pipeline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from diurna.article import Article, Relation

Analyse = Callable[..., Article]

Triple = tuple[str | None, str, str | None]


def triples(relations: list[Relation], modality: str | None = "asserted") -> set[Triple]:
    return {(r.subject.code, r.predicate, r.object.code) for r in relations
            if modality is None or r.modality == modality}


def only(relations: list[Relation], predicate: str) -> list[Relation]:
    return [r for r in relations if r.predicate == predicate]


# -- member_of --------------------------------------------------------------------------------

def test_members_listed_in_an_apposition(analyse: Analyse) -> None:
    article = analyse("The Organization of Turkic States, a grouping of Turkey, Azerbaijan, "
                      "Kazakhstan, Kyrgyzstan and Uzbekistan, met in Samarkand.")
    assert triples(article.relations) == {
        (c, "member_of", "IGOOTS") for c in ("TUR", "AZE", "KAZ", "KGZ", "UZB")}


def test_a_member_of_and_members_of(analyse: Analyse) -> None:
    a = analyse("Lithuania, a member of NATO, expelled two diplomats.")
    assert triples(a.relations) == {("LTU", "member_of", "IGONATO")}
    b = analyse("Brazil and India are members of BRICS.")
    assert triples(b.relations) == {("BRA", "member_of", "IGOBRICS"),
                                    ("IND", "member_of", "IGOBRICS")}


def test_organisation_members_named_after_the_noun(analyse: Analyse) -> None:
    article = analyse("EU members Hungary and Slovakia opposed the plan.")
    assert triples(article.relations) == {("HUN", "member_of", "IGOEU"),
                                          ("SVK", "member_of", "IGOEU")}


def test_joining_and_leaving_are_dated(analyse: Analyse) -> None:
    joined = only(analyse("Montenegro joined NATO in June 2017.").relations, "member_of")
    assert [(r.subject.code, r.object.code, r.valid_from, r.valid_to) for r in joined] == [
        ("MNE", "IGONATO", "2017-06", None)]
    left = only(analyse("Georgia quit the CIS in 2009.").relations, "member_of")
    assert [(r.subject.code, r.object.code, r.valid_from, r.valid_to) for r in left] == [
        ("GEO", "IGOCIS", None, "2009")]


def test_negated_and_wished_membership(analyse: Analyse) -> None:
    negated = only(analyse("Serbia is not a member of the European Union.").relations,
                   "member_of")
    assert [(r.subject.code, r.modality) for r in negated] == [("SRB", "negated")]
    wished = only(analyse("Moldova wants to join the European Union.").relations, "member_of")
    assert [r.modality for r in wished] == ["hypothetical"]


def test_an_organisation_that_includes_its_members(analyse: Analyse) -> None:
    article = analyse("The Eurasian Economic Union includes Russia, Belarus and Armenia.")
    assert triples(article.relations) == {
        (c, "member_of", "IGOEAEU") for c in ("RUS", "BLR", "ARM")}


def test_membership_is_never_taken_from_the_dictionary(analyse: Analyse) -> None:
    article = analyse("The CSTO held exercises near the Afghan border.")
    assert not only(article.relations, "member_of")


# -- treaties ---------------------------------------------------------------------------------

def test_signed_treaty_with_a_date(analyse: Analyse) -> None:
    article = analyse("Russia and China signed the Treaty of Good-Neighbourliness in July 2001.")
    signed = only(article.relations, "signatory_of")
    assert {r.subject.code for r in signed} == {"RUS", "CHN"}
    assert {r.object.kind for r in signed} == {"treaty"}
    assert {r.valid_from for r in signed} == {"2001-07"}
    assert {r.object.code for r in signed} == {"TREATY:treaty-of-good-neighbourliness"}


def test_passive_signing_and_a_party_to(analyse: Analyse) -> None:
    a = analyse("The Oslo Accords were signed by Israel and the Palestine Liberation "
                "Organization in 1993.")
    assert ("ISR", "signatory_of", "TREATY:oslo-accords-1993") in triples(a.relations)
    b = analyse("Kazakhstan is a party to the Chemical Weapons Convention.")
    assert triples(b.relations) == {
        ("KAZ", "signatory_of", "TREATY:chemical-weapons-convention-1993")}


def test_not_signed_is_negated(analyse: Analyse) -> None:
    article = analyse("Pakistan has never signed the Comprehensive Nuclear-Test-Ban Treaty.")
    signed = only(article.relations, "signatory_of")
    assert [(r.subject.code, r.modality) for r in signed] == [("PAK", "negated")]


def test_beneficiaries_of_a_treaty(analyse: Analyse) -> None:
    article = analyse("The 1994 Budapest Memorandum offered security assurances to Ukraine.")
    benefit = only(article.relations, "beneficiary_of")
    assert [(r.subject.code, r.object.code, r.valid_from) for r in benefit] == [
        ("UKR", "TREATY:budapest-memorandum-1994", "1994")]


# -- holds_office -----------------------------------------------------------------------------

def test_office_from_a_title_before_the_name(analyse: Analyse) -> None:
    article = analyse("Chinese Foreign Minister Wang Yi arrived in Astana.", published="2024-05-20")
    offices = only(article.relations, "holds_office")
    assert [(r.subject.name, r.object.name, r.object.code, r.object.kind) for r in offices] == [
        ("Wang Yi", "Foreign Minister of China", "CHN", "office")]
    assert offices[0].valid_from == "2023-07-25"


def test_office_from_an_apposition(analyse: Analyse) -> None:
    article = analyse("Sergei Shoigu, Russia's defence minister, inspected the troops.",
                      published="2022-03-01")
    offices = only(article.relations, "holds_office")
    assert [(r.subject.name, r.object.code, r.object.text) for r in offices] == [
        ("Sergei Shoigu", "RUS", "defence minister")]
    assert (offices[0].valid_from, offices[0].valid_to) == ("2012-11-06", "2024-05-12")


def test_office_from_a_copula_with_the_text_date(analyse: Analyse) -> None:
    article = analyse("Mikhail Mishustin became prime minister of Russia in January 2020.",
                      published="2021-01-10")
    offices = only(article.relations, "holds_office")
    assert [(r.object.name, r.valid_from) for r in offices] == [
        ("Prime Minister of Russia", "2020-01")]


def test_a_former_office_takes_the_past_dates(analyse: Analyse) -> None:
    article = analyse("Former Chancellor Angela Merkel visited Kyiv.", published="2024-02-01")
    offices = only(article.relations, "holds_office")
    assert [(r.object.name, r.valid_from, r.valid_to) for r in offices] == [
        ("Chancellor of Germany", "2005-11-22", "2021-12-08")]


def test_an_organisation_office(analyse: Analyse) -> None:
    article = analyse("NATO Secretary General Jens Stoltenberg visited Ankara.",
                      published="2022-06-01")
    offices = only(article.relations, "holds_office")
    assert [(r.object.code, r.object.country) for r in offices] == [("IGONATO", None)]


# -- recognition --------------------------------------------------------------------------------

def test_recognition_with_its_date(analyse: Analyse) -> None:
    article = analyse("Nicaragua recognised Abkhazia in September 2008.")
    assert [(r.subject.code, r.predicate, r.object.code, r.valid_from)
            for r in article.relations] == [("NIC", "recognizes", "GEOABK", "2008-09")]


def test_refusals_never_become_recognitions(analyse: Analyse) -> None:
    for text in ("Spain does not recognise Kosovo.",
                 "Spain refuses to recognize Kosovo.",
                 "Spain will never recognise Kosovo.",
                 "There is no recognition of Kosovo by Spain."):
        relations = analyse(text).relations
        assert triples(relations, None) == {("ESP", "does_not_recognize", "XKX")}, text
        assert only(relations, "does_not_recognize")[0].modality == "asserted"


def test_possible_recognition_keeps_its_modality(analyse: Analyse) -> None:
    article = analyse("Venezuela may recognise South Ossetia.")
    assert [(r.predicate, r.modality) for r in article.relations] == [
        ("recognizes", "hypothetical")]


def test_recognising_through_a_relative_clause(analyse: Analyse) -> None:
    article = analyse("Turkey remains the only country that recognizes Northern Cyprus.")
    assert triples(article.relations) == {("TUR", "recognizes", "CYPNCY")}


# -- territory, sanctions, war, alliances -----------------------------------------------------

def test_annexation_and_occupation(analyse: Analyse) -> None:
    a = analyse("Russia annexed the Donetsk People's Republic in September 2022.")
    assert [(r.subject.code, r.predicate, r.object.code, r.valid_from)
            for r in a.relations] == [("RUS", "annexed", "UKRDPR", "2022-09")]
    b = analyse("Israel has occupied East Jerusalem since 1967.")
    assert [(r.predicate, r.object.code, r.valid_from) for r in b.relations] == [
        ("occupies", "PSEEJR", "1967")]


def test_sanctions(analyse: Analyse) -> None:
    a = analyse("Canada imposed sanctions on Belarus in August 2021.")
    assert [(r.subject.code, r.object.code, r.valid_from) for r in a.relations] == [
        ("CAN", "BLR", "2021-08")]
    b = analyse("Switzerland lifted sanctions on Iran in 2016.")
    assert [(r.predicate, r.subject.code, r.valid_to) for r in b.relations] == [
        ("sanctions", "CHE", "2016")]


def test_blocked_or_demanded_sanctions_are_not_asserted(analyse: Analyse) -> None:
    a = analyse("Hungary blocked new EU sanctions against Russia.")
    assert not triples(a.relations)
    b = analyse("Poland urged the EU to sanction Belarus.")
    assert triples(b.relations, "hypothetical") == {("IGOEU", "sanctions", "BLR")}
    assert not triples(b.relations)


def test_war_is_symmetric(analyse: Analyse) -> None:
    a = analyse("Sudan is at war with South Sudan.")
    assert triples(a.relations) == {("SDN", "at_war_with", "SSD"), ("SSD", "at_war_with", "SDN")}
    b = analyse("Iraq invaded Kuwait in August 1990.")
    assert {(r.subject.code, r.object.code, r.valid_from) for r in b.relations} == {
        ("IRQ", "KWT", "1990-08"), ("KWT", "IRQ", "1990-08")}


def test_allies(analyse: Analyse) -> None:
    a = analyse("North Korea is a key ally of Russia.")
    assert triples(a.relations) == {("PRK", "allied_with", "RUS"), ("RUS", "allied_with", "PRK")}
    b = analyse("Belarus is allied with Russia.")
    assert ("BLR", "allied_with", "RUS") in triples(b.relations)


def test_adjectives_are_not_parties(analyse: Analyse) -> None:
    article = analyse("Britain imposed sanctions on Israeli settlers.")
    assert not triples(article.relations)


@pytest.mark.parametrize("text", [
    "Kazakhstan hosted a trade fair in Almaty.",
    "The foreign ministry said the talks would resume next week.",
    "Kazakhstan's recognition of the new government remains unlikely.",
])
def test_sentences_without_relations(analyse: Analyse, text: str) -> None:
    assert not triples(analyse(text).relations)


def test_step_requires_a_doc() -> None:
    from diurna.article import Article
    from diurna.graph.relations import RelationStep

    with pytest.raises(RuntimeError, match="parsed Doc"):
        RelationStep()(Article(id="x", text="Russia annexed Crimea."))


def test_titles_of_other_bodies_and_guessed_countries_are_not_offices(analyse: Analyse) -> None:
    a = analyse("French National Assembly president Laurent Fabius met the delegation.")
    assert not only(a.relations, "holds_office")
    # Nobody in the dictionary, no country written with the title: the country would be a guess.
    b = analyse("Troops arrived in Bosnia, Defense Secretary Walter Brunsk said.")
    assert not only(b.relations, "holds_office")
    c = analyse("The paper described Elias Hrawi as president.", published="2020-01-01")
    assert not only(c.relations, "holds_office")


def test_a_demanded_refusal_is_not_a_recognition(analyse: Analyse) -> None:
    article = analyse("Greece demanded that the European Union refuse to recognize Kosovo.")
    assert not only(article.relations, "recognizes")
    assert [(r.subject.code, r.modality) for r in only(article.relations,
                                                        "does_not_recognize")] == [
        ("IGOEU", "hypothetical")]


def test_events_that_are_not_lasting_relations(analyse: Analyse) -> None:
    a = analyse("Vietnamese forces retook a village in western Cambodia.")
    assert not only(a.relations, "occupies")
    b = analyse("Unidentified troops invaded Georgia, Armenia and Azerbaijan said.")
    assert [e.actor.code for e in b.entities if e.text == "troops"] == ["---MIL"]
    assert not only(b.relations, "at_war_with")  # troops of a country the actor step cannot tell
