"""The event coder: who did what to whom, from a parsed Doc and its resolved actor mentions.

Every verb and noun that a pattern of ``data/verb_patterns.jsonl`` matches is a *trigger*; its
source and target are the actors of the roles that the grammar and the pattern name, one event per
coordinated actor. A reported clause is a trigger of its own; a speech verb is coded only when a
pattern matches it. The rules are in ``docs/event-coding.md``; calibrated constants are below.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from diurna.actors.dictionary import load_dictionary
from diurna.article import Actor, Entity, Event
from diurna.article import Span as TextSpan
from diurna.events import ontology
from diurna.events.modality import HYPOTHETICAL, NEGATED, SUPPORT_VERBS, is_negated, modality_of
from diurna.events.patterns import Index, PatternMatch, could_match, lemma_of, match_details
from diurna.nlp.columns import string_columns

# Confidence of an event (see docs/event-coding.md): a pattern whose required preposition, object,
# particle or complement was found in the sentence, with both actors found, is the most reliable;
# a bare lemma with both actors less so; an event with no target (when the pattern expects one)
# least. Nominal triggers ("the annexation of Crimea by Russia") lose NOMINAL_PENALTY: their
# roles are read from prepositions and possessives, which the parser attaches less reliably.
CONFIDENCE_SPECIFIC = 0.9
CONFIDENCE_BARE = 0.7
CONFIDENCE_NO_TARGET = 0.5
NOMINAL_PENALTY = 0.1

# Roots whose source and target may be the same actor (a state protesting, coercing or
# assaulting inside its own borders is still an event); elsewhere such an event is dropped.
DOMESTIC_ROOTS = frozenset({"14", "17", "18"})
# Prepositions whose object is a verb's target when the pattern says "auto", in this order.
AUTO_TARGET_PREPS = ("to", "against", "on", "with", "at", "for")
# A locative "in" names the target only for deployments and aid delivered to a place
# ("deployed troops in Kazakhstan"): CAMEO roots 07 (provide aid) and 15 (force posture).
LOCATIVE_TARGET_ROOTS = frozenset({"07", "15"})
# Coordinated actors of these roots act on each other when the sentence names no other target:
# meeting, negotiating, signing, cooperating ("Greece and Turkey met", "A and B signed").
RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})
# Visits: the capital or country travelled to is the target ("arrived in Washington").
VISIT_ROOTS = frozenset({"04"})
VISIT_PREPS = ("to", "in")
# Prepositions whose object is an indirect object ("iobj" targets), in this order.
IOBJ_PREPS = ("to", "for")
# Prepositions whose object is a trigger noun's target, in order of preference.
NOUN_TARGET_PREPS = ("of", "against", "on", "to", "with", "at", "for")
# Dependencies that stay inside a noun phrase when looking for the actor it names.
_NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "npadvmod", "nummod", "flat"})
# Prepositions inside a noun phrase whose object tells whose the phrase is: "the Cabinet of
# Kazakhstan", "dissidents from Egypt", "rebels in Darfur", "a camp for Congolese refugees".
NP_PREPS = frozenset({"of", "from", "in", "for"})
MAX_NP_DEPTH = 4
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
# How far up the tree a source (through complements and conjuncts) or a speech verb is sought.
MAX_CLIMB = 4


def event_id(article_id: str, sentence_index: int, trigger_start: int, source: str | None,
             target: str | None, cameo: str) -> str:
    """A short stable id for an event: the same inputs always give the same id."""
    key = f"{article_id}:{sentence_index}:{trigger_start}:{source}:{target}:{cameo}"
    return "e-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


Found = tuple[Entity, Token]  # an actor mention and the token where it was found


class _Actors:
    """Looks up the resolved actor mention of a token or of the noun phrase it heads."""

    def __init__(self, doc: Doc, entities: Iterable[Entity]) -> None:
        self.by_token: dict[int, Entity] = {}
        self.tokens: dict[int, list[Token]] = {}  # id(entity) -> its tokens
        for ent in entities:
            self.tokens[id(ent)] = list(_tokens_in(doc, ent.start, ent.end))
            for tok in self.tokens[id(ent)]:
                current = self.by_token.get(tok.i)
                if current is None or (_code(current) is None and _code(ent) is not None):
                    self.by_token[tok.i] = ent

    def covers(self, token: Token) -> bool:
        return token.i in self.by_token

    def covering(self, token: Token) -> Entity | None:
        ent = self.by_token.get(token.i)
        return ent if ent is not None and _code(ent) is not None else None

    def of_phrase(self, head: Token) -> Found | None:
        """The actor of the phrase headed by ``head``: its own, else the nearest in the phrase."""
        own = self.covering(head)
        if own is not None:
            return own, head
        frontier = [head]
        depth = 0
        while frontier and depth < MAX_NP_DEPTH:
            nxt: list[tuple[int, Token]] = []  # (0 modifier | 1 prepositional object, token)
            for tok in frontier:
                for child in tok.children:
                    if child.dep_ in _NP_DEPS:
                        nxt.append((0, child))
                    elif child.dep_ == "prep" and child.lower_ in NP_PREPS:
                        nxt.extend((1, c) for c in child.children if c.dep_ == "pobj")
            nxt.sort(key=lambda pt: (pt[0], abs(pt[1].i - head.i)))
            for _, tok in nxt:
                ent = self.covering(tok)
                if ent is not None:
                    return ent, tok
            frontier, depth = [t for _, t in nxt], depth + 1
        return None

    def of_coordination(self, head: Token) -> list[Found]:
        """The actors of ``head``'s phrase and of every phrase coordinated with it."""
        out: list[Found] = []
        for member in sorted({head, *head.conjuncts}, key=lambda t: t.i):
            found = self.of_phrase(member)
            if found is None:
                continue
            out.append(found)
            # conjuncts of the mention's words: "the Donetsk and Lugansk decision", and a name
            # whose first word the parser made the head ("Barack Obama and Vladimir Putin")
            words = self.tokens.get(id(found[0]), [found[1]])
            others = {c for w in words for c in w.conjuncts if c not in words}
            for other in sorted(others, key=lambda t: t.i):
                extra = self.of_phrase(other)
                if extra is not None:
                    out.append(extra)
        unique: dict[tuple[int, int], Found] = {}
        for ent, tok in out:
            unique.setdefault((ent.start, ent.end), (ent, tok))
        return list(unique.values())


def _tokens_in(doc: Doc, start: int, end: int) -> Iterable[Token]:
    span: Span | None = doc.char_span(start, end, alignment_mode="expand")
    return iter(span) if span is not None else (t for t in doc if start <= t.idx < end)


def _code(item: Entity | Actor | None) -> str | None:
    """The actor code of a mention or an actor, if any."""
    actor = item.actor if isinstance(item, Entity) else item
    return actor.code if actor is not None else None


def _copy(ent: Entity | None) -> Actor | None:
    """A copy of the mention's actor, so that events never share it with the entity."""
    return dataclasses.replace(ent.actor) if ent is not None and ent.actor is not None else None


def _child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _pobj(prep: Token) -> Token | None:
    return _child(prep, "pobj", "pcomp")


def _prep_objects(token: Token, words: Sequence[str]) -> list[Token]:
    """Objects of ``token``'s prepositions spelled ``words``, in the order of ``words``."""
    out: list[Token] = []
    for word in words:
        for child in token.children:
            if child.dep_ in ("prep", "dative") and child.lower_ == word:
                obj = _pobj(child)
                if obj is not None:
                    out.append(obj)
    return out


class _Coder:
    def __init__(self, doc: Doc, entities: Iterable[Entity],
                 context: Mapping[int, str] | None = None) -> None:
        self.doc = doc
        self.actors = _Actors(doc, entities)
        self.context = context or {}

    def implicit_protest(self, token: Token, sentence_index: int) -> tuple[Found, Found] | None:
        """"The protests turned into riots": a protest noun with no actor is the protest of the
        country the passage is about, against its government (the gold's convention)."""
        country = self.context.get(sentence_index)
        if country is None:
            return None
        span = (token.text, token.idx, token.idx + len(token.text))

        def implied(agent: str) -> Found:
            name = load_dictionary().role_name(country, agent)
            actor = Actor(token.text, name, f"{country}{agent}", country, agent,
                          "group" if agent == "CVL" else "state")
            return Entity(*span, "IMPLIED", sentence_index, actor), token

        return implied("CVL"), implied("GOV")

    # -- roles of verbs ----------------------------------------------------------------------

    def verb_source(self, verb: Token, depth: int = 0) -> list[Found]:
        """The subject's actors; a passive's ``by`` phrase; climbing xcomp/conj chains."""
        if depth > MAX_CLIMB:
            return []
        if _child(verb, "nsubjpass", "auxpass") is not None:
            agent = _child(verb, "agent")
            by = _pobj(agent) if agent is not None else None
            return self.actors.of_coordination(by) if by is not None else []
        # The parser sometimes gives a verb two subjects (a dateline's place and the real one:
        # "ALMATY, March 3 - Kazakhstan will not recognise ..."): the first with an actor wins.
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        subject = subjects[0] if subjects else None
        for candidate in subjects[1:]:
            if subject is not None and not self.actors.of_coordination(subject) and (
                self.actors.of_coordination(candidate)
            ):
                subject = candidate
        if subject is not None:
            if subject.tag_ in _RELATIVE_TAGS and verb.dep_ == "relcl":
                subject = verb.head  # "the country that invaded" -> "country"
            found = self.actors.of_coordination(subject)
            if found or subject.pos_ not in ("PRON", "NOUN"):
                return found
        if verb.dep_ == "xcomp":
            controller = _child(verb.head, "dobj")  # "urged Russia to withdraw"
            if controller is not None:
                found = self.actors.of_coordination(controller)
                if found:
                    return found
            return self.verb_source(verb.head, depth + 1)
        if verb.dep_ == "conj" or (verb.dep_ == "advcl" and subject is None):
            return self.verb_source(verb.head, depth + 1)
        return []

    def verb_target(self, verb: Token, pm: PatternMatch) -> list[Found]:
        kind = pm.pattern.target
        if kind == "none":
            return []
        passive = _child(verb, "nsubjpass") is not None
        direct = [_child(verb, "nsubjpass")] if passive else [_child(verb, "dobj")]
        # An indirect object: "gave Ukraine aid" (a noun), else a "to" or "for" object.
        dative = [c if c.pos_ != "ADP" else _pobj(c) for c in verb.children if c.dep_ == "dative"]
        dative += _prep_objects(verb, IOBJ_PREPS)
        ordered: list[Token | None]
        if kind == "dobj":
            ordered = direct
        elif kind == "iobj":
            ordered = dative
        elif kind == "prep" and pm.prep is not None:
            ordered = [_pobj(pm.prep)]
        else:  # auto, or a "prep" target without a preposition to read it from
            preps = list(AUTO_TARGET_PREPS)
            if pm.pattern.cameo[:2] in LOCATIVE_TARGET_ROOTS:
                preps.append("in")
            obj = direct[0]
            ordered = [*direct, *dative, *_prep_objects(verb, preps)]
            if obj is not None:
                ordered += _prep_objects(obj, preps)  # "deployed troops in Kazakhstan"
            clause = _child(verb, "ccomp")
            if clause is not None and obj is None:  # "demanded that the US cancel ..."
                ordered.append(_child(clause, "nsubj", "nsubjpass"))
        for tok in ordered:
            if tok is not None:
                found = self.actors.of_coordination(tok)
                if found:
                    return found
        if pm.complement is not None and kind in ("auto", "dobj"):
            comp = dataclasses.replace(pm, complement=None)
            return self.verb_target(pm.complement, comp)  # "agreed to meet Ukraine"
        return []

    def destination(self, token: Token) -> list[Found]:
        """A capital or country named as where a visit goes, as a state target."""
        for obj in _prep_objects(token, VISIT_PREPS):
            ent = self.actors.by_token.get(obj.i)
            if ent is None or ent.actor is None:
                continue
            actor = ent.actor
            if actor.kind == "place" and actor.country:
                state = Actor(ent.text, actor.name, actor.country, actor.country, None, "state")
                return [(dataclasses.replace(ent, actor=state), obj)]
        return []

    # -- roles of nouns -----------------------------------------------------------------------

    def speech_clause(self, noun: Token) -> tuple[Token | None, Token | None]:
        """(speech verb, reported clause verb) governing a nominal accusation, if any."""
        tok = noun
        for _ in range(MAX_CLIMB):
            if tok.head.i == tok.i:
                break
            if tok.dep_ == "ccomp":
                return tok.head, tok
            tok = tok.head
        if noun.dep_ in ("dobj", "oprd", "attr") and noun.head.pos_ in ("VERB", "AUX"):
            return noun.head, None
        return None, None

    def noun_roles(self, noun: Token, pm: PatternMatch) -> tuple[list[Found], list[Found]]:
        """(sources, targets) of a trigger noun."""
        own: list[Found] = []  # the noun's own actor: possessor, "by" phrase, modifier
        poss = _child(noun, "poss")
        # "by" on the noun, or on its "of" object: "a breach of its sovereignty by Russia"
        of_objects = _prep_objects(noun, ("of",))
        # ... or on a conjunct of the "of" object, where the parser often hangs it: "recognition
        # of the DPR and the LPR by Kazakhstan" attaches "by" to "LPR".
        of_objects += [c for o in of_objects for c in o.conjuncts]
        by = next(iter(_prep_objects(noun, ("by",)) + [
            b for o in of_objects for b in _prep_objects(o, ("by",))]), None)
        if poss is not None:
            own = self.actors.of_coordination(poss)
        if not own and by is not None:
            own = self.actors.of_coordination(by)
        if not own:
            for child in noun.children:
                if child.dep_ in ("compound", "amod") and self.actors.covering(child):
                    own = self.actors.of_coordination(child)
                    break
        source, targets = own, []
        if pm.pattern.speech_source:
            # "X stated that Russian involvement was a breach": X accuses; the noun's own actor,
            # else the reported clause's subject, is accused.
            speech, clause = self.speech_clause(noun)
            source = self.verb_source(speech) if speech is not None else []
            targets = own
            subject = _child(clause, "nsubj", "nsubjpass") if clause is not None else None
            if not targets and subject is not None and subject is not noun:
                targets = self.actors.of_coordination(subject)
        elif not source and noun.dep_ == "dobj" and lemma_of(noun.head) in SUPPORT_VERBS:
            source = self.verb_source(noun.head)  # "Russia launched an attack on Ukraine"
        if pm.pattern.target == "none":
            return source, []
        if not targets:
            if pm.pattern.target == "prep" and pm.prep is not None:
                candidates = [_pobj(pm.prep)]
            elif pm.pattern.target == "iobj":
                candidates = list(_prep_objects(noun, IOBJ_PREPS))
            else:
                candidates = list(_prep_objects(noun, NOUN_TARGET_PREPS))
            for tok in candidates:
                if tok is not None and (found := self.actors.of_coordination(tok)):
                    targets = found
                    break
        source_spans = {(e.start, e.end) for e, _ in source}
        return source, [t for t in targets if (t[0].start, t[0].end) not in source_spans]

    # -- events -------------------------------------------------------------------------------

    def code_trigger(self, token: Token, pm: PatternMatch, *, article_id: str,
                     sentence_index: int) -> list[Event]:
        nominal = pm.pattern.pos == "NOUN"
        if nominal:
            sources, targets = self.noun_roles(token, pm)
        else:
            sources, targets = self.verb_source(token), self.verb_target(token, pm)
        sources = [s for s in sources if _code(s[0])]
        if not sources and nominal and pm.pattern.cameo.startswith("14"):
            implied = self.implicit_protest(token, sentence_index)
            if implied is not None:
                sources, targets = [implied[0]], targets or [implied[1]]
        if not sources:
            return []  # no source actor: never invented
        base = pm.pattern.cameo
        modality = modality_of(token, self.doc)
        negated = is_negated(token)
        if pm.complement is not None and is_negated(pm.complement):
            negated = True  # "vowed not to return": the complement carries the negation
            if modality != HYPOTHETICAL:
                modality = NEGATED
        # A negated act is never coded as the act: a hypothetical refusal is still a refusal.
        code, negated_base = base, None
        if negated and (rejection := ontology.rejection_code(base)) is not None:
            code, negated_base = rejection, base
        info = ontology.cameo(code)
        plover: dict[str, str | None] = dict(ontology.plover(code))
        if negated_base is not None:
            plover["negated_cameo"] = negated_base
        if not targets and info.root in VISIT_ROOTS:
            targets = self.destination(token)  # "travel to Beijing", "a visit to Kyiv"
        needs_target = pm.pattern.target != "none"
        out: list[Event] = []
        pairs: list[tuple[Entity, Entity | None]] = [
            (s[0], t[0]) for s in sources for t in targets
        ]
        if not pairs and info.root in RECIPROCAL_ROOTS and len({_code(s[0]) for s in sources}) > 1:
            # "Ukraine and Moldova signed a memorandum": each acts on the other.
            pairs = [(a[0], b[0]) for a in sources for b in sources if _code(a[0]) != _code(b[0])]
        pairs = pairs or [(s[0], None) for s in sources]
        for src_ent, tgt_ent in pairs:
            src_code = _code(src_ent)
            tgt_code = _code(tgt_ent) if tgt_ent is not None else None
            if tgt_code is not None and tgt_code == src_code and info.root not in DOMESTIC_ROOTS:
                continue  # an actor acting on itself: only protest, coercion, assault
            if tgt_code is not None or not needs_target:
                conf = CONFIDENCE_SPECIFIC if pm.specificity > 0 else CONFIDENCE_BARE
            else:
                conf = CONFIDENCE_NO_TARGET
            if nominal:
                conf -= NOMINAL_PENALTY
            out.append(Event(
                id=event_id(article_id, sentence_index, token.idx, src_code, tgt_code, code),
                sentence_index=sentence_index,
                trigger=TextSpan(token.text, token.idx, token.idx + len(token.text)),
                source=_copy(src_ent),
                target=_copy(tgt_ent) if tgt_code is not None else None,
                cameo=code,
                plover=plover.copy(),
                modality=modality,
                quad_class=info.quad_class,
                goldstein=info.goldstein,
                confidence=round(conf, 2),
                pattern_id=pm.pattern.id,
                rejection_cameo=code if negated_base is not None else None,
            ))
        return out


def code_events(doc: Doc, entities: Sequence[Entity], *, article_id: str,
                sentence_offset_base: int = 0, index: Index | None = None,
                context: Mapping[int, str] | None = None) -> list[Event]:
    """Every event that ``doc``'s sentences report, given the resolved actor mentions.

    ``entities`` carry character offsets into ``doc.text``; ``sentence_offset_base`` is added to
    each sentence's position in ``doc`` (for a Doc that is one part of a longer article).
    ``index`` (:func:`diurna.events.patterns.build_index`) replaces the packaged patterns.
    ``context`` maps a sentence index to the country the passage is about
    (:func:`diurna.actors.context.context_countries`); only protest nouns without an actor use it.
    """
    coder = _Coder(doc, entities, context)
    events: list[Event] = []
    # Most tokens (function words, names, most nouns) have no pattern at all: tell them from
    # their lemma and text read in bulk, without making a Token object of each.
    lemmas, lowers = string_columns(doc, LEMMA, LOWER)
    hopeful = [could_match(lemma, lower, index)
               for lemma, lower in zip(lemmas, lowers, strict=True)]
    for position, sent in enumerate(doc.sents):
        sentence_index = sentence_offset_base + position
        matches: list[tuple[Token, PatternMatch]] = []
        for i in range(sent.start, sent.end):
            if not hopeful[i]:
                continue  # match_details would find nothing
            token = doc[i]
            if token.pos_ in ("NOUN", "PROPN") and coder.actors.covers(token):
                continue  # a word of an actor's name ("Security" in "Security Council")
            # A nominal accusation read in reported speech needs a speech verb above it;
            # without one ("ceasefire breaches by X were reported") the next pattern codes it.
            pm = next((m for m in match_details(token, doc, index=index)
                       if not m.pattern.speech_source or coder.speech_clause(token)[0]), None)
            if pm is not None:
                matches.append((token, pm))
        # A subjectless complement that completed a pattern ("agree to *meet*") is part of it.
        consumed = {
            pm.complement.i for _, pm in matches
            if pm.complement is not None and _child(pm.complement, "nsubj", "nsubjpass") is None
        }
        # So is the object noun of a verb pattern that required it ("launched an investigation").
        consumed |= {
            c.i for tok, pm in matches if pm.pattern.pos == "VERB" and pm.pattern.object
            for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")
        }
        best: dict[tuple[str | None, str | None, str], Event] = {}
        for token, pm in matches:
            if token.i in consumed:
                continue
            for ev in coder.code_trigger(token, pm, article_id=article_id,
                                         sentence_index=sentence_index):
                key = (_code(ev.source), _code(ev.target), ev.cameo)
                if key not in best or ev.confidence > best[key].confidence:
                    best[key] = ev
        # An event without a target adds nothing next to the same act with one.
        targeted = {(src, cameo) for src, tgt, cameo in best if tgt is not None}
        kept = [ev for (src, tgt, cameo), ev in best.items()
                if tgt is not None or (src, cameo) not in targeted]
        events.extend(sorted(kept, key=lambda e: e.trigger.start))
    return events
