"""Resolving every actor mention in a parsed article to a canonical actor.

A mention resolves, in this order, by
(a) an exact dictionary match (the ruler's ``ent_id_``): countries, IGOs, leaders, regions, seats
    and named institutions ("the Knesset" → ISRLEG);
(b) a role phrase with a country: "the Russian army" → RUSMIL, "the Cabinet of Ministers of
    Kazakhstan" → KAZGOV, "Kazakhstan's foreign minister", "Deputy Prime Minister X";
(c) coreference inside the article: a surname takes the actor of the earlier full name;
(d) nationality adjectives ("Russian involvement" → RUS) and plural demonyms ("Palestinians" →
    PSECVL).
A named entity that none of these resolves is kept with ``code`` None and its NER label: a code is
never invented.

Country inference for a role phrase without a country of its own ("the police") looks at the
sentence and up to two sentences before it in the same paragraph: if exactly one state is named
as an actor there, that state; else the article's dominant state (one with at least half of the
article's state mentions); else the code is ``---`` + agent (Phoenix's convention for an unknown
country). A capital named as a place ("talks in Astana") is not evidence of whose actor it is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from spacy.attrs import LEMMA, LOWER, ORTH, SPACY
from spacy.tokens import Doc, Span, Token

from diurna.actors.agent_starts import agent_starts
from diurna.actors.dictionary import ActorDictionary, Entry, load_dictionary
from diurna.article import Actor, Entity
from diurna.nlp.columns import doc_text, int_columns, string_columns

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
# Longest agent phrase, in tokens ("ministry of foreign affairs").
MAX_AGENT_TOKENS = 4
# How far left of a name a title may start ("Venezuelan opposition leader María Machado").
MAX_TITLE_TOKENS = 6
# A state that has at least this share of an article's state mentions is its dominant state.
DOMINANT_SHARE = 0.5
# A role phrase without a country looks this many sentences back for one.
CONTEXT_SENTENCES = 2
# Agents that act for a state; other agents (civilians, rebels, media...) are groups.
STATE_AGENTS = {"GOV", "MIL", "COP", "LEG", "JUD", "SPY"}
# A capital city is a place, not an actor, as the object of these prepositions.
PLACE_PREPOSITIONS = {"in", "at", "to", "from", "near", "into", "across", "outside", "inside",
                      "around", "via", "through", "toward", "towards"}
_TITLE_POS = {"PROPN", "NOUN", "ADJ", "PART", "PUNCT"}


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
        if not office.agent:  # an office in an international organisation
            return Actor(text, entry.name, office.country, None, None, "person")
        return Actor(text, entry.name, f"{office.country}{office.agent}", office.country,
                     office.agent, "person")
    # A former office holder is a political elite of their country, not its government.
    country = entry.country
    return Actor(text, entry.name, f"{country}ELI" if country else None, country, "ELI", "person")


def _is_place(ent: Span) -> bool:
    root = ent.root
    if root.dep_ != "pobj" or root.head.lower_ not in PLACE_PREPOSITIONS:
        return False
    return not (root.head.lower_ == "to" and root.head.head.lower_ == "according")


def _ents_in(ents: list[Span], sent: Span) -> list[Span]:
    """``sent.ents`` from the Doc's entities read once (``Span.ents`` reads them all again)."""
    out = []
    for ent in ents:
        if ent.start >= sent.start:
            if ent.end <= sent.end:
                out.append(ent)
            else:
                break
    return out


class Resolver:
    def __init__(self, doc: Doc, day: dt.date | None, d: ActorDictionary | None = None) -> None:
        self.doc = doc
        self.day = day
        self.d = d or load_dictionary()
        self.sentences = list(doc.sents)
        # Token -> sentence index, the same as ``token.sent`` (which walks the Doc each time).
        self.sent_of = [0] * len(doc)
        for k, sent in enumerate(self.sentences):
            self.sent_of[sent.start : sent.end] = [k] * (sent.end - sent.start)
        # Per token, read once in bulk (a Token object per read is what costs): text, text with
        # its trailing whitespace, lower-cased text, casefolded lemma.
        self.orth, self.lower, lemmas = string_columns(doc, ORTH, LOWER, LEMMA)
        (spaces,) = int_columns(doc, SPACY)
        self.orth_ws = [o + " " if s else o for o, s in zip(self.orth, spaces, strict=True)]
        self.lemma = [lemma.casefold() for lemma in lemmas]
        self.ents = list(doc.ents)
        self.starts = agent_starts(self.d.agents)
        self.agent_cache: dict[int, tuple[int, str, str | None] | None] = {}
        self.states_cache: dict[int, set[str]] = {}
        self.ent_at: dict[int, Span] = {t: e for e in self.ents for t in range(e.start, e.end)}
        self.people: list[Actor] = []
        self.dominant = self._dominant_state()

    # -- helpers ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return doc_text(self.doc)

    def _sentence_of(self, token: Token) -> int:
        return self.sent_of[token.i]

    def _entry(self, ent: Span) -> Entry | None:
        return self.d.entries.get(ent.ent_id_.split("|")[-1])

    def _state_of_entity(self, ent: Span, *, as_actor: bool = False) -> str | None:
        entry = self._entry(ent)
        if entry is None and ent.label_ == "GPE" and ent.text in self.d.ambiguous:
            entry = self.d.entries[self.d.ambiguous[ent.text]]
        if entry and entry.kind in ("state", "capital", "seat"):
            if as_actor and entry.kind == "capital" and _is_place(ent):
                return None
            return entry.country
        return None

    def _dominant_state(self) -> str | None:
        counts = Counter(c for e in self.ents if (c := self._state_of_entity(e)))
        if not counts:
            return None
        country, n = counts.most_common(1)[0]
        return country if n / sum(counts.values()) >= DOMINANT_SHARE else None

    def _agent_at(self, i: int) -> tuple[int, str, str | None] | None:
        """Longest agent phrase starting at token ``i``: (end, agent, default country)."""
        if i in self.agent_cache:
            return self.agent_cache[i]
        found = None
        if self.starts.may_start(self.orth[i].casefold(), self.orth_ws[i] != self.orth[i],
                                 self.lemma[i]):
            found = self._agent_phrase(i)
        self.agent_cache[i] = found
        return found

    def _agent_phrase(self, i: int) -> tuple[int, str, str | None] | None:
        for n in range(MAX_AGENT_TOKENS, 0, -1):
            if i + n > len(self.doc):
                continue
            last = i + n - 1  # the span's text, as Span.text joins it
            text = "".join(self.orth_ws[i:last]) + self.orth[last]
            for form in (text.casefold(), " ".join(self.lemma[i : i + n])):
                if form in self.d.agents:
                    agent, _role, country = self.d.agents[form]
                    return i + n, agent, country
        return None

    def _state_modifiers(self, tokens: list[Token]) -> list[tuple[str, Span]]:
        """States named as modifiers of ``tokens``: "Russian", "Kazakhstan's", "of Kazakhstan",
        a person's name ("Mamin Cabinet"), or a state name right before the phrase."""
        candidates: list[Token] = []
        for tok in tokens:
            # Left modifiers, with their coordinations ("Kyrgyz and Tajik officials").
            candidates.extend(t for t in tok.subtree if t.i < tokens[0].i)
            for child in tok.children:
                # "the Cabinet of Ministers of Kazakhstan", "refugees from Syria"
                if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                    candidates.extend(c for c in child.children if c.dep_ == "pobj")
        if tokens[0].i > 0:
            candidates.append(self.doc[tokens[0].i - 1])
        found: list[tuple[str, Span]] = []
        for cand in candidates:
            ent = self.ent_at.get(cand.i)
            if ent is None or any(ent == e for _, e in found):
                continue
            country = self._state_of_entity(ent)
            if country is None and ent.label_ == "PERSON":
                country = self._resolve_person(ent).country
            if country:
                found.append((country, ent))
        return found

    def _context_state(self, token: Token) -> str | None:
        """The one state named as an actor in the sentence, else in one of the sentences just
        before it in the same paragraph, else the article's dominant state."""
        index = self._sentence_of(token)
        for k in range(index, max(-1, index - CONTEXT_SENTENCES - 1), -1):
            sent = self.sentences[k]
            if k < index and "\n" in self.text[sent.end_char : self.sentences[k + 1].start_char
                                                + 1]:
                break  # do not look across a paragraph break
            states = self._sentence_states(k)
            if len(states) == 1:
                return next(iter(states))
            if states:
                break  # several states: ambiguous
        return self.dominant

    def _sentence_states(self, k: int) -> set[str]:
        """The states named as actors in sentence ``k`` (computed once per sentence)."""
        states = self.states_cache.get(k)
        if states is None:
            sent = self.sentences[k]
            states = {c for e in _ents_in(self.ents, sent)
                      if (c := self._state_of_entity(e, as_actor=True))}
            self.states_cache[k] = states
        return states

    def _subject_state(self, head: Token) -> str | None:
        """The state of the subject of the verb that ``head`` is an object of, if any."""
        verb = head.head
        if head.dep_ == "pobj":
            verb = verb.head
        if head.dep_ not in ("dobj", "pobj", "dative", "attr", "oprd") or verb.pos_ not in (
            "VERB", "AUX"
        ):
            return None
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                ent = self.ent_at.get(child.i)
                if ent is not None:
                    return self._state_of_entity(ent) or (
                        self._resolve_person(ent).country if ent.label_ == "PERSON" else None
                    )
        return None

    def _conjunct_state(self, head: Token) -> str | None:
        """"The Congolese government and the rebels": a role phrase coordinated with a state's
        actor belongs to that state."""
        for conj in head.conjuncts:
            ent = self.ent_at.get(conj.i)
            if ent is not None and (country := self._state_of_entity(ent)):
                return country
            states = self._state_modifiers([conj])
            if states:
                return states[0][0]
        return None

    def _people_republics(self) -> list[_Mention]:
        """"The Donetsk and Luhansk people's republics": each name with "People's Republic"."""
        out: list[_Mention] = []
        for i, lower in enumerate(self.lower):
            if lower != "people" or i + 2 >= len(self.doc):
                continue
            tok = self.doc[i]
            if tok.i in self.ent_at and self.ent_at[tok.i].ent_id_:
                continue  # already the full name ("Donetsk People's Republic")
            if self.doc[tok.i + 1].lower_ != "'s" or not self.doc[tok.i + 2].lower_.startswith(
                "republic"
            ):
                continue
            j = tok.i - 1
            while j >= 0 and (self.doc[j].pos_ == "PROPN" or self.doc[j].lower_ in ("and", ",")):
                name = self.doc[j].text
                for key in self.d.aliases.get(f"{name} People's Republic", []):
                    entry = self.d.entries[key]
                    if entry.kind in ("region", "group"):
                        out.append(_Mention(j, j + 1, "GPE", _actor(entry, name, self.day),
                                            self._sentence_of(self.doc[j])))
                        break
                j -= 1
        return out

    def _inside_known_name(self, start: int, end: int) -> bool:
        """Tokens ``start:end`` lie inside a dictionary entity ("Donetsk People's Republic").

        A state name right before an IGO's generic name makes it the state's own body: "the
        Kazakhstan Security Council" is Kazakhstan's, though "Security Council" alone is the UN's.
        """
        for t in range(start, end):
            ent = self.ent_at.get(t)
            if ent is None or not ent.ent_id_:
                continue
            entry = self._entry(ent)
            if entry is not None and entry.kind == "igo" and ent.start > 0:
                modifier = self.ent_at.get(ent.start - 1)
                if modifier is not None and self._state_of_entity(modifier):
                    return False
            return True
        return False

    # -- persons ------------------------------------------------------------------------------

    def _title_before(self, ent: Span) -> Actor | None:
        """The actor a title gives a name: "Russian President Putin", "UN chief X"."""
        lo = ent.start
        while lo > 0 and ent.start - lo < MAX_TITLE_TOKENS and (
            self.doc[lo - 1].pos_ in _TITLE_POS and self.doc[lo - 1].lower_ not in (",", "the")
        ):
            lo -= 1
        window = list(self.doc[lo : ent.start])
        for j, _tok in enumerate(window):
            hit = self._agent_at(lo + j)
            if hit and hit[0] <= ent.start:
                _, agent, default = hit
                states = self._state_modifiers(window[j:] or window) or self._state_modifiers(
                    window
                )
                country = states[0][0] if states else default or self._context_state(ent.root)
                return Actor(ent.text, ent.text, f"{country or '---'}{agent}", country, agent,
                             "person")
        for child in ent.root.children:  # apposition: "X, Kazakhstan's foreign minister,"
            if child.dep_ == "appos":
                hit = self._agent_at(child.left_edge.i) or self._agent_at(child.i)
                if hit:
                    states = self._state_modifiers([child])
                    country = states[0][0] if states else hit[2] or self._context_state(ent.root)
                    return Actor(ent.text, ent.text, f"{country or '---'}{hit[1]}", country,
                                 hit[1], "person")
        return None

    def _igo_title(self, ent: Span) -> Actor | None:
        """"UN Secretary-General António Guterres" speaks for the UN, whatever else he was."""
        for tok in self.doc[max(0, ent.start - MAX_TITLE_TOKENS) : ent.start]:
            igo = self.ent_at.get(tok.i)
            entry = self._entry(igo) if igo is not None else None
            if entry is not None and entry.kind in ("igo", "ngo") and igo is not None and (
                igo.end == ent.start or self._agent_at(igo.end) is not None
            ):
                return Actor(ent.text, ent.text, entry.code, None, None, "person")
        return None

    def _earlier_person(self, ent: Span) -> Actor | None:
        """Coreference: "Tokayev" after "Kassym-Jomart Tokayev" is the same person."""
        surname = ent[-1].text
        for person in reversed(self.people):
            if person.name and surname in person.name.split():
                return Actor(ent.text, person.name, person.code, person.country, person.agent,
                             "person")
        return None

    def _resolve_person(self, ent: Span) -> Actor:
        igo_official = self._igo_title(ent)
        if igo_official is not None:
            return igo_official
        entry = self._entry(ent)
        if entry is not None:
            return _actor(entry, ent.text, self.day)
        titled = self._earlier_person(ent) or self._title_before(ent)
        return titled or Actor(ent.text, None, None, None, None, "person")

    # -- role phrases -------------------------------------------------------------------------

    def _role_mentions(self, i: int, end: int, agent: str, default: str | None) -> list[_Mention]:
        head = self.doc[end - 1]
        span_end = end
        if head.dep_ == "compound" and head.head.i >= end:
            if self._agent_at(head.head.i) or head.head.i in self.ent_at:
                return []  # "government troops": the head noun's own mention carries it
            span_end = head.head.i + 1  # "opposition supporters"
            head = head.head
        tokens = list(self.doc[i:span_end])
        states = self._state_modifiers(tokens)
        sentence = self._sentence_of(head)
        if len(states) > 1:  # "Indian and Chinese commanders": one actor per country
            return [
                _Mention(e.start, e.end, "AGENT", self._role_actor(e.text, c, agent), sentence)
                for c, e in states
            ]
        country: str | None
        if states:
            country, ent = states[0]
            lo, hi = min(i, ent.start), max(span_end, ent.end)
        else:
            country = default or self._conjunct_state(head)
            if country is None:
                country = self._context_state(head)
                if country is not None and country == self._subject_state(head):
                    # "Israel released the mayor", "Turkey took in refugees": the object of a
                    # state's act is not taken to be that state's own.
                    country = None
            lo, hi = i, span_end
        return [_Mention(lo, hi, "AGENT", self._role_actor(self.doc[lo:hi].text, country, agent),
                         sentence)]

    def _role_actor(self, text: str, country: str | None, agent: str) -> Actor:
        kind = "state" if country and agent in STATE_AGENTS else "group"
        return Actor(text, self.d.role_name(country, agent), f"{country or '---'}{agent}",
                     country, agent, kind)

    # -- main ---------------------------------------------------------------------------------

    def mentions(self) -> list[_Mention]:
        found = self._people_republics()
        taken: set[int] = {t for m in found for t in range(m.start, m.end)}
        # "people's republics" is part of those names, not a mention of civilians.
        taken |= {m.end + k for m in found for k in range(0, 8)
                  if m.end + k < len(self.doc) and self.doc[m.end + k].lower_ in ("people", "'s")}
        i = 0
        # Only where an agent phrase may start can there be a hit; every other token is passed
        # over, as a miss is.
        may_start = self.starts.may_start
        starts = [k for k, (o, ws, lemma) in enumerate(zip(self.orth, self.orth_ws, self.lemma,
                                                            strict=True))
                  if may_start(o.casefold(), ws != o, lemma)]
        for start in starts:
            if start < i:
                continue  # inside the phrase just found
            i = start
            hit = self._agent_at(i)
            if not hit:
                continue
            end, agent, default = hit
            head = self.doc[end - 1]
            ent = self.ent_at.get(head.i)
            skip = (
                (head.dep_ == "compound" and head.head.i in self.ent_at
                 and self.ent_at[head.head.i].label_ == "PERSON")  # a title before a name
                or (ent is not None and ent.label_ == "PERSON")
                or head.dep_ == "amod"  # "a military alliance"
                or self._inside_known_name(i, end)  # "Donetsk People's Republic"
            )
            if not skip and not any(t in taken for t in range(i, end)):
                for m in self._role_mentions(i, end, agent, default):
                    found.append(m)
                    taken.update(range(m.start, m.end))
            i = end
        for ent in self.ents:
            if ent.label_ not in ACTOR_LABELS or any(t in taken for t in range(ent.start, ent.end)):
                continue
            actor = self._resolve_entity(ent)
            if actor.kind == "person" and actor.code:
                self.people.append(actor)
            found.append(_Mention(ent.start, ent.end, ent.label_, actor,
                                  self._sentence_of(ent.root)))
        found.sort(key=lambda m: m.start)
        self._share_agents(found)
        return found

    def _share_agents(self, found: list[_Mention]) -> None:
        """"Kyrgyz and Tajik officials": a bare nationality coordinated with a role phrase
        shares its agent, however the parser attached the coordination."""
        by_start = {m.start: m for m in found}
        for m in found:
            if m.label != "NORP" or m.actor.agent or not m.actor.country:
                continue
            if m.end + 1 < len(self.doc) and self.doc[m.end].lower_ in ("and", "or", ","):
                role = by_start.get(m.end + 1)
                if role is not None and role.label == "AGENT" and role.actor.agent:
                    m.actor = self._role_actor(m.actor.text, m.actor.country, role.actor.agent)

    def _resolve_entity(self, ent: Span) -> Actor:
        entry = self._entry(ent)
        if entry is None and ent.label_ in ("GPE", "LOC") and ent.text in self.d.ambiguous:
            entry = self.d.entries[self.d.ambiguous[ent.text]]
        if ent.ent_id_.startswith("adj|") and entry is not None:
            if ent.text in self.d.demonyms and ent.root.pos_ in ("NOUN", "PROPN") and (
                ent.root.dep_ not in ("amod", "compound")
            ):  # "Palestinians" as people, not "Palestinian" as a modifier
                return Actor(ent.text, entry.name, f"{entry.country}CVL", entry.country, "CVL",
                             "group")
            return _actor(entry, ent.text, self.day)
        if entry is not None and entry.kind == "capital" and (
            _is_place(ent) or ent.root.dep_ in ("compound", "amod")  # "the Beijing Olympics"
        ):
            return Actor(ent.text, entry.name, None, entry.country, None, "place")
        if entry is not None:
            return _actor(entry, ent.text, self.day)
        if ent.label_ == "PERSON":
            return self._resolve_person(ent)
        # The model sometimes labels a surname seen before as NORP or ORG.
        return self._earlier_person(ent) or Actor(ent.text, None, None, None, None, "unknown")


def resolve_entities(doc: Doc, published: str | None) -> list[Entity]:
    """Every actor mention of ``doc`` as an :class:`Entity` with its resolved :class:`Actor`."""
    day = None
    if published:
        try:
            day = dt.date.fromisoformat(published[:10])
        except ValueError:
            day = None
    out = []
    for m in Resolver(doc, day).mentions():
        span = doc[m.start : m.end]
        out.append(
            Entity(span.text, span.start_char, span.end_char, m.label, m.sentence_index, m.actor)
        )
    return out
