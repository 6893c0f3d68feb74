"""The relations of the shared Kazakhstan sample (defence-news page, 22 February 2022)."""

from __future__ import annotations

import pytest

from diurna.article import Article, Relation

pytestmark = [pytest.mark.shared, pytest.mark.e2e]

CSTO_MEMBERS = {"RUS", "ARM", "BLR", "KGZ", "TJK", "KAZ"}
BUDAPEST = "TREATY:budapest-memorandum-1994"


def of(article: Article, predicate: str) -> list[Relation]:
    return [r for r in article.relations if r.predicate == predicate]


def test_csto_members_from_the_apposition(sample_article: Article) -> None:
    members = [r for r in of(sample_article, "member_of") if r.object.code == "IGOCSTO"]
    assert {r.subject.code for r in members} == CSTO_MEMBERS
    assert all(r.modality == "asserted" and r.valid_from is None for r in members)
    assert all("a military alliance of Russia" in r.evidence.text for r in members)


def test_budapest_memorandum_signatories(sample_article: Article) -> None:
    signed = of(sample_article, "signatory_of")
    assert {r.subject.code for r in signed} == {"RUS", "USA", "GBR"}
    for r in signed:
        assert r.object.code == BUDAPEST and r.object.kind == "treaty"
        assert r.object.name == "Budapest Memorandum on Security Assurances"
        assert r.valid_from == "1994"


def test_memorandum_beneficiaries_through_the_coreference(sample_article: Article) -> None:
    benefit = of(sample_article, "beneficiary_of")
    assert {r.subject.code for r in benefit} == {"BLR", "KAZ", "UKR"}
    assert {r.object.code for r in benefit} == {BUDAPEST}
    assert all(r.evidence.text.startswith("The Memorandum provides") for r in benefit)


def test_offices(sample_article: Article) -> None:
    offices = {(r.subject.name, r.object.text, r.object.code): r
               for r in of(sample_article, "holds_office")}
    tileuberdi = offices[("Mukhtar Tileuberdi", "Deputy Prime Minister", "KAZ")]
    assert tileuberdi.subject.code == "KAZGOV"
    assert tileuberdi.object.name == "Deputy Prime Minister of Kazakhstan"
    assert tileuberdi.object.kind == "office"
    assert (tileuberdi.valid_from, tileuberdi.valid_to) == ("2019-12-01", "2023-04-30")
    # The role and the name are in two sentences: the evidence covers both.
    assert tileuberdi.evidence.text.startswith("Deputy Prime Minister evaluated")
    assert "Tileuberdi pointed out" in tileuberdi.evidence.text
    tokayev = offices[("Kassym-Jomart Tokayev", "President", "KAZ")]
    assert tokayev.valid_from == "2019-03-20" and tokayev.valid_to is None
    putin = offices[("Vladimir Putin", "President", "RUS")]
    assert putin.object.name == "President of Russia"


def test_kazakhstan_does_not_recognise_the_republics(sample_article: Article) -> None:
    refusals = of(sample_article, "does_not_recognize")
    assert {(r.subject.code, r.object.code) for r in refusals} == {
        ("KAZ", "UKRDPR"), ("KAZ", "UKRLPR")}
    assert all(r.modality == "asserted" for r in refusals)
    assert not [r for r in of(sample_article, "recognizes") if r.subject.country == "KAZ"]


def test_annexation_of_crimea(sample_article: Article) -> None:
    annexed = of(sample_article, "annexed")
    assert [(r.subject.code, r.object.code, r.valid_from) for r in annexed] == [
        ("RUS", "UKRCRI", "2014")]


def test_nothing_is_taken_from_the_dictionary(sample_article: Article) -> None:
    # The dictionary lists the CSTO's members with dates; the article states them once, and no
    # other membership (the UN, the G7 of the last paragraph) appears.
    assert {r.object.code for r in of(sample_article, "member_of")} == {"IGOCSTO"}


def test_evidence_points_into_the_text(sample_article: Article) -> None:
    text = sample_article.text
    assert sample_article.relations
    for r in sample_article.relations:
        assert text[r.evidence.start : r.evidence.end] == r.evidence.text
        assert 0 <= r.sentence_index < len(sample_article.sentences)
