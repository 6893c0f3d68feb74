"""The dates step: a date for every event and count, with the precision the text gives.

``{"value": "2022-01", "precision": "month", "text": "January 2022", "start": "2022-01-01",
"end": "2022-01-31"}``. ``precision`` is ``day``, ``month``, ``year`` or ``range`` for a written
date, ``future`` for a relative future ("tomorrow", "next week", "in the coming hours") and
``publication`` when the publication date stands in. Rules for a record in sentence *s*: (1) the
date expression of *s* nearest its word in the parse, among those that reach its clause; (2) if
future or hypothetical, ``future`` from publication on; (3) if past tense and *s* has no date,
the date of the nearest earlier dated sentence of the paragraph (carry-forward); (4) else the
publication date. Relative dates are resolved against ``article.published``. See
docs/facts-counts-dates.md.
"""

from __future__ import annotations

import calendar
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from diurna.article import Article
from diurna.facts.numbers import parse_number
from diurna.facts.regex_gates import gate
from diurna.nlp.columns import doc_text

_DATA = json.loads(resources.files("diurna.facts").joinpath("data", "date_patterns.json")
                   .read_text("utf-8"))
PARTS: dict[str, str] = _DATA["parts"]
MONTHS = {name: i for i, names in enumerate(_DATA["months"], 1) for name in names.split()}
WEEKDAYS: tuple[str, ...] = tuple(_DATA["weekdays"])


def _expand(pattern: str) -> str:
    for name, part in PARTS.items():
        pattern = pattern.replace("{" + name + "}", part)
    return pattern


# (name, pattern): tried in order; a later match may not overlap an earlier one.
PATTERNS = [(str(name), re.compile(_expand(pattern))) for name, pattern in _DATA["patterns"]]
# Most sentences hold no date: a pattern runs only on a text that has what it needs (a digit, a
# month name, "ago"...), which finds the same matches at a fraction of the cost.
_GATED = [(name, pattern, gate(pattern)) for name, pattern in PATTERNS]
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
FUTURE_HEADS = frozenset({"expect", "plan", "schedule", "due", "set", "intend", "go", "prepare"})
CLAUSES = frozenset({"ccomp", "xcomp", "conj", "relcl", "parataxis", "csubj"})
HEDGES = frozenset({"could", "might", "may", "would"})
NOT_DATES = ("CARDINAL", "MONEY", "QUANTITY")  # "a total of 2000 people" is no year
SPANS = ("day_range", "month_range", "year_range", "span")
_QUOTE_MARK = re.compile('["“”]')
_LEAD = re.compile(rf"^(?:{PARTS['PREP']}|on|at)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression and what it means; ``start``/``end`` are offsets into the text."""

    text: str
    start: int
    end: int
    value: str | None
    precision: str
    first: date | None
    last: date | None

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "precision": self.precision, "text": self.text,
                "start": self.first.isoformat() if self.first else None,
                "end": self.last.isoformat() if self.last else None}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _shape(first: date, last: date) -> str:
    """The coarsest value naming exactly ``first``..``last`` ("2022", "2022-01", "1994/1996")."""
    if first == last:
        return first.isoformat()
    whole_months = first.day == 1 and last == _month_end(last.year, last.month)
    if whole_months and first.month == 1 and last.month == 12:
        return str(first.year) if first.year == last.year else f"{first.year}/{last.year}"
    if whole_months:
        a, b = first.isoformat()[:7], last.isoformat()[:7]
        return a if a == b else f"{a}/{b}"
    return f"{first.isoformat()}/{last.isoformat()}"


def _span(first: date, last: date, precision: str) -> tuple[str, str, date, date]:
    return _shape(first, last), precision, first, last


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _year_for(month: int, pub: date | None, future: bool, strict: bool = False) -> int | None:
    """The year of a month named without one: the latest such month up to publication."""
    if pub is None:
        return None
    same = month == pub.month and not strict
    if future:
        return pub.year if month > pub.month or same else pub.year + 1
    return pub.year if month < pub.month or same else pub.year - 1


@lru_cache(maxsize=4096)
def _parse_day(text: str, pub: date | None, future: bool) -> date | None:
    """A day-precision expression through dateparser, relative to publication."""
    import dateparser

    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month"],
                                "PREFER_DATES_FROM": "future" if future else "past"}
    if pub is not None:  # without it the year is always written (interpret checks)
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def _amount(text: str | None) -> int:
    if not text or text.lower() in ("a", "an"):
        return 1
    parsed = parse_number(text)
    if parsed is None:  # too large to read: "99999999999999999999999 days ago" is no date
        raise ValueError(f"no amount in {text!r}")
    return parsed[0]


def _monday(day: date, weeks: int = 0) -> date:
    return day - timedelta(days=day.weekday() - 7 * weeks)


def _back(pub: date, unit: str, n: int) -> tuple[str, str, date, date]:
    """The month (``unit`` "month") or else the year ``n`` before publication's."""
    if unit != "month":
        y = pub.year - n
        return _span(date(y, 1, 1), date(y, 12, 31), "year")
    y, m = divmod(pub.year * 12 + pub.month - 1 - n, 12)
    return _span(date(y, m + 1, 1), _month_end(y, m + 1), "month")


Meaning = tuple[str | None, str, date | None, date | None]


def _relative(name: str, g: dict[str, str | None], pub: date, future: bool) -> Meaning | None:
    unit = (g.get("unit") or "").lower().rstrip("s")
    if name == "word":
        word = " ".join((g["w"] or "").lower().split())
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
        day = pub + timedelta(days=shift)
        return day.isoformat(), "future" if shift > 0 else "day", day, day
    if name == "weekday":
        mod, target = (g.get("mod") or "").lower(), WEEKDAYS.index((g["wd"] or "").lower())
        ahead = future or mod == "next"
        back = (pub.weekday() - target) % 7 or (7 if mod == "last" else 0)
        forward = (target - pub.weekday()) % 7 or (7 if mod == "next" else 0)
        day = pub + timedelta(days=forward) if ahead else pub - timedelta(days=back)
        return day.isoformat(), "future" if ahead else "day", day, day
    if name == "ago":
        n = _amount(g.get("n"))
        if unit in ("day", "hour"):
            day = pub - timedelta(days=n if unit == "day" else 0)
            return _span(day, day, "day")
        if unit == "week":
            return _span(_monday(pub, -n), _monday(pub, -n) + timedelta(days=6), "range")
        return _back(pub, unit, n * 10 if unit == "decade" else n)
    if name == "span":
        direction = (g.get("dir") or "").lower()
        days = {"hour": 0, "day": 7, "week": 30, "month": 182, "year": 365, "decade": 3650}[unit]
        if g.get("n") or not (g.get("unit") or "").lower().endswith("s"):  # "the past two weeks"
            days = _amount(g.get("n")) * {"hour": 0, "day": 1, "week": 7, "month": 30,
                                          "year": 365}.get(unit, 3650)
        if direction in ("coming", "next", "within"):
            first = pub + timedelta(days=1 if days else 0)
            return _span(first, pub + timedelta(days=days), "future")
        return _span(pub - timedelta(days=days), pub, "range")
    mod, direction = (g.get("mod") or "").lower(), (g.get("dir") or "").lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(direction, 0)
    ahead = step > 0 or mod == "later"
    if unit in ("week", "weekend"):
        first = _monday(pub, step) + timedelta(days=5 if unit == "weekend" else 0)
        last = _monday(pub, step) + timedelta(days=6)
        if step == 0 and unit == "week":  # "this week": up to publication, or from it on
            first, last = (pub, last) if ahead else (first, pub)
        return _span(first, last, "future" if ahead else "range")
    meaning = _back(pub, unit, -step)
    return (meaning[0], "future", *meaning[2:]) if ahead else meaning


def interpret(name: str, match: re.Match[str], pub: date | None, future: bool,
              hint: int | None = None) -> Meaning | None:
    """(value, precision, first day, last day) of a match. A month or day without a year takes
    ``hint``, else the latest such date up to publication (the next one in a future clause)."""
    g = match.groupdict()
    try:
        if name in ("word", "weekday", "ago", "span", "rel"):
            return _relative(name, g, pub, future) if pub is not None else None
        mod = (g.get("mod") or "").lower()
        given = int(g["y"]) if g.get("y") else (None if mod in ("last", "this", "next") else hint)
        if name == "iso":
            day = date(given or 0, int(g["m"] or 0), int(g["d"] or 0))
            return _span(day, day, "day")
        if name == "year_range":
            y1, y2 = g["y1"] or "", g["y2"] or ""
            y2 = y1[:2] + y2 if len(y2) == 2 else y2
            return _span(date(int(y1), 1, 1), date(int(y2), 12, 31), "range")
        if name in ("decade", "year") and given:
            last = date(given + (9 if name == "decade" else 0), 12, 31)
            return _span(date(given, 1, 1), last, "range" if name == "decade" else "year")
        months = [_month(g[k] or "") for k in ("m1", "m2", "m") if g.get(k)]
        m = months[-1]
        if name == "day":  # dateparser infers a missing year from publication
            if given is None and pub is None:
                return None
            parsed = _parse_day(f"{g['d']} {g['m']} {given or ''}".strip(), pub, future)
            return _span(parsed, parsed, "day") if parsed else None
        year = given or _year_for(m, pub, future or mod == "next", strict=mod in ("last", "next"))
        if year is None:
            return None
        if name == "month_range":
            first = date(year if months[0] <= m else year - 1, months[0], 1)
            return _span(first, _month_end(year, m), "range")
        if name == "day_range":
            d1, d2 = (int(re.sub(r"\D", "", g[k] or "")) for k in ("d1", "d2"))
            return _span(date(year, m, d1), date(year, m, d2), "range")
        return _span(date(year, m, 1), _month_end(year, m), "future" if mod == "next" else "month")
    except (ValueError, KeyError, IndexError, OverflowError):
        # "February 30", "the 2-digit year before the first", "yesterday" on 0001-01-01
        return None


def find_dates(text: str, published: date | None, future: Callable[[int], bool] | None = None,
               extra: Iterable[tuple[int, int]] = ()) -> list[DateExpr]:
    """Every date expression in ``text``. ``future(offset)``: is the clause there future tense;
    ``extra``: spans (a parser's DATE entities) to try too. A month or day without a year takes
    the year of a written date before it ("April 2014 ... in May"); "since X" ends at publication.
    """
    found: list[tuple[int, int, str, re.Match[str]]] = []
    bare = re.compile(rf"(?:the\s+)?(?P<y>{PARTS['YEAR']})")  # "the 1994 memorandum"
    seen: dict[str, Any] = {}
    scanned = ((n, m, 0) for n, p, passes in _GATED if passes(text, seen) for m in p.finditer(text))
    for name, match, base in [*scanned,
                              *(("year", m, s) for s, e in extra
                                if (m := bare.fullmatch(text[s:e])))]:
        start, end = base + match.start(), base + match.end()
        if not any(start < e and s < end for s, e, _, _ in found):
            found.append((start, end, name, match))
    out: list[DateExpr] = []
    hint: int | None = None
    for start, end, name, match in sorted(found, key=lambda f: f[0]):
        lead = _LEAD.match(match.group(0))
        since = bool(lead and lead.group(0).lower().startswith("since"))
        # "since January" looks back even in a future clause ("will stay shut since January")
        ahead = bool(future and future(start)) and not since
        meaning = interpret(name, match, published, ahead, hint)
        if meaning is None:
            continue
        if match.groupdict().get("y") and name != "decade":
            hint = int(match.group("y"))
        if since and published and meaning[2] and meaning[2] <= published:
            meaning = _span(meaning[2], published, "range")
        skip = lead.end() if lead and not since and name not in SPANS else 0
        out.append(DateExpr(text[start + skip:end], start + skip, end, *meaning))
    return out


# -- the step --------------------------------------------------------------------------------


def published_date(value: str | None) -> date | None:
    """``article.published`` as a date (None when absent or not ISO)."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _verb(token: Token) -> Token:
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def tense(token: Token) -> str:
    """``past``, ``present`` or ``future`` (future, hypothetical) for the clause of ``token``."""
    verb = _verb(token)
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    perfect = any(a.lemma_ == "have" for a in aux)
    head = verb.head
    if any(a.lower_ in FUTURE_AUX or (a.lower_ in HEDGES and not perfect) for a in aux) or (
        verb.dep_ in ("xcomp", "ccomp") and head.lemma_ in FUTURE_HEADS and head.tag_ != "VBD"
        and any(c.lower_ == "to" for c in verb.children)
        and (head.lemma_ != "go" or head.tag_ == "VBG")
    ) or (verb.lemma_ in FUTURE_HEADS and verb.tag_ == "VBN"
          and any(a.tag_ in ("VBZ", "VBP") for a in aux)):
        return "future"
    if verb.tag_ in ("VBD", "VBN") or perfect or any(a.tag_ == "VBD" for a in aux):
        return "past"
    return "present"


def _distance(a: Token, b: Token) -> int:
    up = {t.i: n for n, t in enumerate([a, *a.ancestors])}
    return next((n + up[t.i] for n, t in enumerate([b, *b.ancestors]) if t.i in up), 1000)


def _quote_marks(text: str) -> list[int]:
    return [m.start() for m in _QUOTE_MARK.finditer(text)]


def _in_scope(date_token: Token, token: Token, quote_marks: Sequence[int] | None = None) -> bool:
    """Whether a date reaches ``token``: not across a quotation mark, nor from another clause's
    complement, conjunct or relative clause ("said X will convene in the coming hours").

    ``quote_marks``: the offsets of the Doc's quotation marks, if already known."""
    low, high = sorted((date_token.idx, token.idx))
    if quote_marks is None:
        quote_marks = _quote_marks(doc_text(date_token.doc))
    if (bisect_left(quote_marks, high) - bisect_left(quote_marks, low)) % 2:
        return False
    line = {t.i for t in [token, *token.ancestors]}
    while date_token.i not in line:
        if date_token.dep_ in CLAUSES and date_token.pos_ in ("VERB", "AUX"):
            return False
        date_token = date_token.head
    return True


def _publication(pub: date | None, precision: str = "publication") -> dict[str, Any]:
    iso = pub.isoformat() if pub else None
    return {"value": iso, "precision": precision, "text": None, "start": iso,
            "end": None if precision == "future" else iso}


def _items(article: Article) -> Iterator[tuple[Any, int | None]]:
    """Every record with a ``date`` and a ``sentence_index``, and the offset of its word."""
    for f in fields(article):
        value = getattr(article, f.name) if f.name != "doc" else None
        for x in value if isinstance(value, list) else ():
            if hasattr(x, "date") and hasattr(x, "sentence_index"):
                span = getattr(x, "trigger", None) or getattr(x, "evidence", None) or x
                yield x, getattr(span, "start", None)


@dataclass
class _Sentence:
    span: Span
    paragraph: int
    dates: list[tuple[DateExpr, Token]]
    quote_marks: Sequence[int] | None = None  # the Doc's, shared by its sentences


def _ents_in(
    ents: list[tuple[int, int, int, int, str]], sent: Span
) -> Iterator[tuple[int, int, str]]:
    """(start char, end char, label) of ``sent.ents``, from the Doc's entities read once."""
    for start, end, start_char, end_char, label in ents:
        if start >= sent.start:
            if end > sent.end:
                break  # as Span.ents does
            yield start_char, end_char, label


class DateStep:
    """Pipeline step: a ``date`` for every event and count (run it after the counts step)."""

    name = "dates"

    def __call__(self, article: Article) -> Article:
        doc: Doc | None = article.doc
        if doc is None:
            raise RuntimeError(f"article {article.id!r}: the dates step needs the NLP step's Doc")
        pub = published_date(article.published)
        sentences = self.sentences(doc, pub)
        for item, offset in _items(article):
            if item.date is not None or not 0 <= item.sentence_index < len(sentences):
                continue
            token = sentences[item.sentence_index].span.root
            if isinstance(offset, int) and (span := doc.char_span(offset, offset + 1,
                                                                  alignment_mode="expand")):
                token = span[0]
            item.date = self.date_for(sentences, item.sentence_index, token, pub,
                                      getattr(item, "modality", None))
        return article

    @staticmethod
    def sentences(doc: Doc, pub: date | None) -> list[_Sentence]:
        text = doc_text(doc)  # Span.text and Span.ents rebuild from every token: read once
        breaks = [m.end() for m in re.finditer(r"\n[ \t]*\n", text)]
        marks = _quote_marks(text)
        doc_ents = [(e.start, e.end, e.start_char, e.end_char, e.label_) for e in doc.ents]
        out = []
        for sent in doc.sents:
            def is_future(offset: int, base: int = sent.start_char) -> bool:
                span = doc.char_span(base + offset, base + offset + 1, alignment_mode="expand")
                return span is not None and tense(span[0]) == "future"

            ents = [(s - sent.start_char, e - sent.start_char)
                    for s, e, label in _ents_in(doc_ents, sent) if label in ("DATE", "TIME")]
            dates = []
            for expr in find_dates(text[sent.start_char : sent.end_char], pub, is_future, ents):
                start, end = sent.start_char + expr.start, sent.start_char + expr.end
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and span.root.ent_type_ not in NOT_DATES:
                    dates.append((expr, span.root))
            paragraph = bisect_left(breaks, sent.end_char)  # a sentence may straddle a break
            out.append(_Sentence(sent, paragraph, dates, marks))
        return out

    @staticmethod
    def date_for(sentences: list[_Sentence], index: int, token: Token, pub: date | None,
                 modality: str | None = None) -> dict[str, Any]:
        """The date of a record whose word is ``token`` in sentence ``index``."""
        here = sentences[index]
        if usable := [d for d in here.dates if _in_scope(d[1], token, here.quote_marks)]:
            best = min(usable, key=lambda d: (_distance(token, d[1]), abs(d[1].idx - token.idx)))
            return best[0].as_dict()
        when = tense(token)
        if when == "future" or modality in ("future", "hypothetical"):
            return _publication(pub, "future")
        if when == "past" and not here.dates:
            for earlier in reversed(sentences[:index]):
                if earlier.paragraph != here.paragraph:
                    break
                if earlier.dates:
                    root = earlier.span.root
                    expr = min(earlier.dates, key=lambda d: _distance(root, d[1]))[0]
                    if expr.precision not in ("future", "publication"):
                        return expr.as_dict()
                    break
        return _publication(pub)
