"""Quotes: who said what, directly ("...") or in reported speech.

**Direct quotes** are the text between straight double quotes (the cleaning step has already
straightened curly ones), or between single quotes used as quote marks. A quote may run over
several sentences; a quote left open at the end of a paragraph runs to that paragraph's end (the
newspaper convention for a quote continued in the next paragraph). A quote that an attribution
interrupts ("'We will not,' he said, 'change course.'") gives **two** Quote records with the
same speaker and verb, because a record's offsets must cover one contiguous stretch of text.

The speaker of a direct quote comes from, in order:

1. a speech verb right after it: ``"...," X said`` / ``"...," said X`` / ``"..." X said.``;
2. a speech verb right before it: ``X said, "..."``, ``X told reporters: "..."``,
   ``X described it as a "..."`` (also a clause before a colon: ``X was blunt: "..."``);
3. ``according to X`` next to it;
4. a speech verb that governs the quote in the parse (``X said the West was "playing with fire"``);
5. for a quote that stands alone: the speaker of the quote just before it, else the subject of a
   speech verb in the sentence before it.

A short quote (a few words, no verb) with no speaker is a name or a title, not a quote, and is
dropped ("an uprising named "Bloody January"").

A subject is resolved to an actor: the actor entity it contains; "he"/"she" -> the most recent
person named before it outside quotes; a title ("the Deputy Prime Minister") -> the most recent
person whose mention carried that title or who holds that kind of office in that country, else
the title's own actor; anything else -> ``Actor(text=...)`` with code None. The subject of a verb
without one is inherited along conj/advcl/ccomp links ("Tileuberdi pointed out ... and said").

**Reported speech** (``direct=False``): the that-clause of a speech verb ("X said that ...",
"X warned Y would ..."), the "as" phrase of a describing verb ("X described the events as Y"), and
the rest of a sentence with "according to X". Verbs inside a direct quote are not used.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from diurna.article import Actor, Article, Entity, Quote

# Tokens between a quote and its speech verb that still count as "right next to it"
# ("\"...\", the Deputy Prime Minister of Kazakhstan said").
MAX_ATTRIBUTION_GAP = 7
# A quote of at most this many words and no verb is a scare quote or a name, not a statement.
SHORT_QUOTE_WORDS = 6
# How far up the parse a quote looks for the speech verb that governs it.
MAX_CLIMB = 6
PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
PRONOUNS_GROUP = frozenset({"they", "it"})
TITLE_WORDS = frozenset({
    "president", "minister", "premier", "chancellor", "spokesman", "spokeswoman", "spokesperson",
    "secretary", "ambassador", "envoy", "governor", "mayor", "leader", "chief", "commander",
    "general", "king", "queen", "prince", "emir", "sheikh", "chairman", "chairwoman", "speaker",
    "prosecutor", "head", "director", "ombudsman", "vice",
})
_SUBJECT_LINKS = frozenset({"conj", "advcl", "xcomp", "ccomp", "pcomp", "prep", "dep", "acomp"})
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[:—–-]))'(?=[\w])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?])'(?=[\s.,;:!?)\]—–-]|$)")


@dataclass(frozen=True)
class Verbs:
    speech: frozenset[str]
    describe: frozenset[str]
    reported: frozenset[str]

    def any(self, lemma: str | None) -> bool:
        return lemma is not None and (lemma in self.speech or lemma in self.describe)


@lru_cache(maxsize=1)
def load_verbs() -> Verbs:
    text = resources.files("diurna.facts").joinpath("data", "quote_verbs.json").read_text("utf-8")
    data = json.loads(text)
    return Verbs(frozenset(data["speech"]), frozenset(data["describe"]),
                 frozenset(data["reported_clause"]))


@dataclass
class Marked:
    """A quoted stretch: ``start:end`` is the text inside the marks."""

    start: int
    end: int
    open_at: int  # index of the opening mark
    close_at: int  # index just after the closing mark (== end when the quote runs on)


# -- finding quoted text ----------------------------------------------------------------------

def quoted_spans(text: str) -> list[Marked]:
    """Double-quoted stretches, paragraph by paragraph, then single-quoted ones outside them."""
    found: list[Marked] = []
    pos = 0
    for para in text.split("\n"):
        marks = [pos + m.start() for m in re.finditer('"', para)]
        for i in range(0, len(marks), 2):
            open_at = marks[i]
            if i + 1 < len(marks):
                found.append(Marked(open_at + 1, marks[i + 1], open_at, marks[i + 1] + 1))
            elif pos + len(para) - open_at > 1:  # left open: runs to the paragraph's end
                end = pos + len(para.rstrip())
                found.append(Marked(open_at + 1, end, open_at, end))
        pos += len(para) + 1
    found += [m for m in _single_quoted(text)
              if not any(d.open_at <= m.open_at < d.close_at for d in found)]
    out = []
    for m in sorted(found, key=lambda m: m.start):
        while m.start < m.end and text[m.start].isspace():
            m.start += 1
        while m.end > m.start and text[m.end - 1] in " \n\t,":
            m.end -= 1
        if m.end > m.start:
            out.append(m)
    return out


def _single_quoted(text: str) -> list[Marked]:
    out: list[Marked] = []
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(text)]
    last = -1
    for m in _SINGLE_OPEN.finditer(text):
        o = m.start()
        if o < last:
            continue
        c = next((c for c in closes if c > o + 1), None)
        if c is None or c - o > 400 or "\n" in text[o:c] or '"' in text[o:c]:
            continue
        out.append(Marked(o + 1, c, o, c + 1))
        last = c + 1
    return out


# -- the parse --------------------------------------------------------------------------------

def verb_lemma(tok: Token) -> str:
    """The lemma, with its particle when the verb has one ("point out")."""
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "prt":
            return f"{lemma} {child.lower_}"
    return lemma


def _is_speech(tok: Token, verbs: Verbs) -> bool:
    return tok.pos_ in ("VERB", "AUX") and (verbs.any(verb_lemma(tok)) or verbs.any(tok.lemma_))


def _lemma(tok: Token, verbs: Verbs) -> str:
    full = verb_lemma(tok)
    return full if verbs.any(full) else tok.lemma_.lower()


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
        if cur.dep_ not in _SUBJECT_LINKS or cur.head is cur:
            break
        cur = cur.head
    return fallback


class _Speakers:
    """Resolves a subject token to an actor, using the article's resolved entities."""

    def __init__(self, article: Article, quoted: list[Marked]) -> None:
        self.entities = sorted(article.entities, key=lambda e: e.start)
        self.quoted = quoted
        self.text = article.text

    def _outside(self, e: Entity) -> bool:
        return not any(m.start <= e.start < m.end for m in self.quoted)

    def _before(self, char: int, kinds: tuple[str, ...]) -> Entity | None:
        for e in reversed(self.entities):
            if e.start < char and e.actor and e.actor.kind in kinds and self._outside(e):
                return e
        return None

    def _title_holder(self, title: Entity, char: int) -> Actor | None:
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", title.text)} & TITLE_WORDS
        agent = title.actor
        by_office = None
        for e in reversed(self.entities):
            if e.start >= char or not e.actor or e.actor.kind != "person" or not self._outside(e):
                continue
            before = {w.lower() for w in re.findall(r"[A-Za-z]+", self.text[max(0, e.start - 60):e.start])}
            if words and words <= before:
                return e.actor
            if by_office is None and agent and e.actor.agent == agent.agent and (
                agent.country is None or e.actor.country == agent.country
            ):
                by_office = e.actor
        return by_office

    def resolve(self, tok: Token) -> Actor | None:
        if tok.lower_ in PRONOUNS_PERSON:
            e = self._before(tok.idx, ("person",))
            return dataclasses.replace(e.actor) if e and e.actor else Actor(tok.text)
        if tok.lower_ in PRONOUNS_GROUP:
            e = self._before(tok.idx, ("state", "igo", "group", "region"))
            return dataclasses.replace(e.actor) if e and e.actor else None
        if tok.pos_ == "PRON" or tok.dep_ == "expl":
            return None
        lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        inside = [e for e in self.entities if lo <= e.start < hi and e.actor]
        heads = [e for e in inside if e.start <= tok.idx < e.end]
        conj = [c for c in tok.children if c.dep_ == "conj"]
        if conj and len(inside) > 1:  # "Canada, France and Germany stated": several speakers
            return Actor(self.text[lo:hi])
        chosen = next((e for e in inside if e.actor and e.actor.kind == "person"), None)
        chosen = chosen or (heads[0] if heads else (inside[0] if inside else None))
        if chosen is None or chosen.actor is None:
            phrase = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
            return Actor(phrase.text if len(phrase) <= 10 else tok.text)
        if chosen.label == "AGENT" and {w.lower() for w in chosen.text.split()} & TITLE_WORDS:
            holder = self._title_holder(chosen, chosen.start)
            if holder is not None:
                return dataclasses.replace(holder)
        return dataclasses.replace(chosen.actor)


# -- direct quotes ----------------------------------------------------------------------------

@dataclass
class _Attribution:
    speaker: Actor | None
    verb: str | None


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _after(doc: Doc, m: Marked, text: str, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    rest = text[m.close_at : m.close_at + 200]
    if not rest.strip() or "\n" in rest[: len(rest) - len(rest.lstrip())]:
        return None
    inner = text[m.start : max(m.end, m.close_at - 1)].rstrip()
    opens_clause = inner[-1:] in ",?!—–-" or rest.startswith(",") or (
        inner.endswith(".") and rest.lstrip()[:1].islower()
    )
    span = _tokens(doc, m.close_at, min(len(text), m.close_at + 200))
    if not opens_clause or span is None:
        return None
    gap = 0
    for tok in span:
        if tok.text in ('"', "'") or "\n" in tok.text:
            return None
        if tok.lower_ == "according" and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "to":
            return _according(doc[tok.i + 1], who)
        if _is_speech(tok, verbs):
            subject = subject_of(tok, verbs)
            return _Attribution(who.resolve(subject) if subject is not None else None,
                                _lemma(tok, verbs))
        if tok.pos_ == "VERB" or tok.is_sent_end or gap >= MAX_ATTRIBUTION_GAP:
            return None
        gap += not tok.is_punct
    return None


def _according(to: Token, who: _Speakers) -> _Attribution | None:
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    return _Attribution(who.resolve(objects[0]), "according to")


def _before(doc: Doc, m: Marked, text: str, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    span = _tokens(doc, max(0, m.open_at - 300), m.open_at)
    if span is None:
        return None
    lead = text[max(0, m.open_at - 300) : m.open_at].rstrip()
    gap = 0
    for tok in reversed(list(span)):
        if tok.text in ('"', "'") or "\n" in tok.text or tok.idx >= m.open_at:
            if tok.idx >= m.open_at:
                continue
            return None
        if tok.lower_ == "to" and tok.i > 0 and doc[tok.i - 1].lower_ == "according":
            return _according(tok, who)
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "aux":
            if _is_speech(tok, verbs) or lead.endswith(":"):
                subject = subject_of(tok, verbs)
                if subject is None and not _is_speech(tok, verbs):
                    return None
                return _Attribution(who.resolve(subject) if subject is not None else None,
                                    _lemma(tok, verbs) if _is_speech(tok, verbs) else None)
            return None
        if tok.is_sent_start and tok.i < span.end - 1 and not lead.endswith(":"):
            return None
        gap += not tok.is_punct
        if gap > MAX_ATTRIBUTION_GAP:
            return None
    return None


def _governing(inner: Span, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    root = next((t for t in inner if not (inner.start <= t.head.i < inner.end)), None)
    tok = root.head if root is not None else None
    for _ in range(MAX_CLIMB):
        if tok is None:
            return None
        if _is_speech(tok, verbs):
            subject = subject_of(tok, verbs)
            if subject is None:
                return None
            return _Attribution(who.resolve(subject), _lemma(tok, verbs))
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _previous_speaker(doc: Doc, m: Marked, verbs: Verbs, who: _Speakers) -> _Attribution | None:
    """The subject of a speech verb in the sentence just before a free-standing quote."""
    span = _tokens(doc, m.start, m.start + 1)
    if span is None or span[0].sent.start == 0:
        return None
    previous = doc[span[0].sent.start - 1].sent
    for tok in previous:
        if _is_speech(tok, verbs) and not any(x.start <= tok.idx < x.end for x in who.quoted):
            subject = subject_of(tok, verbs)
            if subject is not None:
                return _Attribution(who.resolve(subject), _lemma(tok, verbs))
    return None


def _is_short(inner: Span) -> bool:
    words = [t for t in inner if not t.is_punct and not t.is_space]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in inner)
    return len(words) <= SHORT_QUOTE_WORDS and not has_verb and inner.text[-1:] not in ".?!"


def _sentence_index(article: Article, char: int) -> int:
    starts = [s.start for s in article.sentences]
    return max(bisect.bisect_right(starts, char) - 1, 0) if starts else 0


def direct_quotes(article: Article, doc: Doc, quoted: list[Marked], verbs: Verbs) -> list[Quote]:
    who = _Speakers(article, quoted)
    text = article.text
    out: list[Quote] = []
    last: tuple[Marked, _Attribution] | None = None
    for m in quoted:
        inner = _tokens(doc, m.start, m.end)
        if inner is None:
            continue
        found = (_after(doc, m, text, verbs, who) or _before(doc, m, text, verbs, who)
                 or _governing(inner, verbs, who))
        if found is None and last is not None and _adjacent(doc, last[0], m):
            found = last[1]
        if found is None and not _is_short(inner):
            found = _previous_speaker(doc, m, verbs, who) or _Attribution(None, None)
        if found is None or (found.speaker is None and _is_short(inner)):
            continue
        out.append(Quote(text[m.start : m.end], m.start, m.end, found.speaker, found.verb, True,
                         _sentence_index(article, m.start)))
        last = (m, found)
    return out


def _adjacent(doc: Doc, before: Marked, m: Marked) -> bool:
    """Whether ``m`` follows ``before`` with at most one sentence boundary between them."""
    gap = doc.text[before.close_at : m.open_at]
    return len(gap) < 200 and gap.count("\n\n") <= 1 and not re.search(r"[.!?]\s+\S.*[.!?]\s", gap)


# -- reported speech --------------------------------------------------------------------------

def _clause_text(head: Token, verbs: Verbs) -> tuple[int, int] | None:
    """Character span of a reported clause, without "that" and without a coordinated speech verb."""
    drop: set[int] = set()
    for child in head.children:
        if child.dep_ == "conj" and _is_speech(child, verbs):
            drop.update(t.i for t in child.subtree)
            drop.update(c.i for c in head.children if c.dep_ == "cc" and c.i < child.i)
    tokens = [t for t in head.subtree if t.i not in drop]
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc" or tokens[-1].is_space):
        tokens = tokens[:-1]
    if len(tokens) < 2:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def reported_speech(article: Article, doc: Doc, quoted: list[Marked], verbs: Verbs) -> list[Quote]:
    who = _Speakers(article, quoted)
    text = article.text

    def in_quote(a: int, b: int) -> bool:
        return any(m.open_at < b and a < m.close_at for m in quoted)

    out: list[Quote] = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX") or in_quote(tok.idx, tok.idx + 1):
            continue
        lemma = _lemma(tok, verbs)
        parts: list[tuple[int, int]] = []
        if lemma in verbs.reported:
            parts += [s for c in tok.children if c.dep_ == "ccomp" and (s := _clause_text(c, verbs))]
        if lemma in verbs.describe:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"):
                parts += [s for o in prep.children if o.dep_ == "pobj"
                          if (s := _clause_text(o, verbs))]
        for start, end in parts:
            if in_quote(start, end):
                continue
            subject = subject_of(tok, verbs)
            speaker = who.resolve(subject) if subject is not None else None
            if speaker is None:
                continue
            out.append(Quote(text[start:end], start, end, speaker, lemma, False,
                             _sentence_index(article, tok.idx)))
    for tok in doc:  # "according to X, ..."
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        sent = tok.sent
        if in_quote(sent.start_char, sent.end_char):
            continue
        found = _according(doc[tok.i + 1], who)
        phrase = tok.subtree if tok.head.i != tok.i else doc[tok.i : tok.i + 2]
        lo = min(t.i for t in phrase)
        hi = max([t.i for t in doc[tok.i + 1].subtree] + [tok.i + 1]) + 1
        rest = [t for t in sent if not lo <= t.i < hi and not t.is_space]
        while rest and rest[0].is_punct:
            rest = rest[1:]
        while rest and rest[-1].is_punct:
            rest = rest[:-1]
        if found is None or found.speaker is None or len(rest) < 3:
            continue
        start, end = rest[0].idx, rest[-1].idx + len(rest[-1])
        out.append(Quote(text[start:end], start, end, found.speaker, "according to", False,
                         _sentence_index(article, tok.idx)))
    return out


def extract_quotes(article: Article, doc: Doc | None = None) -> list[Quote]:
    """Every direct quote and reported statement of ``article``, in text order."""
    doc = doc if doc is not None else article.doc
    if doc is None:
        raise RuntimeError(
            f"article {article.id!r}: quotes need the parsed Doc; run the NLP and actor steps first"
        )
    verbs = load_verbs()
    quoted = quoted_spans(article.text)
    quotes = direct_quotes(article, doc, quoted, verbs) + reported_speech(article, doc, quoted,
                                                                          verbs)
    seen: set[tuple[int, int]] = set()
    out = []
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if (q.start, q.end) not in seen:
            seen.add((q.start, q.end))
            out.append(q)
    return out


class QuoteStep:
    """Pipeline step: fill ``article.quotes``."""

    name = "quotes"

    def __call__(self, article: Article) -> Article:
        article.quotes = extract_quotes(article)
        return article

