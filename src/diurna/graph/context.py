"""What every relation extractor sees: one parsed article, its actor mentions and its treaties.

A :class:`Mention` is a resolved actor over a token range: an entity of the actor step that has a
code (places and unresolved names are not actors), or a treaty found by :mod:`treaties`, which
wins where the two overlap ("Budapest" inside "the Budapest Memorandum" is not Hungary). The
:class:`Context` answers the questions the extractors share: which actor is at this token, which
actors are coordinated with it, who is the subject of this verb, which date in the sentence
belongs to this word, and it builds the :class:`Relation` records with their evidence.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.tokens import Doc, Span, Token

from diurna.article import Actor, Article, Relation
from diurna.article import Span as TextSpan
from diurna.events.modality import FUTURE_GOVERNORS, HYPOTHETICAL_GOVERNORS, modality_of
from diurna.events.patterns import lemma_of
from diurna.facts.dates import DateExpr, find_dates, published_date
from diurna.nlp.columns import doc_text, string_columns

# Precision of a date that can date a relation; "future" and "publication" never do.
DATED = ("day", "month", "year")
# Words allowed between the members of a written list ("Russia, Armenia, and Kazakhstan itself").
LIST_GLUE = frozenset({",", "and", "the", "&", "itself", "as", "well"})
# Relative pronouns: the subject or object of a relative clause is the noun the clause modifies.
RELATIVE = frozenset({"which", "that", "who", "whom"})
# The actor step's prefix for a role whose country it could not tell ("---MIL").
UNKNOWN_COUNTRY = "---"
# A pronoun subject of a reported clause is the reporting verb's subject ("X said it would").
REPORTED_PRONOUNS = frozenset({"it", "they"})
# Kinds of actor that can be a party to a political relation (persons only through offices).
PARTY_KINDS = frozenset({"state", "igo", "region", "group", "ngo"})
_SINCE = re.compile(r"^(?:since|from)\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists of ``data/lexicon.json``."""
    text = resources.files("diurna.graph").joinpath("data", "lexicon.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=64)
def words(name: str) -> frozenset[str]:
    """One word list of the lexicon as a set."""
    return frozenset(lexicon()[name])


def modality_at(token: Token) -> str:
    """The event coder's modality of ``token``, with governors read through the lemma fixes of
    the pattern data ("hopes to become": the model lemmatises "hopes" as "hop")."""
    found = modality_of(token, token.doc)
    tok = token
    while found == "asserted" and tok.dep_ == "xcomp" and tok.head.i != tok.i:
        tok = tok.head
        if lemma_of(tok) in HYPOTHETICAL_GOVERNORS:
            return "hypothetical"
        if lemma_of(tok) in FUTURE_GOVERNORS or lemma_of(tok) in words("intent_governors"):
            return "future"
    return found


@dataclass
class Mention:
    """A resolved actor over tokens ``start:end`` of the Doc."""

    actor: Actor
    start: int
    end: int
    label: str  # the entity label, or TREATY
    year: str | None = None  # a treaty's year, where known

    @property
    def code(self) -> str:
        return self.actor.code or ""


def date_start(expr: DateExpr, day: date | None = None) -> str | None:
    """The value a relation takes from a date expression: where the period begins ("since 1974"
    gives 1974)."""
    if expr.precision in DATED:
        return expr.value
    if expr.precision == "range" and expr.value:
        inner = find_dates("in " + _SINCE.sub("", expr.text), day)
        if inner and inner[0].precision in DATED:
            return inner[0].value
        return expr.value.split("/")[0]
    return None


class Context:
    """One article seen by the relation extractors."""

    def __init__(self, article: Article, doc: Doc, treaties: list[Mention]) -> None:
        self.article = article
        self.doc = doc
        self.day: date | None = published_date(article.published)
        self.sentences: list[Span] = list(doc.sents)
        self.treaties = treaties
        self.by_token: dict[int, Mention] = {}
        for ent in article.entities:
            actor = ent.actor
            if actor is None or not actor.code or actor.kind == "place" or (
                    actor.code.startswith(UNKNOWN_COUNTRY)):
                continue  # "its troops" of an unknown country is nobody's party
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            if span is None:
                continue
            mention = Mention(actor, span.start, span.end, ent.label)
            for i in range(span.start, span.end):
                self.by_token.setdefault(i, mention)
        for treaty in treaties:
            for i in range(treaty.start, treaty.end):
                self.by_token[i] = treaty
        self._dates: dict[int, list[tuple[DateExpr, Token]]] = {}
        self._mentions: dict[tuple[int, int], list[Mention]] = {}

    # -- the Doc, read once -------------------------------------------------------------------

    @property
    def text(self) -> str:
        return doc_text(self.doc)

    @cached_property
    def _sentence_at(self) -> list[int]:
        """Token -> sentence index, the same as ``token.sent`` (which walks the Doc each time)."""
        out = [0] * len(self.doc)
        for k, sent in enumerate(self.sentences):
            out[sent.start : sent.end] = [k] * (sent.end - sent.start)
        return out

    @cached_property
    def _words(self) -> tuple[list[str], list[str], list[str]]:
        """Per token: lemma, case-folded lemma, lower-cased text (one bulk read of the Doc)."""
        lemmas, lowers = string_columns(self.doc, LEMMA, LOWER)
        return lemmas, [lemma.casefold() for lemma in lemmas], lowers

    @cached_property
    def texts(self) -> list[str]:
        """Every token's text, read in bulk (``doc[i].text`` makes a Token object each time)."""
        return string_columns(self.doc, ORTH)[0]

    def tokens_with(self, sent: Span, lemmas: frozenset[str] = frozenset(), *,
                    folded: frozenset[str] = frozenset(),
                    lower: frozenset[str] = frozenset()) -> Iterator[Token]:
        """The tokens of ``sent`` whose lemma is in ``lemmas``, case-folded lemma in ``folded``
        or lower-cased text in ``lower``, in order: an extractor whose every rule needs such a
        word looks at these only, not at every token."""
        raw, cased, lowered = self._words
        for i in range(sent.start, sent.end):
            if raw[i] in lemmas or cased[i] in folded or lowered[i] in lower:
                yield self.doc[i]

    # -- where things are ---------------------------------------------------------------------

    def sentence_of(self, token: Token) -> int:
        return self._sentence_at[token.i]

    def at(self, token: Token | None) -> Mention | None:
        return self.by_token.get(token.i) if token is not None else None

    def mentions_in(self, sent: Span) -> list[Mention]:
        key = (sent.start, sent.end)  # asked for by several extractors for each sentence
        found = self._mentions.get(key)
        if found is None:
            seen: dict[int, Mention] = {}
            for i in range(sent.start, sent.end):
                m = self.by_token.get(i)
                if m is not None:
                    seen.setdefault(id(m), m)
            found = self._mentions[key] = sorted(seen.values(), key=lambda m: m.start)
        return list(found)

    def group(self, head: Token | None) -> list[Mention]:
        """The actors of ``head`` and of every phrase coordinated with it ("A, B and C")."""
        if head is None:
            return []
        found: dict[int, Mention] = {}
        tokens = [head, *head.conjuncts]
        own = self.at(head)
        if own is not None:  # a name whose first word the parser made the head
            tokens += [c for t in self.doc[own.start : own.end] for c in t.conjuncts]
        for tok in sorted(set(tokens), key=lambda t: t.i):
            m = self.at(tok)
            if m is not None:
                found.setdefault(id(m), m)
        return sorted(found.values(), key=lambda m: m.start)

    def listed_after(self, i: int, end: int) -> list[Mention]:
        """The actors written as a list from token ``i`` on: "Russia, Armenia and Kazakhstan"."""
        out: list[Mention] = []
        while i < end:
            tok = self.doc[i]
            m = self.by_token.get(i)
            if m is not None and m.start == i:
                out.append(m)
                i = m.end
            elif tok.lower_ in LIST_GLUE or (tok.text == ":" and not out):
                i += 1
            else:
                break
        return out

    def listed_before(self, i: int, start: int) -> list[Mention]:
        """The actors written as a list that ends just before token ``i``."""
        out: list[Mention] = []
        j = i - 1
        while j >= start:
            tok = self.doc[j]
            m = self.by_token.get(j)
            if m is not None and m.end == j + 1:
                out.insert(0, m)
                j = m.start - 1
            elif tok.lower_ in LIST_GLUE:
                j -= 1
            else:
                break
        return out

    # -- grammatical roles --------------------------------------------------------------------

    def subjects(self, verb: Token, depth: int = 0) -> list[Mention]:
        """The actors that are the subject of ``verb`` (the by-phrase of a passive verb)."""
        if depth > 4:
            return []
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            return self.group(pobj)
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "expl")), None)
        if subj is not None and subj.lower_ in RELATIVE:
            return self.noun_referent(verb)
        if subj is not None and subj.lower_ in REPORTED_PRONOUNS and verb.dep_ == "ccomp" and (
                lemma_of(verb.head) in words("speech_verbs")):
            return self.subjects(verb.head, depth + 1)  # "Uzbekistan said it does not ..."
        if subj is not None and subj.dep_ == "nsubj":
            return self.group(subj)
        if verb.dep_ == "xcomp" and verb.head.i != verb.i:
            controller = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
            if controller is not None:  # "urged the EU to sanction": the EU
                return self.group(controller)
            return self.subjects(verb.head, depth + 1)
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            return self.subjects(verb.head, depth + 1)
        if verb.dep_ == "relcl":
            return self.noun_referent(verb)
        return []

    def noun_referent(self, clause: Token) -> list[Mention]:
        """The actors a relative clause is about: its head noun, or through a copula the subject
        ("Turkey is the only state that recognises ...")."""
        noun = clause.head
        own = self.group(noun)
        if own:
            return own
        if noun.dep_ == "attr":
            return self.subjects(noun.head, 1)
        return []

    def objects(self, verb: Token) -> list[Mention]:
        """The actors that are the direct object of ``verb`` (the subject of a passive verb)."""
        passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            return self.group(passive)
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None and obj.lower_ in RELATIVE and verb.dep_ == "relcl":
            return self.group(verb.head)
        return self.group(obj)

    def companions(self, verb: Token) -> list[Mention]:
        """Actors that share the subject's role: "A joined C, along with B"."""
        found: list[Mention] = []
        for child in verb.children:
            if child.lower_ in ("along", "together"):
                found += self.group(self.pobj(child, "with"))
            elif child.lower_ == "with" and child.i > 0 and (
                    self.doc[child.i - 1].lower_ in ("along", "together")):
                found += self.group(self.pobj(verb, "with"))
        return found

    @staticmethod
    def pobj(token: Token, *preps: str) -> Token | None:
        """The object of the first preposition of ``preps`` attached to ``token``."""
        for prep in token.children:
            if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in preps:
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
        return None

    # -- dates --------------------------------------------------------------------------------

    def _sentence_dates(self, index: int) -> list[tuple[DateExpr, Token]]:
        if index not in self._dates:
            sent = self.sentences[index]
            found = []
            for expr in find_dates(self.text[sent.start_char : sent.end_char], self.day):
                span = self.doc.char_span(sent.start_char + expr.start, sent.start_char + expr.end,
                                          alignment_mode="expand")
                if span is not None and span.root.ent_type_ not in ("CARDINAL", "MONEY"):
                    found.append((expr, span.root))
            self._dates[index] = found
        return self._dates[index]

    def date_of(self, trigger: Token) -> str | None:
        """The start of the date the sentence gives to ``trigger``: a date expression inside the
        trigger's phrase or attached to its verb ("joined NATO in 2004", "the annexation of Crimea
        by Russia in 2014"), never a date that belongs to another clause."""
        anchors = {trigger.i}
        head = trigger
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i and len(anchors) < 6:
            head = head.head
            anchors.add(head.i)
        for expr, root in self._sentence_dates(self.sentence_of(trigger)):
            tok, steps = root, 0
            while steps < 6:
                if tok.i in anchors:
                    value = date_start(expr, self.day)
                    if value:
                        return value
                    break
                if tok.head.i == tok.i or (tok.pos_ in ("VERB", "AUX") and tok.i not in anchors):
                    break
                tok, steps = tok.head, steps + 1
        return None

    # -- building relations -------------------------------------------------------------------

    def evidence(self, index: int, last: int | None = None) -> TextSpan:
        """The sentence ``index`` (through sentence ``last``) as evidence, trimmed of blanks."""
        first, end = self.sentences[index], self.sentences[last if last is not None else index]
        text = self.text[first.start_char : end.end_char]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        start = first.start_char + lead
        return TextSpan(text, start, start + len(text))

    def relation(self, subject: Mention | Actor, predicate: str, obj: Mention | Actor,
                 sentence: int, *, modality: str = "asserted", valid_from: str | None = None,
                 valid_to: str | None = None, last: int | None = None) -> Relation:
        subj_actor = subject.actor if isinstance(subject, Mention) else subject
        obj_actor = obj.actor if isinstance(obj, Mention) else obj
        return Relation(dataclasses.replace(subj_actor), predicate, dataclasses.replace(obj_actor),
                        valid_from, valid_to, modality, sentence, self.evidence(sentence, last))
