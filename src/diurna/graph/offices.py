"""``holds_office``: which person holds which office of which country (or organisation).

Representation: the subject is the person's actor (``Actor(kind="person")``, code as the actor
step resolved it, e.g. KAZGOV); the object is the office, an actor of kind ``office`` whose
``code`` and ``country`` are the state's ISO code (or the organisation's code), whose ``text`` is
the title as written and whose ``name`` is "<Role> of <Country>"::

    Actor(text="Deputy Prime Minister", name="Deputy Prime Minister of Kazakhstan",
          code="KAZ", country="KAZ", agent="GOV", kind="office")

The title is found

1. right before the name: "President Kassym-Jomart Tokayev", "Russian President Putin";
2. in an apposition: "Antony Blinken, the US Secretary of State," or "Kazakhstan's prime minister,
   Alikhan Smailov,";
3. after a copula or an appointment: "Tokayev is the president of Kazakhstan", "X became prime
   minister in 2019", "X was appointed foreign minister";
4. as a role phrase standing alone ("Deputy Prime Minister evaluated ...") when, in the same or
   the next two sentences, exactly one person is named whose dictionary office has that role in
   that country on the article's date; the evidence then runs over those sentences.

The country is the one named with the title ("Russian", "of Kazakhstan", "Kazakhstan's"), else the
person's resolved country. ``valid_from``/``valid_to`` are the dates the text gives ("became ...
in 2019"), else those of the actor dictionary's office with that role covering the article date
(for "former President X", the last such office that ended before it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from diurna.actors.dictionary import Entry, Office, load_dictionary
from diurna.article import Actor, Relation
from diurna.graph.context import Context, Mention, lexicon, modality_at
from diurna.graph.treaties import slug
from diurna.nlp.columns import doc_text

# How far left of a name a title may start ("Kazakhstan's First Deputy Prime Minister X").
MAX_TITLE_TOKENS = 7
# How many sentences after a lone role phrase its holder may be named.
ROLE_LOOKAHEAD = 2
_TITLE_POS = frozenset({"PROPN", "NOUN", "ADJ", "PART", "PUNCT", "NUM"})
_FORMER = frozenset({"former", "ex", "late", "then"})
_COPULAS = frozenset({"be", "become", "remain"})
_APPOINTED = frozenset({"appoint", "elect", "name", "reappoint", "re-elect", "install", "swear"})
_THE = ("United ", "Czech ", "Dominican ", "Central African ")
# Ranks that make another office of a title: "deputy foreign minister".
_RANK = re.compile(r"(?<![\w-])(first deputy|deputy|vice|assistant|acting|junior)[ -]$")
# Capitalised words that may stand before a title without naming another body ("Former
# President X", "Outgoing Prime Minister Y"); any other ("National Assembly president") does.
_QUALIFIERS = frozenset({"former", "ex", "late", "then", "outgoing", "incoming", "new", "interim",
                         "acting", "junior", "deputy", "vice", "first", "assistant", "senior",
                         "current", "incumbent", "caretaker", "-"})
_RANKS = ("first deputy", "deputy", "vice", "assistant", "acting")
# Words that may sit inside a title before a name: "Secretary of State Antony Blinken".
_TITLE_LINKS = frozenset({"of", "for"})


@lru_cache(maxsize=1)
def _titles() -> list[tuple[str, str, str, re.Pattern[str]]]:
    """(title, role, agent, pattern), longest title first."""
    table = {k: v for k, v in lexicon()["office_titles"].items() if not k.startswith("_")}
    return [(t, role, agent, re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])"))
            for t, (role, agent) in sorted(table.items(), key=lambda kv: -len(kv[0]))]


@dataclass
class _Title:
    text: str  # as written
    role: str
    agent: str
    country: str | None  # ISO3 or an IGO code
    former: bool = False


def _find_title(span: Span, *, at_end: bool = False) -> tuple[str, str, str, int] | None:
    """The longest office title in ``span``: (text, role, agent, char offset in the Doc). A
    rank written before it is part of the role: "deputy foreign minister"."""
    text = doc_text(span.doc)[span.start_char : span.end_char] if len(span) else span.text
    lower = text.lower()  # (Span.text would join the span's tokens again)
    for title, role, agent, pattern in _titles():
        if title not in lower:
            continue  # the pattern is the title between word boundaries: it cannot match
        for match in pattern.finditer(lower):
            if at_end and lower[match.end():].strip():
                continue
            begin = match.start()
            rank = _RANK.search(lower[:begin])
            if rank:
                begin = rank.start()
                role = f"{rank.group(1).title()} {role}"
            start = span.start_char + begin
            end = span.start_char + match.end()
            return doc_text(span.doc)[start:end], role, agent, start
    return None


def office_name(role: str, country: str) -> str:
    d = load_dictionary()
    if country in d.country_names:
        name = d.country_names[country]
        the = name.startswith(_THE) or name.endswith(("Republic", "Islands", "Emirates")) or (
            "Republic of" in name or name in ("Netherlands", "Philippines", "Bahamas", "Gambia")
        )
        return f"{role} of {'the ' if the else ''}{name}"
    igo = d.entries.get(f"igo:{country}")
    return f"{role} of the {igo.name}" if igo else f"{role} ({country})"


def person_entry(actor: Actor) -> Entry | None:
    if not actor.name:
        return None
    return load_dictionary().entries.get(f"person:{slug(actor.name)}")


def _person(actor: Actor, title: str) -> tuple[Actor, Entry | None]:
    """The person without a title the model read into the name ("Foreign Minister Wang Yi"),
    and their dictionary entry."""
    entry = person_entry(actor)
    if entry is None and actor.text.casefold().startswith(title.casefold() + " "):
        name = actor.text[len(title) :].strip()
        people = load_dictionary().people_named(name)
        entry = people[0] if len(people) == 1 else None
        actor = Actor(name, entry.name if entry else name, actor.code, actor.country, actor.agent,
                      actor.kind)
    return actor, entry


def _office_country(entry: Entry | None, title: _Title, day: dt.date | None) -> str | None:
    """The country of a title written without one ("President Putin"): the country of the
    person's dictionary office with that role (on the article's date if one covers it)."""
    if entry is None:
        return None
    office = matching_office(entry, title.role, None, day, former=title.former) or (
        matching_office(entry, title.role, None, None))
    return office.country if office else None


def _same_role(office: Office, role: str) -> bool:
    a, b = (" ".join(r.casefold().replace("-", " ").split()) for r in (office.role, role))
    if a.startswith(_RANKS) != b.startswith(_RANKS):
        return False  # a deputy minister is not the minister
    return a == b or a.endswith(b) or b.endswith(a)


def matching_office(entry: Entry | None, role: str, country: str | None, day: dt.date | None,
                    *, former: bool = False) -> Office | None:
    """The dictionary office of ``entry`` with this role and country on ``day``."""
    if entry is None:
        return None
    offices = [o for o in entry.offices if _same_role(o, role) and (
        country is None or o.country == country)]
    if former and day is not None:
        ended = [o for o in offices if o.end is not None and o.end < day]
        return max(ended, key=lambda o: o.end or dt.date.min) if ended else None
    if day is not None:
        return next((o for o in offices if o.holds_on(day)), None)
    return max(offices, key=lambda o: o.start or dt.date.min) if offices else None


class Offices:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.done: set[tuple[str, str, str]] = set()  # (person, role, country)
        self.persons = list(self._all_persons())

    def _all_persons(self) -> Iterator[Mention]:
        seen: set[int] = set()
        for m in self.ctx.by_token.values():
            if m.actor.kind == "person" and id(m) not in seen:
                seen.add(id(m))
                yield m

    def _other_body(self, window: Span, title_start: int) -> bool:
        """Capitalised words between the country and the title name another body: "French
        National Assembly president" is not the President of France."""
        for tok in window:
            if tok.idx >= title_start:
                break
            if self.ctx.at(tok) is None and tok.text[:1].isupper() and (
                    tok.lower_ not in _QUALIFIERS):
                return True
        return False

    def _is_person(self, token: Token) -> bool:
        mention = self.ctx.at(token)
        return mention is not None and mention.actor.kind == "person"

    # -- where the country of a title comes from ---------------------------------------------

    def _country_in(self, tokens: Span, person: Mention | None) -> str | None:
        for m in reversed(self.ctx.mentions_in(tokens)):
            if m is person or m.actor.kind == "person":
                continue
            if m.actor.kind == "igo":
                return m.code
            if m.actor.country:
                return m.actor.country
        return None

    def _title_for(self, person: Mention, sent: Span) -> tuple[_Title, dict[str, str]] | None:
        """The title given to ``person`` in its sentence, with extra relation fields."""
        doc = self.ctx.doc
        lo = person.start
        while lo > sent.start and person.start - lo < MAX_TITLE_TOKENS and (
            (doc[lo - 1].pos_ in _TITLE_POS and doc[lo - 1].lower_ not in (",", "the", "("))
            or (doc[lo - 1].lower_ in _TITLE_LINKS and lo - 1 > sent.start
                and doc[lo - 2].text[:1].isupper())
        ) and not self._is_person(doc[lo - 1]):
            lo -= 1
        window = doc[lo : person.start]
        former = any(t.lower_.strip("-") in _FORMER for t in window)
        inner = _find_title(doc[person.start : person.end])
        if inner and inner[3] == doc[person.start].idx:  # the model put the title in the name
            return _Title(inner[0], inner[1], inner[2], self._country_in(window, person),
                          former), {}
        found = _find_title(window, at_end=True) if len(window) else None
        if found and not self._other_body(window, found[3]):
            return _Title(found[0], found[1], found[2], self._country_in(window, person),
                          former), {}
        root = doc[person.end - 1]
        while root.head.i in range(person.start, person.end) and root.head.i != root.i:
            root = root.head
        for child in root.children:
            if child.dep_ == "appos":
                phrase = doc[child.left_edge.i : child.right_edge.i + 1]
                found = _find_title(phrase)
                if found:
                    return _Title(found[0], found[1], found[2], self._country_in(phrase, person)
                                  ), {}
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
            head = root.head
            phrase = doc[head.left_edge.i : min(head.right_edge.i + 1, person.start)]
            found = _find_title(phrase)
            if found:
                return _Title(found[0], found[1], found[2], self._country_in(phrase, person)
                              ), {}
        if root.dep_ in ("nsubj", "nsubjpass"):
            return self._predicate_title(person, root.head)
        return None

    def _predicate_title(self, person: Mention, verb: Token) -> tuple[_Title, dict[str, str]
                                                                       ] | None:
        if verb.lemma_ not in _COPULAS | _APPOINTED:
            return None
        for child in verb.children:
            if child.dep_ in ("attr", "oprd", "xcomp") or (child.dep_ == "prep" and
                                                          child.lower_ == "as"):
                phrase = self.ctx.doc[child.left_edge.i : child.right_edge.i + 1]
                found = _find_title(phrase)
                if not found:
                    continue
                extra = {"modality": modality_at(verb)}
                if verb.lemma_ != "be":
                    date = self.ctx.date_of(verb)
                    if date:
                        extra["valid_from"] = date
                country = self._country_in(phrase, person)
                return _Title(found[0], found[1], found[2], country), extra
        return None

    # -- building the relation ---------------------------------------------------------------

    def _relation(self, person: Mention, title: _Title, index: int, extra: dict[str, str],
                  last: int | None = None) -> Relation | None:
        actor, entry = _person(person.actor, title.text)
        country = title.country or _office_country(entry, title, self.ctx.day)
        if not country:
            return None  # the text names no country and the dictionary knows no such office
        office = matching_office(entry, title.role, country, self.ctx.day, former=title.former)
        role = office.role if office else title.role
        key = (actor.name or actor.text, role.casefold(), country)
        if key in self.done:
            return None
        self.done.add(key)
        agent = (office.agent or None) if office else title.agent
        subject = actor
        if not actor.code:
            subject = Actor(actor.text, actor.text, f"{country}{agent or ''}", country, agent,
                            "person")
        obj = Actor(title.text, office_name(role, country), country,
                    country if len(country) == 3 else None, agent, "office")
        valid_from = extra.get("valid_from") or (
            office.start.isoformat() if office and office.start else None)
        valid_to = office.end.isoformat() if office and office.end and "valid_from" not in extra \
            else None
        return self.ctx.relation(subject, "holds_office", obj, index,
                                 modality=extra.get("modality", "asserted"),
                                 valid_from=valid_from, valid_to=valid_to, last=last)

    def __call__(self, sent: Span, index: int) -> Iterator[Relation]:
        for person in [m for m in self.ctx.mentions_in(sent) if m.actor.kind == "person"]:
            found = self._title_for(person, sent)
            if found is not None:
                rel = self._relation(person, found[0], index, found[1])
                if rel is not None:
                    yield rel
        yield from self._lone_roles(sent, index)

    def _lone_roles(self, sent: Span, index: int) -> Iterator[Relation]:
        """"Deputy Prime Minister evaluated ..." followed by "Tileuberdi said ..."."""
        ctx = self.ctx
        for m in ctx.mentions_in(sent):
            if m.actor.kind != "state" or not m.actor.country:
                continue
            phrase = ctx.doc[m.start : m.end]
            found = _find_title(phrase, at_end=True)
            nxt = ctx.doc[m.end] if m.end < len(ctx.doc) else None
            if not found or (nxt is not None and ctx.at(nxt) is not None):
                continue
            # A title standing for its holder is written as a name ("Deputy Prime Minister
            # evaluated ..."); "described X as president" is a description, not a holder.
            if not all(w[:1].isupper() for w in found[0].split()) or phrase.root.dep_ not in (
                    "nsubj", "nsubjpass", "dobj"):
                continue
            last_sent = min(index + ROLE_LOOKAHEAD, len(ctx.sentences) - 1)
            lo, hi = sent.start, ctx.sentences[last_sent].end
            holders = []
            for person in self.persons:
                if not lo <= person.start < hi:
                    continue
                office = matching_office(person_entry(person.actor), found[1], m.actor.country,
                                         ctx.day)
                if office is not None:
                    holders.append(person)
            if len({p.actor.name for p in holders}) != 1:
                continue
            holder = holders[0]
            title = _Title(found[0], found[1], found[2], m.actor.country)
            rel = self._relation(holder, title, index, {},
                                 last=ctx.sentence_of(ctx.doc[holder.start]))
            if rel is not None:
                yield rel
