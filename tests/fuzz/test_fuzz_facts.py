"""Number and date parsing on arbitrary and hostile strings (facts/numbers.py, facts/dates.py).

Properties: nothing raises; every match quotes the text at its offsets; a value is a count that
fits a 64-bit integer; numbers written with digits and separators read back exactly; every date
is a real date with ``first <= last`` and a documented precision, resolved against any
publication date from year 1 to year 9999.
"""

from __future__ import annotations

import re
from datetime import date

from fuzz_support import ODD_CHARACTERS, any_text, text_chars
from hypothesis import example, given
from hypothesis import strategies as st

from diurna.facts.dates import MONTHS, WEEKDAYS, find_dates, published_date
from diurna.facts.numbers import FEW, MARKERS, VAGUE, find_numbers, parse_number

LIMIT = 2**63  # a count is stored as a signed 64-bit integer
PRECISIONS = {"day", "month", "year", "range", "future", "publication"}
DIGITS = "0123456789\u0663\u06f5\u0966\uff11\U0001d7d7"  # ASCII, Arabic-Indic, Devanagari...

HOSTILE_NUMBERS = [
    "9" * 400, "9" * 5_000, "1" * 4_301 + " people", "1e999", "1E999 people", "1.5e308",
    "9" * 309 + ".9 bn", "9,999,999,999,999,999,999 billion", "99999999999999999999999",
    "hundred " * 20, "dozen " * 30, "a thousand billion billion billion", "\u0663\u0660\u0660",
    "\u0663,\u0660\u0660\u0660 people", "\uff11\uff12", "\U0001d7d7\U0001d7d7", "½", "²", "Ⅻ",
    "1,,000", "1..5 million", "1.2.3", ".5", "5.", "0x10", "-5", "+5", "5%", "5 per cent",
    "\u202e12 \u202cpeople", "\u05e9\u05dc\u05d5\u05dd 12 \u0627\u0644", "\U0001f600 12 \U0001f600",
    "1\u00a0000\u202f000", "12\u200b000", "twenty-\u200bseven", "a couple of", "several hundred",
    "tens of thousands of millions",
]

number_phrase = st.one_of(
    st.integers(0, 10**40).map(str),
    st.integers(0, 10**20).map(lambda n: f"{n:,}"),
    st.text(DIGITS + ",. \u00a0\u202fkmbn", max_size=30),
    st.lists(st.sampled_from(["one", "two", "twenty", "ninety-nine", "hundred", "thousand",
                              "million", "billion", "and", "a", "dozen", "half", "-"]),
             max_size=12).map(" ".join),
    st.sampled_from(list(VAGUE) + list(FEW) + HOSTILE_NUMBERS),
)
number_text = st.one_of(
    any_text,
    st.tuples(st.sampled_from(["", *MARKERS]), number_phrase,
              st.sampled_from(["", " people", " soldiers", "%", " per cent", "-year-old"]))
    .map(lambda p: f"{p[0]} {p[1]}{p[2]}".strip()),
    st.lists(st.one_of(number_phrase, st.sampled_from(ODD_CHARACTERS), st.text(text_chars,
                                                                                max_size=5)),
             max_size=8).map(" ".join),
)


@given(text=number_text)
@example(text="9" * 5_000)
@example(text="1e999")
@example(text="hundred " * 20)
def test_find_numbers(text: str) -> None:
    previous_end = 0
    for match in find_numbers(text):
        assert text[match.start:match.end] == match.text
        assert previous_end <= match.start <= match.number_start < match.end
        assert isinstance(match.value, int) and 0 <= match.value < LIMIT, match
        assert isinstance(match.approximate, bool)
        previous_end = match.end


@given(text=number_text)
@example(text="9" * 400)
@example(text="9,999,999,999 billion")
def test_parse_number(text: str) -> None:
    parsed = parse_number(text)
    if parsed is not None:
        value, approximate = parsed
        assert isinstance(value, int) and 0 <= value < LIMIT
        assert isinstance(approximate, bool)


@given(n=st.integers(0, 10**15), marker=st.sampled_from(["", *MARKERS]),
       separators=st.booleans())
def test_written_numbers_read_back(n: int, marker: str, separators: bool) -> None:
    written = f"{n:,}" if separators else str(n)
    assert parse_number(f"{marker} {written}".strip()) == (n, bool(marker))


# -- dates --------------------------------------------------------------------------------------

MONTH_NAMES = sorted(MONTHS)
date_piece = st.one_of(
    st.sampled_from(MONTH_NAMES + [w.capitalize() for w in WEEKDAYS] + [
        "yesterday", "today", "tomorrow", "last night", "this morning", "ago", "since", "in",
        "between", "and", "from", "to", "until", "the", "past", "next", "last", "coming",
        "this", "within", "recent", "early", "mid", "late", "the end of", "of", "weekend",
        "week", "weeks", "month", "months", "year", "years", "decade", "decades", "day", "days",
        "hours", "a", "an", "a few", "several", "later", "earlier", "-", "–", ",", "/", "s",
    ]),
    st.integers(-5, 40).map(str),
    st.integers(1500, 2199).map(str),
    st.integers(0, 10**30).map(str),
    st.sampled_from(["0000", "9999", "2022-13-45", "2022-02-29", "2024-02-29", "1990s", "2050s",
                     "31st", "2nd", "0th", "99th", "1994-96", "2014–2022"]),
    st.sampled_from(ODD_CHARACTERS),
)
date_text = st.one_of(any_text, st.lists(date_piece, max_size=10).map(" ".join))
publication = st.one_of(st.none(), st.dates(), st.sampled_from(
    [date.min, date.max, date(1, 1, 7), date(9999, 12, 25), date(2024, 2, 29)]))

HOSTILE_DATES = [
    "yesterday", "tomorrow", "last week", "next week", "this weekend", "next Monday",
    "last Monday", "since yesterday", "the last 10 years", "2 weeks ago", "a year ago",
    "10000000000 days ago", "99999999999999999999 weeks ago", "9" * 5_000 + " years ago",
    "the past 9999999999 days", "in the coming 99999999999 years", "over the next 99999 decades",
    "in the next four decades", "from December 2022 to January", "between 30 and 31 February",
    "late 1600s", "the end of 9999", "since January 2199", "February 29", "31 April 2023",
]


@given(text=date_text, published=publication, future=st.booleans())
@example(text="yesterday and tomorrow", published=date.min, future=False)
@example(text="tomorrow, next week, next Monday", published=date.max, future=True)
@example(text="10000000000 days ago", published=date(2020, 1, 1), future=False)
@example(text="in the coming 99999999999 years", published=date(2020, 1, 1), future=True)
def test_find_dates(text: str, published: date | None, future: bool) -> None:
    for expr in find_dates(text, published, lambda offset: future):
        assert text[expr.start:expr.end] == expr.text
        assert 0 <= expr.start < expr.end <= len(text)
        assert expr.precision in PRECISIONS
        if expr.first and expr.last:
            assert expr.first <= expr.last, expr
        as_dict = expr.as_dict()
        assert set(as_dict) == {"value", "precision", "text", "start", "end"}


@given(published=publication, future=st.booleans())
def test_hostile_relative_dates(published: date | None, future: bool) -> None:
    for text in HOSTILE_DATES:
        for expr in find_dates(text, published, lambda offset: future):
            assert expr.first is None or expr.last is None or expr.first <= expr.last


@given(text=date_text, published=publication)
def test_dates_with_parser_spans(text: str, published: date | None) -> None:
    """``extra`` spans (a parser's DATE entities) anywhere in the text, even odd ones."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    for expr in find_dates(text, published, None, spans):
        assert text[expr.start:expr.end] == expr.text


@given(value=st.one_of(st.none(), any_text, st.dates().map(date.isoformat),
                       st.sampled_from(["0000-01-01", "2022-02-30", "2022-02-22T10:00:00Z",
                                        "9999-12-31", "-2022-01-01", "2022-1-1", "\u0662022"])))
def test_published_date(value: str | None) -> None:
    parsed = published_date(value)
    assert parsed is None or isinstance(parsed, date)
