"""Place mentions, geocoded, and a location for every event and count.

**Mentions** are spaCy GPE/LOC/FAC entities; actor mentions whose actor is a place in the
gazetteer (a state named as GPE, "Crimea", the "Lugansk People's Republic" as Luhansk oblast);
a dateline at the start of the text ("ALMATY, Jan. 5 (Reuters) -"); and capitalised names that
NER missed but the gazetteer knows, when a locative preposition precedes them ("in Donetsk") or
they name a country or a curated region. "City, ST" / "City, Country" is one mention.

**Disambiguation** (see docs/facts-quotes-places.md):

1. an actor code that the gazetteer maps to a region ("UKRLPR") decides it;
2. a qualifier after a comma ("Long Beach, CA", "Paris, Texas", "Kharkiv, Ukraine") keeps only
   candidates inside that state or country;
3. the article's countries (state actors 1, other actors with a country 0.5, unambiguous place
   names 1, the dateline 3; a mention never counts towards itself) keep only candidates in, or
   related to (controlled or claimed by), a mentioned country -- when any exists;
4. a country's name means the country, unless the country is not mentioned and an admin1 or
   region of that name lies in a mentioned country ("Georgia" in a story about Atlanta);
5. then primary names over GeoNames alternate names, country > region > city > admin1, and the
   larger population.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from diurna.article import Actor, Article
from diurna.facts.gazetteer import Candidate, Gazetteer, Place, load_gazetteer, normalise

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
LOCATIVE_PREPS = frozenset({
    "in", "at", "near", "outside", "inside", "across", "into", "around", "throughout", "within",
    "from", "to", "towards", "toward", "through", "via", "over", "on", "off", "along", "between",
})
_ADMIN_WORDS = ("region", "province", "oblast", "governorate", "state", "district", "county",
                "regions", "provinces", "oblasts", "governorates", "states", "districts")
# Verbs whose direct object is usually a place ("recaptured Kherson", "visited Lyon").
PLACE_OBJECT_VERBS = frozenset({
    "capture", "recapture", "retake", "take", "seize", "liberate", "shell", "bomb", "strike",
    "hit", "attack", "enter", "encircle", "besiege", "evacuate", "visit", "leave", "reach",
    "storm", "surround", "occupy", "annex", "flee", "target", "control", "overrun", "raid",
})
# Nouns whose "of" phrase is usually a place ("control of El Fasher", "the outskirts of Goma").
PLACE_OF_NOUNS = frozenset({
    "control", "outskirts", "city", "town", "village", "capital", "centre", "center", "province",
    "region", "governor", "mayor", "resident", "people", "siege", "fall", "battle", "capture",
    "shelling", "bombing", "port", "suburb", "district", "streets", "south", "north", "east",
    "west", "heart", "edge",
})
_TIER = {"country": 4, "region": 3, "city": 2, "admin1": 1}
_SPECIFICITY = {"city": 4, "region": 3, "admin1": 2, "country": 1}
# Context weights (calibrated by hand on the gold places file): a state actor is a direct
# mention of its country; a person or group only implies it; the dateline is the strongest cue.
W_STATE, W_OTHER_ACTOR, W_PLACE, W_DATELINE = 1.0, 0.5, 1.0, 3.0
# Confidence of a resolution, by how it was decided.
C_ACTOR, C_QUALIFIER, C_SINGLE, C_ALTERNATE, C_CONTEXT, C_GUESS = 0.95, 0.95, 0.9, 0.75, 0.85, 0.55
# Confidence factor of an event location by where it came from.
BASIS_FACTOR = {"sentence": 1.0, "dateline": 0.8, "article": 0.6}
_IN_COUNTRY = re.compile(r"\s+in\s+((?:the\s+)?[A-Z][\w'-]*(?:\s[A-Z][\w'-]*){0,2})")
_QUALIFIER = re.compile(r",\s*([A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,2})")
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})"
    r"(?:, (?P<qual>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2}))?"
    r"(?:,? [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|,? \d{1,2} [A-Z][a-z]{2,8}\.?(?: \d{4})?)?"
    r"\s*(?:\([^)]{1,40}\)\s*)?[—–-]"
)


@dataclass
class Mention:
    text: str
    name: str
    start: int
    end: int
    sentence_index: int
    actor: Actor | None = None
    qualifier: tuple[str, str | None] | None = None
    admin_hint: bool = False
    dateline: bool = False


@dataclass
class Resolved:
    mention: Mention
    place: Place
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        m = self.mention
        return {"text": m.text, "start": m.start, "end": m.end,
                "sentence_index": m.sentence_index, **self.place.as_dict(self.confidence)}


# -- finding mentions -------------------------------------------------------------------------

def _sentence_of(article: Article, char: int) -> int:
    starts = [s.start for s in article.sentences]
    return max(bisect.bisect_right(starts, char) - 1, 0) if starts else 0


def _dateline(article: Article, g: Gazetteer) -> Mention | None:
    """The city of a wire dateline ("ALMATY, Jan. 5 (Reuters) -", "LONG BEACH, Calif. -")."""
    match = _DATELINE.match(article.text[:120])
    if match is None:
        return None
    city, qual = match.group("city"), match.group("qual")
    end = match.end("qual") if qual else match.end("city")
    m = Mention(article.text[:end], city.title(), 0, end, 0, dateline=True)
    if qual:
        m.qualifier = g.qualifier(qual) or g.qualifier(qual.rstrip("."))
        if m.qualifier is None:  # "KYIV, Ukraine" is fine; anything else stays outside
            m.text, m.end = city, match.end("city")
    return m


def _place_like(span: Any, places: set[int], g: Gazetteer) -> bool:
    """Whether a name that NER did not label as a place is used as one in its sentence."""
    doc, root = span.doc, span.root
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    head = root.head
    return (
        prev in LOCATIVE_PREPS
        or nxt in _ADMIN_WORDS
        or (root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS)
        or (root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in PLACE_OF_NOUNS)
        or (root.dep_ == "dobj" and head.lemma_ in PLACE_OBJECT_VERBS)
        or (root.dep_ == "conj" and head.i in places)
        or any(c.dep_ == "conj" and c.i in places for c in root.children)
        or bool(_QUALIFIER.match(doc.text[span.end_char : span.end_char + 40])
                and _qualified(g, span.text, doc.text[span.end_char : span.end_char + 40]))
    )


def _qualified(g: Gazetteer, name: str, rest: str) -> bool:
    match = _QUALIFIER.match(rest)
    return bool(match and (hit := g.qualifier(match.group(1).rstrip(".")))
                and _within(g.lookup(name), hit))


def _candidates_of(text: str, article: Article) -> list[tuple[int, int, str, Actor | None]]:
    """(start, end, text, actor) of entity and NER spans that may name places."""
    out: list[tuple[int, int, str, Actor | None]] = []
    g = load_gazetteer()
    for e in article.entities:
        actor = e.actor
        code = actor.code if actor else None
        if e.label == "GPE" or (e.label not in ("NORP", "AGENT") and code and len(code) > 3
                                and g.for_actor(code)):
            out.append((e.start, e.end, e.text, actor))
    doc = article.doc
    if doc is None:
        return out
    places = {t.i for ent in doc.ents if ent.label_ in PLACE_LABELS for t in ent}
    surnames = {ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS or (ent.label_ != "NORP" and _curated(g, ent.text)):
            out.append((ent.start_char, ent.end_char, ent.text, None))
        elif ent.label_ in ("PERSON", "ORG", "NORP") and not _resolved(article, ent):
            if len(ent) == 1 and ent.root.lower_ in surnames:
                continue  # "Jackson" after "Jesse Jackson" is the person
            if _is_country(g, ent.text) or (g.lookup(ent.text) and _place_like(ent, places, g)):
                out.append((ent.start_char, ent.end_char, ent.text, None))
    taken = [(s, e) for s, e, _, _ in out] + [(e.start, e.end) for e in article.entities]
    i = 0
    while i < len(doc):  # names that NER missed but the gazetteer knows
        tok = doc[i]
        if tok.pos_ != "PROPN" or not tok.is_title:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].is_title:
            j += 1
        span = doc[i : j + 1]
        free = not any(s < span.end_char and span.start_char < e for s, e in taken)
        if free and (_curated(g, span.text) or (g.lookup(span.text)
                                                 and _place_like(span, places, g))):
            out.append((span.start_char, span.end_char, span.text, None))
        i = j + 1
    return out


def _resolved(article: Article, ent: Any) -> bool:
    """Whether the actor step resolved this NER span to a known actor."""
    return any(e.start == ent.start_char and e.end == ent.end_char and e.actor is not None
               and e.actor.code is not None for e in article.entities)


def _curated(g: Gazetteer, name: str) -> bool:
    return any(c.primary and c.place.source == "curated" for c in g.lookup(name))


def find_mentions(article: Article, g: Gazetteer | None = None) -> list[Mention]:
    """Place mentions of ``article`` in text order, without overlaps."""
    g = g or load_gazetteer()
    text = article.text
    found: list[Mention] = []
    dateline = _dateline(article, g)
    spans = sorted(_candidates_of(text, article), key=lambda s: (s[0], -(s[1] - s[0])))
    last_end = dateline.end if dateline else -1
    if dateline:
        found.append(dateline)
    for start, end, span_text, actor in spans:
        if start < last_end:
            continue
        m = Mention(span_text, span_text, start, end, _sentence_of(article, start), actor)
        words = span_text.split()
        if not g.lookup(span_text) and len(words) > 1 and words[-1].lower() in _ADMIN_WORDS:
            m.name, m.admin_hint = " ".join(words[:-1]), True  # "Kaduna State"
        rest = text[end : end + 40]
        m.admin_hint = m.admin_hint or (rest.lstrip().lower().startswith(_ADMIN_WORDS)
                                        and not rest.startswith(","))
        _qualify(m, g, text)
        found.append(m)
        last_end = m.end
    return found


def _qualify(m: Mention, g: Gazetteer, text: str) -> None:
    """Set a "City, ST" / "City, Country" qualifier (taken into the mention) or "X in Country"."""
    rest = text[m.end : m.end + 40]
    cands = g.lookup(m.name)
    if _is_country(g, m.name):
        return
    qual = _QUALIFIER.match(rest)
    if qual:
        words = qual.group(1).split()
        for n in range(len(words), 0, -1):
            form = " ".join(words[:n])
            for variant in (form, form.rstrip(".")):
                hit = g.qualifier(variant)
                if hit and _within(cands, hit):
                    m.qualifier = hit
                    m.end = m.end + qual.start(1) + len(variant)
                    m.text = text[m.start : m.end]
                    return
    inside = _IN_COUNTRY.match(rest)
    if inside:
        hit = g.qualifier(inside.group(1))
        if hit and hit[1] is None and _within(cands, hit):
            m.qualifier = hit


def _is_country(g: Gazetteer, name: str) -> bool:
    return any(c.primary and c.place.precision == "country" for c in g.lookup(name))


def _within(cands: list[Candidate], qualifier: tuple[str, str | None]) -> list[Candidate]:
    country, admin1 = qualifier
    out = []
    for c in cands:
        place = c.place
        if place.precision == "country" or place.country != country:
            continue
        # GeoNames admin1 codes outside the US ("CA.02") cannot be compared with ISO ones.
        if admin1 is None or place.admin1 == admin1 or "-" not in (place.admin1 or "-"):
            out.append(c)
    return out


# -- resolving --------------------------------------------------------------------------------

def _choose(cands: list[Candidate], context: Counter[str]) -> tuple[Place, float] | None:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0].place, C_SINGLE if cands[0].primary else C_ALTERNATE

    def in_ctx(c: Candidate) -> bool:  # a cross-border region (no country) is never excluded
        countries = c.place.countries()
        return not countries or any(context.get(k, 0) > 0 for k in countries)

    inside = [c for c in cands if in_ctx(c)]
    countries = [c for c in cands if c.primary and c.place.precision == "country"]
    if countries:
        country = countries[0]
        rivals = [c for c in inside if c.primary and c.place.precision in ("admin1", "region")]
        if in_ctx(country) or not rivals:
            return country.place, C_CONTEXT if in_ctx(country) else C_SINGLE
        inside = rivals
    pool = inside or cands
    ranked = sorted(pool, key=lambda c: (c.primary, _TIER[c.place.precision],
                                         c.place.population), reverse=True)
    best = ranked[0].place
    if inside and len({c.place.country for c in inside}) == 1:
        confidence = C_CONTEXT
    else:
        runner = ranked[1].place.population if len(ranked) > 1 else 0
        confidence = C_GUESS + (0.2 if best.population >= 10 * max(runner, 1) else 0.0)
    return best, confidence


def _resolve(m: Mention, g: Gazetteer, context: Counter[str]) -> Resolved | None:
    if m.actor and m.actor.code and len(m.actor.code) > 3:
        place = g.for_actor(m.actor.code)
        if place is not None:
            return Resolved(m, place, C_ACTOR)
    cands = g.lookup(m.name)
    if m.admin_hint:
        wider = g.lookup(f"{m.name} region") + cands
        areas = [c for c in wider if c.place.precision in ("admin1", "region")]
        cands = areas or cands
    if m.qualifier:
        narrowed = _within(cands, m.qualifier)
        if narrowed:
            best = max(narrowed, key=lambda c: (c.primary, c.place.population))
            return Resolved(m, best.place, C_QUALIFIER)
    chosen = _choose(cands, context)
    return Resolved(m, chosen[0], chosen[1]) if chosen else None


def _contributions(article: Article, g: Gazetteer,
                   mentions: list[Mention]) -> list[tuple[str, str, float]]:
    """(surface key, country, weight) for every cue of what countries the article is about."""
    cues: list[tuple[str, str, float]] = []
    for e in article.entities:
        actor = e.actor
        if e.label == "AGENT":  # only a country the phrase names itself, not one inferred
            country = g.country_in(e.text)
            if country:
                cues.append((normalise(e.text), country, W_OTHER_ACTOR))
        elif actor and actor.country:
            weight = W_STATE if actor.kind in ("state", "place") else W_OTHER_ACTOR
            cues.append((normalise(e.text), actor.country, weight))
    for m in mentions:
        if m.qualifier and not m.dateline:
            qual_text = m.text[len(m.name):].strip(" ,") or "\0qualifier"
            cues.append((normalise(qual_text), m.qualifier[0], W_PLACE))
            continue
        countries = {c.place.country for c in g.lookup(m.name) if c.primary and c.place.country}
        if len(countries) == 1 and not m.dateline:
            cues.append((normalise(m.name), countries.pop(), W_PLACE))
    return cues


def _context(cues: list[tuple[str, str, float]], exclude: str) -> Counter[str]:
    ctx: Counter[str] = Counter()
    for key, country, weight in cues:
        if key != exclude:
            ctx[country] += weight  # type: ignore[assignment]
    return ctx


def resolve_article(article: Article, g: Gazetteer | None = None) -> list[Resolved]:
    """Every place mention of ``article``, geocoded; unresolvable names are left out.

    The dateline goes first (its country joins the context), then qualified mentions ("Paris,
    Texas"), whose reading every later bare mention of the same name reuses.
    """
    g = g or load_gazetteer()
    mentions = find_mentions(article, g)
    cues = _contributions(article, g, mentions)
    memory: dict[str, Place] = {}
    out: list[Resolved] = []
    for m in sorted(mentions, key=lambda m: (not m.dateline, m.qualifier is None, m.start)):
        key = normalise(m.name)
        if m.qualifier is None and key in memory:
            out.append(Resolved(m, memory[key], C_CONTEXT))
            continue
        context = _context(cues, key)
        actor = m.actor
        if actor and actor.country and actor.name and normalise(actor.name) != key:
            context[actor.country] += 1  # a capital, as the actor dictionary knows it
        r = _resolve(m, g, context)
        if r is None:
            continue
        if m.dateline and r.place.country:
            cues.append(("\0dateline", r.place.country, W_DATELINE))
        if m.qualifier:
            memory[key] = r.place
        out.append(r)
    return sorted(out, key=lambda r: r.mention.start)


def article_places(article: Article) -> list[dict[str, Any]]:
    """The geocoded place mentions of ``article`` as plain dicts, for storage and export."""
    return [r.as_dict() for r in resolve_article(article)]


# -- locations of events and counts -----------------------------------------------------------

def _main_place(article: Article, resolved: list[Resolved],
                g: Gazetteer) -> tuple[Place, float, str] | None:
    for r in resolved:
        if r.mention.dateline:
            return r.place, r.confidence, "dateline"
    counts: Counter[str] = Counter()
    for r in resolved:
        if r.place.country:
            counts[r.place.country] += 1
    for e in article.entities:
        if e.actor and e.actor.kind == "state" and e.actor.country and e.label != "AGENT":
            counts[e.actor.country] += 1
    if not counts:
        return None
    iso3, n = counts.most_common(1)[0]
    place = g.country(iso3)
    return (place, round(n / sum(counts.values()), 3), "article") if place else None


def _token_at(doc: Any, char: int) -> Any:
    span = doc.char_span(char, char + 1, alignment_mode="expand") if doc is not None else None
    return span.root if span is not None and len(span) else None


def _clause(tok: Any) -> Any:
    while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok:
        tok = tok.head
    return tok


def _locative(tok: Any) -> bool:
    while tok.dep_ in ("compound", "amod", "appos", "nmod", "poss") and tok.head is not tok:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS


def locate(article: Article, sentence_index: int, start: int, end: int,
           resolved: list[Resolved], main: tuple[Place, float, str] | None,
           ) -> dict[str, Any] | None:
    """The location of something at ``start:end`` in sentence ``sentence_index``."""
    here = [r for r in resolved if r.mention.sentence_index == sentence_index
            and not r.mention.dateline]
    if here:
        trigger = _token_at(article.doc, start)

        def key(r: Resolved) -> tuple[bool, bool, int, float]:
            tok = _token_at(article.doc, r.mention.start)
            same = trigger is not None and tok is not None and _clause(tok) == _clause(trigger)
            loc = bool(tok is not None and _locative(tok))
            distance = min(abs(r.mention.start - end), abs(start - r.mention.end))
            return same, loc, _SPECIFICITY[r.place.precision], -math.log1p(distance)

        best = max(here, key=key)
        return {**best.place.as_dict(best.confidence), "basis": "sentence"}
    if main is None:
        return None
    place, confidence, basis = main
    return {**place.as_dict(confidence * BASIS_FACTOR[basis]), "basis": basis}


class PlaceStep:
    """Pipeline step: ``article.places`` and the ``location`` of each event and count."""

    name = "places"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    def __call__(self, article: Article) -> Article:
        g = self._gazetteer or load_gazetteer()
        resolved = resolve_article(article, g)
        article.places = [r.as_dict() for r in resolved]
        main = _main_place(article, resolved, g)
        for ev in article.events:
            if ev.location is None:
                ev.location = locate(article, ev.sentence_index, ev.trigger.start,
                                     ev.trigger.end, resolved, main)
        for count in article.counts:
            if count.location is None:
                count.location = locate(article, count.sentence_index, count.start,
                                        count.end, resolved, main)
        return article

    def __getstate__(self) -> dict[str, object]:
        return {"_gazetteer": None}  # rebuilt in each worker
