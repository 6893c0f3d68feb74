"""Place mentions, geocoded, and a location for every event and count.

Mentions are GPE/LOC/FAC entities, actor mentions of places (states, "Crimea", the "Lugansk
People's Republic"), a wire dateline, and names that NER missed or mislabelled but the gazetteer
knows, used as places ("in Donetsk", "recaptured Kherson"); "City, ST" is one mention. Each is
geocoded with the article's countries as context (``gazetteer.choose``), and each event and count
gets the most specific place of its sentence. Conventions: ``docs/facts-quotes-places.md``.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate, groupby
from typing import Any

from spacy.attrs import IS_TITLE, POS
from spacy.parts_of_speech import PROPN

from diurna.article import Actor, Article
from diurna.facts.gazetteer import (
    C_CONTEXT,
    Gazetteer,
    Place,
    choose,
    load_gazetteer,
    normalise,
    within,
)
from diurna.nlp.columns import doc_text, int_columns

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_CUES = json.loads(resources.files("diurna.facts").joinpath("data", "places_cues.json")
                   .read_text("utf-8"))
LOCATIVE_PREPS = frozenset(_CUES["locative_prepositions"])
_ADMIN_WORDS = tuple(_CUES["admin_words"])
PLACE_OBJECT_VERBS = frozenset(_CUES["object_verbs"])  # "recaptured Kherson"
PLACE_OF_NOUNS = frozenset(_CUES["of_nouns"])  # "control of El Fasher"
_SPECIFICITY = {"city": 4, "region": 3, "admin1": 2, "country": 1}
# Context weights (calibrated by hand on the gold places file): a state actor is a direct
# mention of its country; a person or group only implies it; the dateline is the strongest cue.
W_STATE, W_OTHER_ACTOR, W_PLACE, W_DATELINE = 1.0, 0.5, 1.0, 3.0
# Confidence of a resolution decided by an actor code or a "City, ST" qualifier.
C_ACTOR = C_QUALIFIER = 0.95
# A capital named as such by the actor dictionary counts its country as context for itself only
# when it is this large (Moscow, Paris); "Victoria" is also the Seychelles' small capital.
CAPITAL_PROMINENCE = 500_000
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


def _sentence_of(article: Article, char: int) -> int:
    starts = [s.start for s in article.sentences]
    return max(bisect.bisect_right(starts, char) - 1, 0)


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
        or (root.dep_ == "pobj" and head.lower_ == "of"
            and (head.head.lemma_ in PLACE_OF_NOUNS or head.head.lemma_ in PLACE_OBJECT_VERBS))
        or (root.dep_ == "dobj" and head.lemma_ in PLACE_OBJECT_VERBS)
        or (root.dep_ == "conj" and head.i in places)
        or any(c.dep_ == "conj" and c.i in places for c in root.children)
        or bool((q := _IN_COUNTRY.match(doc_text(doc)[span.end_char : span.end_char + 40]))
                and g.is_country(q.group(1)))
        or bool((q := _QUALIFIER.match(doc_text(doc)[span.end_char : span.end_char + 40]))
                and (hit := g.qualifier(q.group(1).rstrip(".")))
                and within(g.lookup(span.text), hit))
    )


def _candidates_of(article: Article, g: Gazetteer) -> list[tuple[int, int, str, Actor | None]]:
    """(start, end, text, actor) of entity and NER spans that may name places."""
    out: list[tuple[int, int, str, Actor | None]] = []
    for e in article.entities:
        actor = e.actor
        code = actor.code if actor else None
        if e.label == "GPE" or (e.label not in ("NORP", "AGENT") and code and len(code) > 3
                                and g.for_actor(code)):
            out.append((e.start, e.end, e.text, actor))
    doc = article.doc
    if doc is None:
        return out
    ents = doc.ents  # (Doc.ents builds every entity's Span each time it is read)
    places = {t.i for ent in ents if ent.label_ in PLACE_LABELS for t in ent}
    surnames = {ent[-1].lower_ for ent in ents if ent.label_ == "PERSON" and len(ent) > 1}
    for ent in ents:
        if ent.label_ in PLACE_LABELS or (ent.label_ != "NORP" and g.is_curated(ent.text)):
            out.append((ent.start_char, ent.end_char, ent.text, None))
            continue
        for part in _parts(ent, g) if ent.label_ in ("PERSON", "ORG", "NORP") else []:
            if _resolved(article, part) or (len(part) == 1 and part.root.lower_ in surnames):
                continue  # a known actor; "Jackson" after "Jesse Jackson" is the person
            if g.is_country(part.text) or (g.lookup(part.text) and _place_like(part, places, g)):
                out.append((part.start_char, part.end_char, part.text, None))
                places.update(range(part.start, part.end))  # "Jenin and Tulkarm"
    taken = _Intervals([(s, e) for s, e, _, _ in out]
                       + [(e.start, e.end) for e in article.entities])
    # Runs of capitalised proper nouns, read in bulk (a Token object per word costs more).
    is_names = [pos == PROPN and bool(title)
                for pos, title in zip(*int_columns(doc, POS, IS_TITLE), strict=True)]
    for is_name, group in groupby(range(len(doc)), key=is_names.__getitem__):
        if not is_name:
            continue
        span = doc[(toks := list(group))[0] : toks[-1] + 1]  # names that NER missed
        if taken.overlap(span.start_char, span.end_char):
            continue
        if g.is_curated(span.text) or (g.lookup(span.text) and _place_like(span, places, g)):
            out.append((span.start_char, span.end_char, span.text, None))
    return out


class _Intervals:
    """Character spans, asked whether any overlaps a span: a bisection, not a scan of all."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # the furthest end so far

    def overlap(self, start: int, end: int) -> bool:
        """Whether some span (s, e) has s < end and start < e."""
        k = bisect.bisect_left(self.starts, end)  # spans[:k] are those with s < end
        return k > 0 and self.reach[k - 1] > start


def _parts(ent: Any, g: Gazetteer) -> list[Any]:
    """An entity, or its parts when NER ran a list together ("Karachi and Hyderabad")."""
    cuts = [t.i for t in ent if t.lower_ in ("and", ",")]
    if not cuts or g.lookup(ent.text):
        return [ent]
    bounds = zip([ent.start, *(c + 1 for c in cuts)], [*cuts, ent.end], strict=True)
    return [ent.doc[a:b] for a, b in bounds if b > a]


def _resolved(article: Article, ent: Any) -> bool:  # by the actor step, to a known actor
    return any(e.start == ent.start_char and e.end == ent.end_char and e.actor is not None
               and e.actor.code is not None for e in article.entities)


def find_mentions(article: Article, g: Gazetteer | None = None) -> list[Mention]:
    """Place mentions of ``article`` in text order, without overlaps."""
    g = g or load_gazetteer()
    text = article.text
    found: list[Mention] = []
    dateline = _dateline(article, g)
    spans = sorted(_candidates_of(article, g), key=lambda s: (s[0], -(s[1] - s[0])))
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
    if g.is_country(m.name):
        return
    qual = _QUALIFIER.match(rest)
    if qual:
        words = qual.group(1).split()
        for n in range(len(words), 0, -1):
            form = " ".join(words[:n])
            for variant in (form, form.rstrip(".")):
                hit = g.qualifier(variant)
                if hit and within(cands, hit):
                    m.qualifier = hit
                    m.end = m.end + qual.start(1) + len(variant)
                    m.text = text[m.start : m.end]
                    return
    inside = _IN_COUNTRY.match(rest)
    if inside:
        hit = g.qualifier(inside.group(1))
        if hit and hit[1] is None and within(cands, hit):
            m.qualifier = hit


# -- resolving --------------------------------------------------------------------------------

def _resolve(m: Mention, g: Gazetteer, context: Counter[str]) -> Resolved | None:
    code = m.actor.code if m.actor else None
    if code and len(code) > 3 and (place := g.for_actor(code)) is not None:
        return Resolved(m, place, C_ACTOR)  # "UKRLPR" -> Luhansk oblast
    cands = g.lookup(m.name)
    if m.admin_hint:  # "the Odesa region"
        areas = [c for c in g.lookup(f"{m.name} region") + cands
                 if c.place.precision in ("admin1", "region")]
        cands = areas or cands
    if m.qualifier and (narrowed := within(cands, m.qualifier)):
        best = max(narrowed, key=lambda c: (c.primary, c.place.population))
        return Resolved(m, best.place, C_QUALIFIER)
    chosen = choose(cands, context)
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
    for _key, country, weight in (c for c in cues if c[0] != exclude):
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
        if actor and actor.country and actor.name and normalise(actor.name) != key and any(
            c.place.country == actor.country and c.place.population >= CAPITAL_PROMINENCE
            for c in g.lookup(m.name)
        ):
            context[actor.country] += 1  # a large capital, as the actor dictionary knows it
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
    """The dateline place, else the country most mentioned (as a place or a state actor)."""
    dateline = next((r for r in resolved if r.mention.dateline), None)
    if dateline is not None:
        return dateline.place, dateline.confidence, "dateline"
    counts = Counter(r.place.country for r in resolved if r.place.country)
    counts.update(e.actor.country for e in article.entities if e.actor and e.actor.country
                  and e.actor.kind == "state" and e.label != "AGENT")
    if not counts:
        return None
    iso3, n = counts.most_common(1)[0]
    place = g.country(iso3)
    return (place, round(n / counts.total(), 3), "article") if place else None


def _token_at(doc: Any, char: int) -> Any:
    span = doc.char_span(char, char + 1, alignment_mode="expand") if doc is not None else None
    return span.root if span is not None and len(span) else None


def _clause(tok: Any) -> Any:
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _locative(tok: Any) -> bool:
    while tok.dep_ in ("compound", "amod", "appos", "nmod", "poss") and tok.head.i != tok.i:
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
