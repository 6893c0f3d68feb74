"""The indexed attribute ruler gives exactly the matches and annotations of spaCy's own."""

from __future__ import annotations

import spacy
from spacy.attrs import LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from diurna.nlp.attribute_index import IndexedAttributeRuler, index_attribute_ruler
from diurna.nlp.model import DEFAULT_MODEL, load_model

# Varied English on purpose: contractions ("ain't", "gonna", "y'all"), pronouns as subject and
# object, "there is", auxiliaries, determiners used as pronouns, extra spaces and a tab.
TEXTS = [
    "The ministry said on Tuesday that it ain't gonna sign; y'all know that, don't you?",
    "There were 12 soldiers killed near Gao.  Nothin' was said. Let's go, c'mon.",
    "I told you it was him who gets the blame: that is what they got for it.\tBut no.",
    "Those who left were not allowed back, and this was done by the police, who had it done.",
    "Kazakhstan does not recognise the Donetsk People's Republic, he added in Almaty.",
    "Gotta go!  \n\n  The E.U. and NATO meet; the U.N. won't. Did they? He did, and has.",
]


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc]


def _parsed(nlp: spacy.language.Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    for name in ("tok2vec", "tagger", "parser"):
        doc = nlp.get_pipe(name)(doc)
    return doc


def test_model_patterns_give_identical_matches_and_annotations() -> None:
    plain = spacy.load(DEFAULT_MODEL, exclude=["ner", "senter"])
    original = plain.get_pipe("attribute_ruler")
    assert type(original) is AttributeRuler
    indexed = IndexedAttributeRuler(plain.vocab, "indexed")
    indexed.add_patterns(original.patterns)
    for text in TEXTS:
        doc = _parsed(plain, text)
        assert indexed.match(doc) == original.match(doc), text
        a, b = doc.copy(), doc.copy()
        original(a)
        indexed(b)
        assert _annotations(a) == _annotations(b), text
        assert (a.to_array([TAG, POS, MORPH, LEMMA]) == b.to_array([TAG, POS, MORPH, LEMMA])).all()


def test_every_model_rule_is_indexed_and_none_left_to_the_matcher() -> None:
    nlp = load_model()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler)
    ruler(nlp.make_doc("warm the index"))
    assert ruler._index is not None and not ruler._index.residual_rules


def _ruler_pair(patterns: list[dict]) -> tuple[AttributeRuler, IndexedAttributeRuler, Doc]:
    nlp = spacy.blank("en")
    original = AttributeRuler(nlp.vocab, "original")
    indexed = IndexedAttributeRuler(nlp.vocab, "indexed")
    original.add_patterns(patterns)
    indexed.add_patterns(patterns)
    words = ["Gonna", "do", "it", ",", "y'", "all", "do", "it", "now", " ", "gonna", "do"]
    tags = ["VBG", "VB", "PRP", ",", "PRP", "DT", "VBP", "PRP", "RB", "_SP", "VBG", "VB"]
    doc = Doc(nlp.vocab, words=words, tags=tags, spaces=[True] * 8 + [False] * 4)
    return original, indexed, doc


def test_hand_written_rules_of_every_kind() -> None:
    patterns = [
        {"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"LOWER": "do", "TAG": {"IN": ["VB", "VBP"]}}]], "attrs": {"LEMMA": "DO"}},
        {"patterns": [[{"LOWER": "gonna"}, {"LOWER": "do"}]], "attrs": {"LEMMA": "go"},
         "index": 0},
        {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]],
         "attrs": {"LEMMA": "you"}, "index": -2},
        {"patterns": [[{"TAG": {"NOT_IN": ["VB", ""]}}]], "attrs": {"MORPH": "Tense=Pres"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
        {"patterns": [[{"ORTH": "it"}, {"ORTH": "now"}]], "attrs": {"POS": "PRON"}},
        # operators and other attributes are not indexed: the Matcher keeps them
        {"patterns": [[{"LOWER": "do"}, {"OP": "*"}, {"LOWER": "now"}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"IS_ALPHA": True, "LENGTH": 2}]], "attrs": {"LEMMA": "two"}},
        # a later rule overrides an earlier one on the same token
        {"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "AUX"}},
    ]
    original, indexed, doc = _ruler_pair(patterns)
    expected = original.match(doc)
    assert indexed.match(doc) == expected
    assert indexed._index is not None and len(indexed._index.residual_rules) == 2
    a, b = original(doc.copy()), indexed(doc.copy())
    assert _annotations(a) == _annotations(b)
    assert (b[1].pos_, b[11].pos_) == ("AUX", "AUX")  # rule 9 wins over rules 0 and 7
    assert b[0].lemma_ == "go" and b[4].lemma_ == "you"


def test_adding_rules_rebuilds_the_index() -> None:
    first = [{"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "VERB"}}]
    original, indexed, doc = _ruler_pair(first)
    assert indexed.match(doc) == original.match(doc)
    more = [{"patterns": [[{"LOWER": "now"}]], "attrs": {"POS": "ADV"}}]
    original.add_patterns(more)
    indexed.add_patterns(more)
    assert indexed.match(doc) == original.match(doc)
    assert len(indexed.match(doc)) == 3  # "do" twice by rule 0, "now" by rule 1


def test_replacing_keeps_the_pipeline_and_is_idempotent() -> None:
    nlp = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    names = nlp.pipe_names
    count = len(nlp.get_pipe("attribute_ruler").patterns)
    index_attribute_ruler(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    index_attribute_ruler(nlp)
    assert nlp.pipe_names == names and nlp.get_pipe("attribute_ruler") is ruler
    assert isinstance(ruler, IndexedAttributeRuler) and len(ruler.patterns) == count
    assert index_attribute_ruler(spacy.blank("en")) is None  # no attribute ruler: nothing to do
