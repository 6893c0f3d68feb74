"""Resolving every actor mention in a parsed article to a canonical actor.

A mention resolves, in this order, by
(a) an exact dictionary match (the ruler's ``ent_id_``): countries, IGOs, leaders, regions, seats;
(b) a role phrase with a country: "the Russian army" → RUSMIL, "the Cabinet of Ministers of
    Kazakhstan" → KAZGOV, "Kazakhstan's foreign minister", "Deputy Prime Minister X";
(c) coreference inside the article: a surname or a bare title ("Tokayev", "the President") takes
    the actor of the earlier full mention;
(d) a nationality adjective ("Russian involvement" → RUS).
A named entity that none of these resolves is kept with ``code`` None and its NER label: a code is
never invented.

Country inference for a role phrase without a country of its own ("the police") is limited to the
sentence: if exactly one state is named in it, that state; else the article's dominant state (one
that has at least half of the article's state mentions); else the code is ``---`` + agent (Phoenix's
convention for an unknown country).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from diurna.actors.dictionary import ActorDictionary, Entry, load_dictionary
from diurna.article import Actor, Entity

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
# Longest agent phrase, in tokens ("ministry of foreign affairs").
MAX_AGENT_TOKENS = 4
# A state that has at least this share of an article's state mentions is its dominant state.
DOMINANT_SHARE = 0.5
# Capital cities stand for their government only as an actor: subject, possessor or agent.
_ACTOR_DEPS = {"nsubj", "nsubjpass", "poss", "pobj", "conj", "appos"}


@dataclass
class _Mention:
    start: int  # token indices, end exclusive
    end: int
    label: str
    actor: Actor
    sentence_index: int


def _actor(entry: Entry, text: str, day: dt.date | None) -> Actor:
    if entry.kind != "person":
        kind = {"seat": "state", "capital": "state"}.get(entry.kind, entry.kind)
        return Actor(text, entry.name, entry.code, entry.country, entry.agent, kind)
    offices = list(entry.offices)
    current = [o for o in offices if day is None or o.holds_on(day)]
    if day is None:  # no date: the latest office
        current = sorted(offices, key=lambda o: o.start or dt.date.min)[-1:]
    if current:
        office = current[0]
        return Actor(text, entry.name, f"{office.country}{office.agent}", office.country,
                     office.agent, "person")
    # A former office holder is a political elite of their country, not its government.
    country = entry.country
    return Actor(text, entry.name, f"{country}ELI" if country else None, country, "ELI", "person")


class Resolver:
    def __init__(self, doc: Doc, day: dt.date | None, d: ActorDictionary | None = None) -> None:
        self.doc = doc
        self.day = day
        self.d = d or load_dictionary()
        self.sent_index = {s.start: i for i, s in enumerate(doc.sents)}
        self.people: list[Actor] = []
        self.roles: dict[int, str] = {}  # token index of a person's root → role agent
        self.dominant = self._dominant_state()

    # -- helpers ------------------------------------------------------------------------------

    def _sentence_of(self, token: Token) -> int:
        return self.sent_index.get(token.sent.start, 0)

    def _state_of_entity(self, ent: Span) -> str | None:
        key = ent.ent_id_.removeprefix("adj|")
        entry = self.d.entries.get(key)
        if entry and entry.kind in ("state", "capital", "seat"):
            return entry.country
        return None

    def _dominant_state(self) -> str | None:
        counts = Counter(c for e in self.doc.ents if (c := self._state_of_entity(e)))
        if not counts:
            return None
        country, n = counts.most_common(1)[0]
        return country if n / sum(counts.values()) >= DOMINANT_SHARE else None

    def _agent_at(self, i: int) -> tuple[int, str, str] | None:
        """Longest agent phrase starting at token ``i``: (end, agent, role)."""
        for n in range(MAX_AGENT_TOKENS, 0, -1):
            if i + n > len(self.doc):
                continue
            span = self.doc[i : i + n]
            for form in (span.text.casefold(), " ".join(t.lemma_.casefold() for t in span)):
                if form in self.d.agents:
                    agent, role = self.d.agents[form]
                    return i + n, agent, role
        return None

    def _country_near(self, tokens: list[Token]) -> tuple[str | None, int, int]:
        """A state named as a modifier of ``tokens`` ("Russian", "Kazakhstan's", "of Kazakhstan")."""
        lo, hi = tokens[0].i, tokens[-1].i + 1
        candidates: list[Token] = []
        for tok in tokens:
            for child in tok.children:
                if child.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod"):
                    candidates.append(child)
                elif child.dep_ == "prep" and child.lower_ == "of":
                    candidates.extend(c for c in child.children if c.dep_ == "pobj")
        if lo > 0:
            candidates.append(self.doc[lo - 1])
        for cand in candidates:
            ent = self._ent_of(cand)
            if ent is None:
                continue
            country = self._state_of_entity(ent)
            if country is None and ent.label_ == "PERSON":  # "Mamin Cabinet"
                person = self._resolve_person(ent)
                country = person.country
            if country:
                return country, min(lo, ent.start), max(hi, ent.end)
        return None, lo, hi

    def _ent_of(self, token: Token) -> Span | None:
        for ent in self.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent
        return None

    def _sentence_state(self, token: Token) -> str | None:
        states = {c for e in token.sent.ents if (c := self._state_of_entity(e))}
        if len(states) == 1:
            return next(iter(states))
        return self.dominant

    # -- persons ------------------------------------------------------------------------------

    def _title_before(self, ent: Span) -> tuple[str | None, str | None]:
        """(agent, country) from a title before a name: "Russian President Putin"."""
        i = ent.start - 1
        while i >= 0 and i >= ent.start - MAX_AGENT_TOKENS - 1:
            found = None
            for j in range(max(0, i - MAX_AGENT_TOKENS + 1), i + 1):
                hit = self._agent_at(j)
                if hit and hit[0] == i + 1:
                    found = (j, hit)
                    break
            if found:
                j, (_, agent, _) = found
                country, _, _ = self._country_near(list(self.doc[j : i + 1]))
                return agent, country
            if not self.doc[i].is_title:
                break
            i -= 1
        for child in ent.root.children:  # apposition: "X, Kazakhstan's foreign minister,"
            if child.dep_ == "appos":
                hit = self._agent_at(child.left_edge.i) or self._agent_at(child.i)
                if hit:
                    country, _, _ = self._country_near([child])
                    return hit[1], country
        return None, None

    def _resolve_person(self, ent: Span) -> Actor:
        entry_key = ent.ent_id_
        if entry_key in self.d.entries:
            return _actor(self.d.entries[entry_key], ent.text, self.day)
        surname = ent[-1].text
        for person in reversed(self.people):  # coreference: "Tokayev" after "Kassym-Jomart Tokayev"
            if person.name and surname in person.name.split():
                return Actor(ent.text, person.name, person.code, person.country, person.agent,
                             "person")
        agent, country = self._title_before(ent)
        if agent:
            country = country or self._sentence_state(ent.root)
            code = f"{country or '---'}{agent}"
            return Actor(ent.text, ent.text, code, country, agent, "person")
        return Actor(ent.text, None, None, None, None, "person")

    # -- main ---------------------------------------------------------------------------------

    def mentions(self) -> list[_Mention]:
        found: list[_Mention] = []
        taken: set[int] = set()
        # 1. Role phrases (may absorb a country or person modifier into one mention).
        i = 0
        while i < len(self.doc):
            hit = self._agent_at(i)
            if not hit:
                i += 1
                continue
            end, agent, _role = hit
            head = self.doc[end - 1]
            ent = self._ent_of(head)
            if (head.dep_ == "compound" and self._ent_of(head.head) is not None) or (
                ent is not None and ent.label_ == "PERSON"
            ):
                i = end  # a title before a name: the person's mention carries it
                continue
            country, lo, hi = self._country_near(list(self.doc[i:end]))
            if country is None and head.dep_ != "compound":
                country = self._sentence_state(head)
            code = f"{country or '---'}{agent}"
            actor = Actor(self.doc[lo:hi].text, None, code, country, agent,
                          "state" if country else "group")
            found.append(_Mention(lo, hi, "AGENT", actor, self._sentence_of(head)))
            taken.update(range(lo, hi))
            i = max(end, hi)
        # 2. Named entities.
        for ent in self.doc.ents:
            if ent.label_ not in ACTOR_LABELS or any(t in taken for t in range(ent.start, ent.end)):
                continue
            actor = self._resolve_entity(ent)
            if actor is None:
                continue
            if actor.kind == "person" and actor.code:
                self.people.append(actor)
            found.append(_Mention(ent.start, ent.end, ent.label_, actor, self._sentence_of(ent.root)))
        return sorted(found, key=lambda m: m.start)

    def _resolve_entity(self, ent: Span) -> Actor | None:
        key = ent.ent_id_
        if key.startswith("adj|"):
            entry = self.d.entries.get(key[4:])
            return _actor(entry, ent.text, self.day) if entry else None
        entry = self.d.entries.get(key)
        if entry is not None and entry.kind == "capital":
            if ent.root.dep_ not in _ACTOR_DEPS or ent.root.head.lower_ in ("in", "at", "to", "from"):
                # A capital named as a place, not as an actor.
                return Actor(ent.text, entry.name, None, entry.country, None, "place")
            return _actor(entry, ent.text, self.day)
        if entry is not None:
            return _actor(entry, ent.text, self.day)
        if ent.label_ == "PERSON":
            return self._resolve_person(ent)
        return Actor(ent.text, None, None, None, None, "unknown")


def resolve_entities(doc: Doc, published: str | None) -> list[Entity]:
    """Every actor mention of ``doc`` as an :class:`Entity` with its resolved :class:`Actor`."""
    day = None
    if published:
        try:
            day = dt.date.fromisoformat(published[:10])
        except ValueError:
            day = None
    resolver = Resolver(doc, day)
    out = []
    for m in resolver.mentions():
        span = doc[m.start : m.end]
        out.append(
            Entity(span.text, span.start_char, span.end_char, m.label, m.sentence_index, m.actor)
        )
    return out
