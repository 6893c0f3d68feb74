"""Relations stated by a verb or a noun between two actors, and relations read off coded events.

Predicates: recognizes / does_not_recognize, annexed, occupies, sanctions, at_war_with.

From the events of the event step (same sentence, same actors):

* CAMEO 054 (recognise) asserted → recognizes; future or hypothetical → recognizes with that
  modality; a negated 054 (a 12x rejection whose ``plover["negated_cameo"]`` is 054, or 054 with
  modality negated) → does_not_recognize. A negated statement never gives ``recognizes``;
* 192 (occupy territory) → annexed when the trigger is annex/annexation, else occupies;
* 163 (sanctions, embargo) → sanctions; 190 with the trigger invade/invasion → at_war_with.

From the text, for what the event patterns leave out (they ask for a recognised *independence*
or *republic*, and know no "at war with"):

* recognise/recognize + object, or + "the independence/sovereignty of X"; the noun recognition
  with "of X" and "by Y", a possessor or a nationality ("there is no recognition of X by Y");
  negation, modality and "non-recognition" as for events;
* annex/annexation, occupy/occupation, invade/invasion, sanction (verb);
* sanctions as the object of impose/slap/adopt... with on/against ("imposed sanctions on Belarus"),
  lift/ease... (valid_to), or a noun phrase "EU sanctions against Russia";
* at war: "A is at war with B", "A and B are at war", "declared/waged war on B", "war between A
  and B".

A relation's valid_from is the date the sentence attaches to its trigger ("in March 2014",
"since 1974"). Objects that are only a nationality adjective ("Israeli settlers") or a part of a
treaty's name ("the Rome Statute") are not parties to a relation.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from diurna.article import Actor, Event, Relation
from diurna.events.modality import is_negated
from diurna.graph.context import (
    PARTY_KINDS,
    UNKNOWN_COUNTRY,
    Context,
    Mention,
    lexicon,
    modality_at,
    words,
)

RECOGNITION = ("recognizes", "does_not_recognize")
# A person acts for their state ("Putin recognised ..."), so persons may be subjects; only
# sanctions also take a person as object ("sanctioned Lukashenko").
SUBJECT_KINDS = PARTY_KINDS | {"person"}
_PERSON_OBJECTS = frozenset({"sanctions"})


def _lemma(token: Token) -> str:
    return token.lemma_.casefold()


class Triggers:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        table: dict[str, str] = lexicon()["triggers"]
        self.triggers = {k: v for k, v in table.items() if not k.startswith("_")}
        # Every rule of __call__ starts from one of these lemmas: other tokens are never read.
        self.cues = words("recognition_verbs") | words("recognition_nouns") | words(
            "sanction_nouns") | frozenset(self.triggers) | {"war"}

    # -- events -------------------------------------------------------------------------------

    def _party(self, actor: Actor | None, sent: Span, kinds: frozenset[str]) -> Actor | None:
        if actor is None or not actor.code or actor.kind not in kinds or (
                actor.code.startswith(UNKNOWN_COUNTRY)):
            return None
        first, texts = (actor.text.split() or [""])[0], self.ctx.texts
        hits = [i for i in range(sent.start, sent.end) if texts[i] == first]
        if hits and all(self.ctx.by_token.get(i) is not None and
                        self.ctx.by_token[i].label == "TREATY" for i in hits):
            return None  # "the Rome Statute": a treaty's name, not Italy
        for ent in self.ctx.article.entities:
            if ent.text == actor.text and ent.label == "NORP" and (
                    sent.start_char <= ent.start < sent.end_char):
                return None  # "Israeli settlers": the settlers, not Israel
        return actor

    def from_event(self, ev: Event) -> Iterator[Relation]:
        ctx = self.ctx
        if not 0 <= ev.sentence_index < len(ctx.sentences):
            return
        sent = ctx.sentences[ev.sentence_index]
        span = ctx.doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        if span is None:
            return
        trigger = span.root
        negated_base = str((ev.plover or {}).get("negated_cameo") or "")
        predicate, modality = None, ev.modality
        if ev.cameo.startswith("054") or negated_base.startswith("054"):
            negated = ev.modality == "negated" or negated_base.startswith("054")
            predicate = RECOGNITION[1] if negated else RECOGNITION[0]
            modality = "asserted" if ev.modality == "negated" else ev.modality
        elif ev.cameo.startswith("192"):
            lemma = _lemma(trigger)
            if lemma.startswith("annex"):
                predicate = "annexed"
            elif lemma in ("occupy", "occupation"):
                predicate = "occupies"  # "retook a village" is an event, not an occupation
        elif ev.cameo.startswith("163"):
            if trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and (
                    _lemma(trigger.head) not in words("sanction_light_verbs")):
                return  # "blocked new EU sanctions": sanctions that were not imposed
            predicate = "sanctions"
        elif ev.cameo.startswith("190") and _lemma(trigger).startswith("inva"):
            predicate = "at_war_with"
        if predicate is None:
            return
        source = self._party(ev.source, sent, SUBJECT_KINDS)
        target = self._party(ev.target, sent, _object_kinds(predicate))
        if source is None or target is None or source.code == target.code:
            return
        yield from self._emit([source], predicate, [target], ev.sentence_index, modality,
                              ctx.date_of(trigger))

    # -- text ---------------------------------------------------------------------------------

    def __call__(self, sent: Span, index: int) -> Iterator[Relation]:
        for tok in self.ctx.tokens_with(sent, folded=self.cues):
            lemma = _lemma(tok)
            if lemma in words("recognition_verbs") and tok.pos_ == "VERB":
                yield from self.recognise_verb(tok, index)
            elif lemma in words("recognition_nouns") and tok.pos_ in ("NOUN", "PROPN"):
                yield from self.recognition_noun(tok, index)
            elif lemma in words("sanction_nouns") and tok.pos_ == "NOUN":
                yield from self.sanction_noun(tok, index)
            elif lemma in self.triggers and tok.pos_ in ("VERB", "NOUN"):
                yield from self.generic(tok, self.triggers[lemma], index)
            elif lemma == "war" and tok.pos_ == "NOUN":
                yield from self.war(tok, index)

    def _emit(self, subjects: list[Mention] | list[Actor], predicate: str,
              objects: list[Mention] | list[Actor], index: int, modality: str,
              valid_from: str | None = None, valid_to: str | None = None) -> Iterator[Relation]:
        symmetric = predicate in words("symmetric")
        for s in subjects:
            for o in objects:
                sa = s.actor if isinstance(s, Mention) else s
                oa = o.actor if isinstance(o, Mention) else o
                if not sa.code or sa.code == oa.code or _same_state(sa, oa):
                    continue
                pairs = [(sa, oa), (oa, sa)] if symmetric else [(sa, oa)]
                for x, y in pairs:
                    yield self.ctx.relation(x, predicate, y, index, modality=modality,
                                            valid_from=valid_from, valid_to=valid_to)

    @staticmethod
    def _parties(mentions: list[Mention], predicate: str = "") -> list[Mention]:
        """The parties among ``mentions``: objects of ``predicate``, or subjects without one."""
        ok = _object_kinds(predicate) if predicate else SUBJECT_KINDS
        return [m for m in mentions if m.actor.kind in ok and m.label != "NORP"]

    def _noun_subjects(self, noun: Token) -> list[Mention]:
        """Who does what a noun names: "Russia's", "by Russia", "Russian", "EU sanctions"."""
        ctx = self.ctx
        found: list[Mention] = []
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                found += ctx.group(child)
        for tok in noun.subtree:
            if tok.dep_ == "agent" or (tok.dep_ == "prep" and tok.lower_ == "by"):
                found += ctx.group(next((c for c in tok.children if c.dep_ == "pobj"), None))
        if not found and noun.dep_ in ("dobj", "attr"):
            found = ctx.subjects(noun.head)  # "Russia announced its recognition of ..."
        return [m for m in found if m.actor.kind in SUBJECT_KINDS]

    def _recognised(self, head: Token | None) -> list[Mention]:
        """The entities recognised: the object itself or "the independence of X"."""
        if head is None:
            return []
        own = self._parties(self.ctx.group(head), RECOGNITION[0])
        if own:
            return own
        if _lemma(head) in words("recognition_objects"):
            found = self.ctx.group(self.ctx.pobj(head, "of"))
            found += [m for c in head.children if c.dep_ == "poss" for m in self.ctx.group(c)]
            return self._parties(found, RECOGNITION[0])
        return []

    def recognise_verb(self, verb: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        objects = self._recognised(obj)
        if obj is not None and obj.lower_ in ("which", "that") and verb.dep_ == "relcl":
            objects = self._parties(ctx.group(verb.head), RECOGNITION[0])
        subjects = self._parties(ctx.subjects(verb))
        yield from self._recognition(subjects, objects, verb, index)

    def _recognition(self, subjects: list[Mention], objects: list[Mention], trigger: Token,
                     index: int, negated: bool = False) -> Iterator[Relation]:
        """recognizes or does_not_recognize: the polarity is the statement's ("refuse to
        recognise" is a refusal even when demanded), the modality whether it is asserted."""
        modality = modality_at(trigger)
        if negated or is_negated(trigger):
            modality = "asserted" if modality == "negated" else modality
            yield from self._emit(subjects, RECOGNITION[1], objects, index, modality)
        else:
            yield from self._emit(subjects, RECOGNITION[0], objects, index, modality,
                                  self.ctx.date_of(trigger))

    def recognition_noun(self, noun: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        objects = self._parties(ctx.group(ctx.pobj(noun, "of")), RECOGNITION[0])
        subjects = self._noun_subjects(noun)
        yield from self._recognition(subjects, objects, noun, index,
                                     negated=_lemma(noun).startswith("non"))

    def generic(self, tok: Token, predicate: str, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        if tok.pos_ == "VERB":
            subjects, objects = ctx.subjects(tok), ctx.objects(tok)
        else:
            subjects, objects = self._noun_subjects(tok), ctx.group(ctx.pobj(tok, "of"))
        yield from self._emit(self._parties(subjects), predicate,
                              self._parties(objects, predicate), index,
                              modality_at(tok), ctx.date_of(tok))

    def sanction_noun(self, noun: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        targets = ctx.group(ctx.pobj(noun, "on", "against"))
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if verb is not None and not targets:
            targets = ctx.group(ctx.pobj(verb, "on", "against"))
        targets = self._parties(targets, "sanctions")
        if not targets:
            return
        lemma = _lemma(verb) if verb is not None else ""
        if verb is not None and lemma in words("sanction_light_verbs"):
            yield from self._emit(self._parties(ctx.subjects(verb)), "sanctions", targets, index,
                                  modality_at(verb), ctx.date_of(verb))
        elif lemma in words("sanction_end_verbs") and verb is not None:
            if modality_at(verb) == "asserted":
                yield from self._emit(self._parties(ctx.subjects(verb)), "sanctions", targets,
                                      index, "asserted", None, ctx.date_of(verb))
        elif verb is None or noun.dep_ != "dobj":  # "EU sanctions on Russia took effect"
            own = [m for c in noun.children if c.dep_ in ("compound", "amod", "poss", "nmod")
                   for m in ctx.group(c)]
            yield from self._emit(self._parties(own), "sanctions", targets, index,
                                  modality_at(noun))

    def war(self, noun: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        head = noun.head
        subjects: list[Mention] = []
        partners: list[Mention] = []
        verb: Token | None = None
        if noun.dep_ == "pobj" and head.lower_ == "at":  # "A is at war with B"
            verb = head.head
            subjects = ctx.subjects(verb)
            partners = ctx.group(ctx.pobj(noun, "with")) or ctx.group(ctx.pobj(verb, "with"))
        elif noun.dep_ == "dobj" and _lemma(head) in words("war_verbs"):  # "declared war on B"
            verb = head
            subjects = ctx.subjects(verb)
            partners = ctx.group(ctx.pobj(noun, "on", "against", "with")) or ctx.group(
                ctx.pobj(verb, "on", "against", "with"))
        elif noun.dep_ == "pobj" and head.lower_ == "to" and _lemma(head.head) == "go":
            verb = head.head
            subjects = ctx.subjects(verb)
            partners = ctx.group(ctx.pobj(noun, "with", "against")) or ctx.group(
                ctx.pobj(verb, "with", "against"))
        else:
            between = self._parties(ctx.group(ctx.pobj(noun, "between")), "at_war_with")
            if len(between) >= 2:
                yield from self._emit(between[:1], "at_war_with", between[1:], index,
                                      modality_at(noun))
            return
        subjects, partners = self._parties(subjects), self._parties(partners, "at_war_with")
        if not partners and len(subjects) >= 2:  # "A and B are at war"
            subjects, partners = subjects[:1], subjects[1:]
        modality = modality_at(verb)
        yield from self._emit(subjects, "at_war_with", partners, index, modality,
                              ctx.date_of(verb) if modality == "asserted" else None)



def _object_kinds(predicate: str) -> frozenset[str]:
    return PARTY_KINDS | {"person"} if predicate in _PERSON_OBJECTS else PARTY_KINDS


def _country_level(actor: Actor) -> bool:
    """A country or one of its sectors (KAZ, KAZGOV, BLRBUS), not a region or an armed group
    with a code of its own (UKRDPR, SDNRSF)."""
    code, country = actor.code or "", actor.country or ""
    return bool(country) and code in (country, f"{country}{actor.agent or ''}")


def _same_state(a: Actor, b: Actor) -> bool:
    """Two actors of one country at country level ("Kazakhstan" and "the Kazakh government"):
    no relation between them is a relation between parties."""
    return _country_level(a) and _country_level(b) and a.country == b.country
