"""Quotes: who said what, directly ("...") or in reported speech (``direct=False``).

Direct quotes are the text between double (or single) quote marks, over any number of sentences;
one split by its attribution gives two records with the same speaker. Reported speech is the
that-clause of a speech verb, the "as" phrase of a describing verb, or the rest of a sentence with
"according to X". How speakers are found and resolved: ``docs/facts-quotes-places.md``.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import AUX, VERB
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from diurna.article import Actor, Article, Entity, Quote
from diurna.nlp.columns import doc_text, int_columns, string_columns

# Tokens between a quote and its speech verb that still count as "right next to it"
# ("\"...\", the Deputy Prime Minister of Kazakhstan said"); calibrated on the gold quotes.
MAX_ATTRIBUTION_GAP = 7
# A quote of at most this many words and no verb is a scare quote or a name, not a statement.
SHORT_QUOTE_WORDS = 6
# How far up the parse a quote looks for the speech verb that governs it.
MAX_CLIMB = 6
PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
PRONOUNS_GROUP = frozenset({"they", "it"})
_SUBJECT_LINKS = frozenset({"conj", "advcl", "xcomp", "ccomp", "pcomp", "prep", "dep", "acomp"})
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[:—–-]))'(?=[\w])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?])'(?=[\s.,;:!?)\]—–-]|$)")
_WORDS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Verbs:
    speech: frozenset[str]
    describe: frozenset[str]
    reported: frozenset[str]
    titles: frozenset[str]  # head words of office titles ("minister", "spokesman")

    def any(self, lemma: str | None) -> bool:
        return lemma is not None and (lemma in self.speech or lemma in self.describe)


@lru_cache(maxsize=1)
def load_verbs() -> Verbs:
    text = resources.files("diurna.facts").joinpath("data", "quote_verbs.json").read_text("utf-8")
    data = json.loads(text)
    return Verbs(*(frozenset(data[k]) for k in ("speech", "describe", "reported_clause", "titles")))


@dataclass
class Marked:
    """A quoted stretch: ``start:end`` is the text inside the marks."""

    start: int
    end: int
    open_at: int  # index of the opening mark
    close_at: int  # index just after the closing mark (== end when the quote runs on)


@dataclass
class _Attribution:
    speaker: Actor | None
    verb: str | None


def quoted_spans(text: str) -> list[Marked]:
    """Double-quoted stretches, paragraph by paragraph, then single-quoted ones outside them."""
    found: list[Marked] = []
    pos = 0
    for para in text.split("\n"):
        marks = [pos + m.start() for m in re.finditer('"', para)]
        for i in range(0, len(marks), 2):
            if i + 1 < len(marks):
                found.append(Marked(marks[i] + 1, marks[i + 1], marks[i], marks[i + 1] + 1))
            elif pos + len(para) - marks[i] > 1:  # left open: runs to the paragraph's end
                end = pos + len(para.rstrip())
                found.append(Marked(marks[i] + 1, end, marks[i], end))
        pos += len(para) + 1
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(text)]
    last = -1
    for m in _SINGLE_OPEN.finditer(text):
        o = m.start()
        c = next((c for c in closes if c > o + 1), None)
        if o < last or c is None or c - o > 400 or "\n" in text[o:c] or '"' in text[o:c]:
            continue
        if not any(d.open_at <= o < d.close_at for d in found):
            found.append(Marked(o + 1, c, o, c + 1))
            last = c + 1
    for q in found:  # no spaces inside the marks, nor the comma of '"...," he said'
        q.start += len(text[q.start : q.end]) - len(text[q.start : q.end].lstrip())
        q.end = q.start + len(text[q.start : q.end].rstrip(" \n\t,"))
    return sorted((q for q in found if q.end > q.start), key=lambda q: q.start)


def verb_lemma(tok: Token, verbs: Verbs) -> str:
    """The lemma, with its particle when that is the listed form ("point out")."""
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "prt" and verbs.any(f"{lemma} {child.lower_}"):
            return f"{lemma} {child.lower_}"
    return lemma


def _is_speech(tok: Token, verbs: Verbs) -> bool:
    return tok.pos_ in ("VERB", "AUX") and verbs.any(verb_lemma(tok, verbs))


def subject_of(verb: Token, verbs: Verbs) -> Token | None:
    """The verb's subject, inherited along clause links when it has none of its own.

    Going up, a speech verb's subject wins over a nearer non-speech one: in "X pointed out that
    the council will convene and said ..." the parser may hang "said" on "convene".
    """
    cur, fallback = verb, None
    for _ in range(5):
        subjects = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            if cur is verb or _is_speech(cur, verbs):
                return subjects[0]
            fallback = fallback or subjects[0]
        if cur.dep_ not in _SUBJECT_LINKS or cur.head.i == cur.i:
            break
        cur = cur.head
    return fallback


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text)}


class _Speakers:
    """Resolves a subject token to an actor, using the article's resolved entities."""

    def __init__(self, article: Article, quoted: list[Marked]) -> None:
        self.entities = sorted(article.entities, key=lambda e: e.start)
        self.quoted, self.text = quoted, article.text

    def _usable(self, e: Entity, char: int, kinds: tuple[str, ...]) -> bool:
        return (e.start < char and e.actor is not None and e.actor.kind in kinds
                and not any(m.start <= e.start < m.end for m in self.quoted))

    def _before(self, char: int, kinds: tuple[str, ...]) -> Entity | None:
        return next((e for e in reversed(self.entities) if self._usable(e, char, kinds)), None)

    def _title_holder(self, title: Entity) -> Actor | None:
        """The last person named with this title before, else the last in that kind of office."""
        words, agent, by_office = _words(title.text) & load_verbs().titles, title.actor, None
        for e in reversed(self.entities):
            if not self._usable(e, title.start, ("person",)) or e.actor is None:
                continue
            if words and words <= _words(self.text[max(0, e.start - 60) : e.start]):
                return e.actor
            if by_office is None and agent and e.actor.agent == agent.agent and (
                agent.country is None or e.actor.country == agent.country
            ):
                by_office = e.actor
        return by_office

    def resolve(self, tok: Token) -> Actor | None:
        if tok.lower_ in PRONOUNS_PERSON or tok.lower_ in PRONOUNS_GROUP:
            kinds = ("person",) if tok.lower_ in PRONOUNS_PERSON else ("state", "igo", "group")
            e = self._before(tok.idx, kinds)
            return dataclasses.replace(e.actor) if e and e.actor else None
        if tok.pos_ == "PRON" or tok.dep_ == "expl":
            return None
        lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        inside = [e for e in self.entities if lo <= e.start < hi and e.actor]
        if len(inside) > 1 and any(c.dep_ == "conj" for c in tok.children):
            return Actor(self.text[lo:hi])  # "Canada, France and Germany stated": several
        heads = [e for e in inside if e.start <= tok.idx < e.end]
        person = next((e for e in inside if e.actor and e.actor.kind == "person"), None)
        chosen = person or (heads[0] if heads else (inside[0] if inside else None))
        if chosen is None or chosen.actor is None:
            phrase = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
            return Actor(phrase.text if len(phrase) <= 10 else tok.text)
        actor = chosen.actor
        titled = next((e for e in inside if e.label == "AGENT" and e.actor and e.actor.code), None)
        if actor.kind == "person" and actor.code is None and titled and titled.actor:
            office = titled.actor  # "the spokesman for the ministry, Aibek Smadiyarov"
            return Actor(actor.text, actor.text, office.code, office.country, office.agent,
                         "person")
        if chosen.label == "AGENT" and _words(chosen.text) & load_verbs().titles:
            holder = self._title_holder(chosen)
            if holder is not None:
                return dataclasses.replace(holder)
        return dataclasses.replace(actor)


# -- direct quotes ----------------------------------------------------------------------------

def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _said(tok: Token, verbs: Verbs, who: _Speakers) -> _Attribution:
    subject = subject_of(tok, verbs)
    speaker = who.resolve(subject) if subject is not None else None
    return _Attribution(speaker, verb_lemma(tok, verbs) if _is_speech(tok, verbs) else None)


def _according(to: Token, who: _Speakers) -> _Attribution | None:
    objects = [c for c in to.children if c.dep_ == "pobj"]
    return _Attribution(who.resolve(objects[0]), "according to") if objects else None


def _after(doc: Doc, m: Marked, text: str, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    """``"...," X said`` / ``"...," said X`` / ``"...," according to X``."""
    rest = text[m.close_at : m.close_at + 200]
    inner = text[m.start : max(m.end, m.close_at - 1)].rstrip()
    if not rest.strip() or "\n" in rest[: len(rest) - len(rest.lstrip())]:
        return None
    if not (inner[-1:] in ",?!—–-" or rest.startswith(",")
            or (inner.endswith(".") and rest.lstrip()[:1].islower())):
        return None
    span, gap = _tokens(doc, m.close_at, min(len(text), m.close_at + 200)), 0
    for tok in span or []:
        if tok.text in ('"', "'") or "\n" in tok.text:
            return None
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            return _according(doc[tok.i + 1], who)
        if _is_speech(tok, verbs):
            return _said(tok, verbs, who)
        if tok.pos_ == "VERB" or tok.is_sent_end or gap >= MAX_ATTRIBUTION_GAP:
            return None
        gap += not tok.is_punct
    return None


def _before(doc: Doc, m: Marked, text: str, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    """``X said, "..."`` / ``X told reporters: "..."`` / ``X was blunt: "..."``."""
    lead = text[max(0, m.open_at - 300) : m.open_at].rstrip()
    span, gap = _tokens(doc, max(0, m.open_at - 300), m.open_at), 0
    for tok in reversed(list(span or [])):
        if tok.idx >= m.open_at:
            continue
        if tok.text in ('"', "'") or "\n" in tok.text:
            return None
        if tok.lower_ == "to" and tok.i > 0 and doc[tok.i - 1].lower_ == "according":
            return _according(tok, who)
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "aux":
            if _is_speech(tok, verbs) or (lead.endswith(":") and subject_of(tok, verbs)):
                return _said(tok, verbs, who)
            return None
        gap += not tok.is_punct
        if gap > MAX_ATTRIBUTION_GAP or (tok.is_sent_start and not lead.endswith(":")):
            return None
    return None


def _governing(inner: Span, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    """A speech verb above the quote in the parse: ``X said the West was "playing with fire"``."""
    root = next((t for t in inner if not inner.start <= t.head.i < inner.end), None)
    tok = root.head if root is not None else None
    for _ in range(MAX_CLIMB):
        if tok is None:
            return None
        if _is_speech(tok, verbs):
            found = _said(tok, verbs, who)
            return found if found.speaker is not None else None
        tok = tok.head if tok.head.i != tok.i else None
    return None


def _previous_speaker(doc: Doc, m: Marked, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    """The subject of a speech verb in the sentence just before a free-standing quote."""
    span = _tokens(doc, m.start, m.start + 1)
    sent = span[0].sent.start if span else 0
    previous: Span | list[Token] = doc[sent - 1].sent if sent else []
    said = (_said(t, verbs, who) for t in previous if _is_speech(t, verbs)
            and not any(x.start <= t.idx < x.end for x in who.quoted))
    return next((a for a in said if a.speaker is not None), None)


def _is_short(inner: Span) -> bool:
    words = [t for t in inner if not t.is_punct and not t.is_space]
    return (len(words) <= SHORT_QUOTE_WORDS and inner.text[-1:] not in ".?!"
            and not any(t.pos_ in ("VERB", "AUX") for t in inner))


def _adjacent(doc: Doc, before: Marked, m: Marked) -> bool:
    """Whether ``m`` continues ``before``: only space, or a short attribution, between them."""
    gap = doc_text(doc)[before.close_at : m.open_at]
    return not gap.strip() or (len(gap.split()) <= 12 and "\n\n" not in gap)


def _sentence_index(article: Article, char: int) -> int:
    starts = [s.start for s in article.sentences]
    return max(bisect.bisect_right(starts, char) - 1, 0)


def direct_quotes(article: Article, doc: Doc, quoted: list[Marked], verbs: Verbs) -> list[Quote]:
    who, text = _Speakers(article, quoted), article.text
    out: list[Quote] = []
    last: tuple[Marked, _Attribution] | None = None
    for m in quoted:
        inner = _tokens(doc, m.start, m.end)
        if inner is None:
            continue
        found = (_after(doc, m, text, verbs, who) or _before(doc, m, text, verbs, who)
                 or _governing(inner, verbs, who))
        short = _is_short(inner)
        continues = last is not None and not short and _adjacent(doc, last[0], m)
        if (found is None or found.speaker is None) and last and continues:
            found = _Attribution(last[1].speaker, found.verb if found else last[1].verb)
        if (found is None or found.speaker is None) and not short:
            found = _previous_speaker(doc, m, verbs, who) or found or _Attribution(None, None)
        if found is None or (found.speaker is None and short):
            continue
        out.append(Quote(text[m.start : m.end], m.start, m.end, found.speaker, found.verb, True,
                         _sentence_index(article, m.start)))
        last = (m, found)
    return out


# -- reported speech --------------------------------------------------------------------------

def _clause_text(head: Token, verbs: Verbs) -> tuple[int, int] | None:
    """Character span of a reported clause: no "that", no coordinated or added speech verb."""
    drop: set[int] = set()
    for child in head.children:
        if child.dep_ in ("conj", "advcl") and _is_speech(child, verbs):
            drop.update(t.i for t in child.subtree)
            drop.update(c.i for c in head.children if c.dep_ == "cc" and c.i < child.i)
    tokens = [t for t in head.subtree if t.i not in drop]
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc" or tokens[-1].is_space):
        tokens = tokens[:-1]
    return (tokens[0].idx, tokens[-1].idx + len(tokens[-1])) if len(tokens) > 1 else None


_VERB_POS = frozenset({VERB, AUX})
_ACCORDING = get_string_id("according")  # the hash spaCy stores for that lower-cased form


@lru_cache(maxsize=4)
def _reporting_cues(verbs: Verbs) -> frozenset[str]:
    """Lemmas that can start a listed reporting or describing verb (alone, or before its
    particle): the verbs whose lemma is not one of these report nothing (see verb_lemma)."""
    listed = verbs.reported | verbs.describe
    return listed | {k[:j] for k in listed for j, c in enumerate(k) if c == " "}


def reported_speech(article: Article, doc: Doc, quoted: list[Marked], verbs: Verbs) -> list[Quote]:
    who, text = _Speakers(article, quoted), article.text

    def in_quote(a: int, b: int) -> bool:
        return any(m.open_at < b and a < m.close_at for m in quoted)

    # Only reporting verbs and "according" start a rule below: find them in bulk, without making
    # a Token object of every word.
    rows = list(zip(*int_columns(doc, POS, LOWER), strict=True))
    (lemmas,) = string_columns(doc, LEMMA)
    cues = _reporting_cues(verbs)
    out: list[Quote] = []
    for tok in (doc[i] for i, (pos, _) in enumerate(rows)
                if pos in _VERB_POS and lemmas[i].lower() in cues):
        if in_quote(tok.idx, tok.idx + 1):
            continue
        lemma = verb_lemma(tok, verbs)
        heads = [c for c in tok.children if c.dep_ == "ccomp"] if lemma in verbs.reported else []
        if lemma in verbs.describe:  # "described the events as Y"
            heads += [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "as"
                      for o in p.children if o.dep_ == "pobj"]
        for start, end in filter(None, (_clause_text(h, verbs) for h in heads)):
            found = _said(tok, verbs, who)
            if not in_quote(start, end) and found.speaker is not None:
                out.append(Quote(text[start:end], start, end, found.speaker, lemma, False,
                                 _sentence_index(article, tok.idx)))
    according = (doc[i] for i, (_, lower) in enumerate(rows) if lower == _ACCORDING)
    for tok in according:  # "According to X, ..."
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        sent, said = tok.sent, _according(doc[tok.i + 1], who)
        if said is None or said.speaker is None or in_quote(sent.start_char, sent.end_char):
            continue
        hi = max([t.i for t in doc[tok.i + 1].subtree] + [tok.i + 1]) + 1
        rest = [t for t in sent if not tok.i <= t.i < hi and not t.is_space]
        while rest and rest[0].is_punct:
            rest = rest[1:]
        while rest and rest[-1].is_punct:
            rest = rest[:-1]
        if len(rest) >= 3:
            start, end = rest[0].idx, rest[-1].idx + len(rest[-1])
            out.append(Quote(text[start:end], start, end, said.speaker, "according to", False,
                             _sentence_index(article, tok.idx)))
    return out


def extract_quotes(article: Article, doc: Doc | None = None) -> list[Quote]:
    """Every direct quote and reported statement of ``article``, in text order."""
    doc = doc if doc is not None else article.doc
    if doc is None:
        raise RuntimeError(
            f"article {article.id!r}: quotes need the parsed Doc; run the NLP and actor steps first"
        )
    verbs, quoted = load_verbs(), quoted_spans(article.text)
    found = direct_quotes(article, doc, quoted, verbs)
    found += reported_speech(article, doc, quoted, verbs)
    unique = {(q.start, q.end): q for q in sorted(found, key=lambda q: (q.start, -q.end))[::-1]}
    return sorted(unique.values(), key=lambda q: (q.start, -q.end))


class QuoteStep:
    """Pipeline step: fill ``article.quotes`` (needs the NLP and actor steps before it)."""

    name = "quotes"

    def __call__(self, article: Article) -> Article:
        article.quotes = extract_quotes(article)
        return article
