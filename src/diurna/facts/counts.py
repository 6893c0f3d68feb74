"""The counts step: how many people were killed, wounded, arrested, kidnapped, displaced, ...

Numbers are found in each sentence's text (:mod:`diurna.facts.numbers`) and then placed in the
dependency parse: a number counts something when the noun it quantifies (or the number itself,
"9,900 were arrested") plays the counted role of a count word. Which words are count words, and
which role they count, is data: ``facts/data/count_kinds.json``.

- verbs: ``12 soldiers were killed``, ``killing three civilians``, ``30 wounded``,
  ``thousands of protesters marched``, ``forced 2 million people to flee``;
- adjectives and nouns: ``left 5 dead``, ``12 deaths``, ``displaced people``, ``took 30 hostage``;
- tolls: ``the death toll rose to 40``, ``a death toll of 40``;
- containers: ``a total of 227 people`` (the number belongs to ``people``, the role to ``total``);
- conjuncts share a role (``3 soldiers and 2 civilians were killed``), and a bare number takes
  the object of the count before it in its sentence (``227 people were killed, and over 9,900
  were arrested`` counts 9,900 people).

Negated and future or hypothetical counts ("no one was killed", "could displace 1,000") are left
out: a count is a reported fact.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from diurna.article import Article, Count, Event
from diurna.facts.numbers import NumberMatch, find_numbers
from diurna.nlp.columns import doc_text

KINDS = ("KILL", "WOUND", "ARREST", "KIDNAP", "DISPLACE", "PROTEST", "AFFECT", "SEIZE")
# Entity labels whose numbers are never counts of people or things.
SKIP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
NOUN_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ"})
MODIFIER_DEPS = frozenset({"nummod", "quantmod", "compound", "amod", "nmod", "appos"})
COMPLEMENT_DEPS = frozenset({"oprd", "acomp", "xcomp", "ccomp", "advmod", "advcl", "dep",
                             "npadvmod", "dobj", "conj"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
HEDGE_AUX = frozenset({"would", "could", "might", "may", "should", "can"})


@dataclass(frozen=True)
class VerbSpec:
    kind: str
    role: str  # object | subject | either
    needs_any: frozenset[str] = frozenset()
    persons_only: bool = False
    person_kind: str | None = None


@dataclass(frozen=True)
class CountKinds:
    """The word lists of ``count_kinds.json``."""

    verbs: dict[str, VerbSpec]
    adjectives: dict[str, str]
    complements: dict[str, str]
    nouns: dict[str, str]
    tolls: dict[str, str]
    containers: frozenset[str]
    gatherings: frozenset[str]
    protest_nouns: frozenset[str]
    persons: frozenset[str]
    event_roots: dict[str, tuple[str, ...]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CountKinds:
        verbs = {
            lemma: VerbSpec(v["kind"], v["role"], frozenset(v.get("needs_any", ())),
                            bool(v.get("persons_only", False)), v.get("person_kind"))
            for lemma, v in data["verbs"].items()
        }
        return cls(verbs, dict(data["adjectives"]), {**data["adjectives"], **data["complements"]},
                   dict(data["nouns"]), dict(data["tolls"]),
                   frozenset(data["containers"]), frozenset(data["gatherings"]),
                   frozenset(data["protest_nouns"]),
                   frozenset(data["persons"]),
                   {k: tuple(v) for k, v in data["event_roots"].items()})


@lru_cache(maxsize=1)
def load_kinds() -> CountKinds:
    text = resources.files("diurna.facts").joinpath("data", "count_kinds.json").read_text("utf-8")
    return CountKinds.from_json(json.loads(text))


@dataclass
class _Hit:
    kind: str
    trigger: Token
    object: Token | None
    bare: bool  # the number stands alone ("9,900 were arrested"): it may inherit an object


def _key(token: Token) -> str:
    return token.lemma_.lower()


def _word(token: Token, table: dict[str, str]) -> str | None:
    return table.get(_key(token)) or table.get(token.lower_)


def _reduced_passive(verb: Token) -> bool:
    """A participle without "have" and without an object: "30 wounded", "people killed"."""
    if verb.tag_ != "VBN":
        return False
    return not any(c.dep_ == "dobj" or (c.dep_ == "aux" and c.lemma_ == "have")
                   for c in verb.children)


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    return _reduced_passive(verb)


def _unreal(verb: Token) -> bool:
    """Negated, future or hypothetical: not a reported count."""
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("aux", "auxpass"):
            if child.lower_ in FUTURE_AUX:
                return True
            if child.lower_ in HEDGE_AUX and not any(
                c.lemma_ == "have" for c in verb.children if c.dep_ == "aux"
            ):
                return True
    return False


def _of_object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    scale = pobj.like_num or _key(pobj) in ("thousand", "million", "hundred")
                    return _of_object(pobj) if scale else pobj
    return None


def _object_text(token: Token | None, kinds: CountKinds) -> str | None:
    if token is None or _word(token, kinds.adjectives) or _word(token, kinds.nouns):
        return None
    if token.like_num or token.pos_ in ("NUM", "DET", "PRON") or _key(token) == "other":
        return None
    parts = [c.lower_ for c in token.children if c.dep_ == "compound" and c.i < token.i
             and not c.like_num]
    return " ".join([*parts, _key(token)])


class _Finder:
    def __init__(self, doc: Doc, kinds: CountKinds) -> None:
        self.doc = doc
        self.kinds = kinds

    def verb_role(self, noun: Token, dep: str, verb: Token, obj: Token | None) -> str | None:
        """The kind the verb gives a noun in relation ``dep`` to it, or None."""
        spec = self.kinds.verbs.get(_key(verb))
        if spec is None or verb.pos_ not in ("VERB", "AUX") or _unreal(verb):
            return None
        explicit = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        if dep == "nsubjpass" or (dep == "nsubj" and (explicit or _reduced_passive(verb))):
            ok = spec.role in ("object", "either") or (dep == "nsubj" and spec.role == "subject")
        elif dep == "dobj":
            ok = spec.role in ("object", "either") and not explicit
        elif dep == "nsubj":
            ok = spec.role in ("subject", "either")
        else:
            ok = False
        if ok and spec.needs_any:
            words = [*verb.subtree, noun, *([obj] if obj is not None else [])]
            if verb.dep_ == "relcl":  # "the protests, which drew 50,000 people"
                words.append(verb.head)
            ok = any(_key(t) in spec.needs_any for t in words)
        person = obj is not None and (_key(obj) in self.kinds.persons
                                      or obj.lower_ in self.kinds.persons)
        if ok and spec.persons_only and obj is not None:
            ok = person
        if ok and person and spec.person_kind:
            return spec.person_kind
        return spec.kind if ok else None

    def _toll(self, token: Token) -> str | None:
        kind = _word(token, self.kinds.tolls)
        if kind is None:
            return None
        for child in token.children:
            if child.dep_ == "compound" and (k := _word(child, self.kinds.nouns)):
                return k
        return kind

    def _subject(self, verb: Token) -> Token | None:
        return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)

    def modifiers(self, noun: Token, obj: Token | None, bare: bool) -> _Hit | None:
        """A count word modifying the counted noun: "displaced people", "people who fled"."""
        for child in noun.children:
            if child.dep_ in ("amod", "compound") and (kind := _word(child, self.kinds.adjectives)):
                return _Hit(kind, child, obj, bare)
            if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
                rel = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")
                            and c.tag_ in ("WP", "WDT")), None)
                if rel is not None:
                    role = rel.dep_
                else:
                    role = "nsubjpass" if child.tag_ == "VBN" else "nsubj"
                if kind := self.verb_role(noun, role, child, obj):
                    return _Hit(kind, child, obj, bare)
        return None

    def attach(self, node: Token, core: Span, lead: int) -> _Hit | None:
        """What the number ``core`` counts; ``lead`` is where its marker ("upwards of") starts."""
        kinds = self.kinds
        noun, obj, dep = node, None, node.dep_
        if node.dep_ == "prep":  # a marker heading the number: "over 9,900 were arrested"
            head = node.head
            dep = "dobj" if node.i > head.i else ("nsubjpass" if _is_passive(head) else "nsubj")
        elif node.dep_ in MODIFIER_DEPS and node.head.pos_ in NOUN_POS and node.head not in core:
            noun = obj = node.head
            dep = noun.dep_
        if obj is None and noun.pos_ in NOUN_POS | {"ADP"}:
            obj = _of_object(noun)
            if obj is None and core.end < len(self.doc):  # "2m people" parsed as two subjects
                nxt = self.doc[core.end]
                if nxt.pos_ == "NOUN" and nxt.head == noun.head and nxt.dep_ == noun.dep_:
                    obj = nxt
        bare = obj is None and noun == node
        # A count word carrying the number itself: "12 deaths", "left 5 dead", "30 wounded".
        if noun != node and (kind := _word(noun, kinds.adjectives) or _word(noun, kinds.nouns)):
            return _Hit(kind, noun, None, False)
        if hit := self.modifiers(noun, obj, bare):  # "displaced people", "scores injured"
            return hit
        while noun.dep_ == "pobj" and noun.head.lower_ == "of" and (
                _key(noun.head.head) in kinds.containers
                or lead <= noun.head.head.idx < core.start_char):
            noun = noun.head.head  # "a total of 227 people"
            dep = noun.dep_
            if kind := _word(noun, kinds.nouns):
                return _Hit(kind, noun, obj, False)
        while noun.dep_ == "conj" and noun.head.pos_ in NOUN_POS:
            noun = noun.head  # "3 soldiers and 2 civilians were killed"
            dep = noun.dep_
        head = noun.head if node.dep_ != "prep" else node.head
        # Tolls: "the death toll rose to 40", "stood at 40", "a death toll of 40", "reached 40".
        if dep == "pobj" and noun.head.head is not None:
            holder = noun.head.head
            if kind := self._toll(holder):
                return _Hit(kind, holder, None, False)
            for other in holder.children:  # "rose to 40", "bringing the death toll to 40"
                if other.dep_ in ("nsubj", "nsubjpass", "dobj") and (kind := self._toll(other)):
                    return _Hit(kind, other, None, False)
            if noun.head.lower_ in ("by", "of") and _key(holder) in kinds.gatherings:
                return _Hit("PROTEST", holder, obj, False)  # "a rally by 3,000 supporters"
        if noun.dep_ == "compound" and (kind := _word(noun.head, kinds.complements)):
            return _Hit(kind, noun.head, obj, False)  # "took its 19 crew members hostage"
        if dep in ("dobj", "attr", "npadvmod", "oprd"):
            subj = self._subject(head)
            if subj is not None and (kind := self._toll(subj)):
                return _Hit(kind, subj, None, False)
            if subj is not None and _key(head) in ("number", "total"):  # "protesters numbered"
                kind = _word(subj, kinds.adjectives) or _word(subj, kinds.nouns)
                if kind is None and _key(subj) in kinds.protest_nouns:
                    kind = "PROTEST"
                if kind is not None:
                    return _Hit(kind, head, subj, False)
        if dep not in ("nsubj", "nsubjpass", "dobj"):
            return None
        if kind := self.verb_role(noun, dep, head, obj):
            return _Hit(kind, head, obj, bare)
        if dep in ("nsubjpass", "dobj") and not _unreal(head):
            for child in head.children:  # "were found dead", "shot dead", "took 30 hostage"
                if child.dep_ in COMPLEMENT_DEPS and child != noun and \
                        (kind := _word(child, kinds.complements)) and child.pos_ != "VERB":
                    return _Hit(kind, child, obj, bare)
            for child in head.children:  # "forced 2 million people to flee"
                if child.dep_ == "xcomp" and (kind := self.verb_role(noun, "nsubj", child, obj)):
                    return _Hit(kind, child, obj, bare)
        if dep == "nsubj" and obj is not None and _key(obj) in kinds.protest_nouns \
                and head.pos_ == "VERB" and not _unreal(head):
            return _Hit("PROTEST", head, obj, False)  # "some 10,000 protesters clashed ..."
        return None


def _event_for(hit: _Hit, sentence_index: int, events: Sequence[Event],
               kinds: CountKinds) -> str | None:
    here = [e for e in events if e.sentence_index == sentence_index]
    for event in here:
        if event.trigger.start == hit.trigger.idx:
            return event.id
    roots = kinds.event_roots.get(hit.kind, ())
    fitting = [e for e in here if e.cameo[:2] in roots]
    if not fitting:
        return None
    return min(fitting, key=lambda e: abs(e.trigger.start - hit.trigger.idx)).id


def _skip(sent_text: str, match: NumberMatch, core: Span) -> bool:
    if any(t.ent_type_ in SKIP_ENTS for t in core):
        return True
    # match.start is an offset into the sentence, so the words before it are read there too.
    before = sent_text[max(0, match.start - 3):match.start].lower()
    return before.endswith("no ") and match.value == 1  # "no one was killed"


def find_counts(doc: Doc, events: Sequence[Event] = (), kinds: CountKinds | None = None,
                sentences: Iterable[Span] | None = None) -> list[Count]:
    """Every count in ``doc``; ``events`` are those of the same article (for ``event_id``)."""
    kinds = kinds or load_kinds()
    finder = _Finder(doc, kinds)
    out: list[Count] = []
    text = doc_text(doc)
    for index, sent in enumerate(sentences if sentences is not None else doc.sents):
        found: list[tuple[Count, bool]] = []
        sent_text = text[sent.start_char : sent.end_char] if sent.doc is doc else sent.text
        for match in find_numbers(sent_text):
            base = sent.start_char
            core = doc.char_span(base + match.number_start, base + match.end,
                                 alignment_mode="expand")
            if core is None or len(core) == 0 or _skip(sent_text, match, core):
                continue
            node = core.root
            if node.dep_ == "pobj" and node.head.idx >= base + match.start and \
                    node.head.i < core.start:
                node = node.head  # the marker is the preposition over the number
            hit = finder.attach(node, core, base + match.start)
            if hit is None:
                continue
            obj = _object_text(hit.object, kinds)
            if obj is None and hit.bare:  # ellipsis: the object of the count before it
                obj = next((c.object for c, _ in reversed(found) if c.object), None)
            count = Count(kind=hit.kind, number=match.value, approximate=match.approximate,
                          object=obj, text=match.text, start=base + match.start,
                          end=base + match.end, sentence_index=index,
                          event_id=_event_for(hit, index, events, kinds))
            found.append((count, hit.bare))
        out.extend(c for c, _ in found)
    return out


class CountStep:
    """Pipeline step: ``article.counts`` from the parsed Doc (run it after the event step)."""

    name = "counts"

    def __init__(self, kinds: CountKinds | None = None) -> None:
        self.kinds = kinds

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            raise RuntimeError(
                f"article {article.id!r}: the counts step needs a parsed Doc; run the NLP step "
                "(and the event step) before it"
            )
        article.counts = find_counts(article.doc, article.events, self.kinds or load_kinds())
        return article
