"""Numbers as news text writes them, read into ``(value, approximate)``.

Three kinds of number phrase are recognised:

- digits, with thousands separators ("9,900", "9 900"), decimals and a multiplier word or
  suffix ("1.5 million", "2m", "3bn", "5k");
- number words ("twenty-seven", "two hundred and fifty", "a dozen", "half a dozen");
- vague amounts ("a few", "several", "dozens", "scores", "hundreds", "thousands",
  "tens of thousands", "millions", "several hundred"), read by the convention below.

An approximation marker in front ("over", "more than", "at least", "about", "nearly", "up to",
"some", "an estimated", ...) makes the number approximate; its value is the number stated.

Vague-amount convention (the smallest round amount the word names, close to ACLED's practice):
"a couple" 2; "a few", "several", "a handful" 3; "dozens" 12; "scores" 20; "tens" 10;
"hundreds" 100; "thousands" 1,000; "millions" 1,000,000; "tens of thousands" 10,000;
"hundreds of thousands" 100,000; "several hundred" 300. Every vague amount is approximate.
"a dozen" (12) and "a hundred" (100) are exact unless a marker says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIXES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
# Vague plurals: the smallest round amount each names.
VAGUE = {
    "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
    "millions": 1_000_000, "billions": 1_000_000_000,
}
# Vague quantifiers, alone or before a scale word ("several hundred").
FEW = {"a couple of": 2, "a couple": 2, "a few": 3, "several": 3, "a handful of": 3,
       "a handful": 3}

MARKERS = (
    "no fewer than", "no less than", "not less than", "in excess of", "as many as",
    "upwards of", "more than", "fewer than", "less than", "at least", "at most", "just over",
    "just under", "well over", "well above", "an estimated", "approximately", "close to",
    "up to", "nearly", "almost", "roughly", "around", "about", "over", "under", "some",
    "estimated", "approx.", "above",
)


def _alt(words: Iterable[str]) -> str:
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


_ATOM = rf"(?:(?:{_alt(_TENS)})(?:-(?:{_alt(list(_UNITS)[1:10])}))?|{_alt(_UNITS)}" \
        rf"|{_alt(_SCALES)}|dozen)\b"
_AND = r"(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+"
_WORDS = rf"(?:half\s+a\s+dozen\b|(?:an?\s+)?{_ATOM}(?:(?:{_AND}|[\s-]+){_ATOM})*)"
_DIGITS = (
    r"(?<![\w.,/:$€£¥-])(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)"
    r"(?:\.\d+)?"
    rf"(?:(?:{_alt(_SUFFIXES)})\b|\s+(?:{_alt(_SCALES)}|dozen)\b)?(?![\w%-])"
)
_VAGUE = rf"(?:{_alt(VAGUE)})\b(?:\s+of\s+(?:thousands|millions|billions)\b)?"
_FEW = rf"(?:{_alt(FEW)})\b(?:\s+(?:{_alt(_SCALES)}|dozen)\b)?"
_NUMBER = rf"(?:{_VAGUE}|{_FEW}|{_DIGITS}|{_WORDS})"
_MARK = rf"(?:{_alt(MARKERS)})\s+"
# _value's patterns, built once: building them from the word lists was most of its cost.
_VAGUE_VALUE = re.compile(rf"({_alt(VAGUE)})(?: of (thousands|millions|billions))?")
_FEW_VALUE = re.compile(rf"({_alt(FEW)})(?: ({_alt(_SCALES)}|dozen))?")
NUMBER_RE = re.compile(rf"(?<![\w-])(?P<mark>{_MARK})?(?P<num>{_NUMBER})", re.IGNORECASE)
# A phrase naming more than a signed 64-bit integer holds is no count: it could not be stored
# ("99999999999999999999999", "hundred hundred hundred ..."). Float-valued, so the bound is exact.
MAX_VALUE = 2.0**63
_NOT_COUNTS = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number phrase in a text: ``text[start:end]``, marker included."""

    text: str
    start: int
    end: int
    value: int
    approximate: bool
    number_start: int  # where the number proper begins, after any approximation marker


def _words_value(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("a", "an", "and"):
            continue
        if word in _UNITS or word in _TENS:
            current += _UNITS.get(word, _TENS.get(word, 0))
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _value(phrase: str) -> tuple[int, bool] | None:
    """The value of one number phrase without marker, and whether the phrase itself is vague."""
    text = re.sub(r"\s+", " ", phrase.strip().lower())
    if text == "half a dozen":
        return 6, False
    if match := _VAGUE_VALUE.fullmatch(text):
        value = VAGUE[match.group(1)]
        if match.group(2):
            value *= VAGUE[match.group(2)]
        return value, True
    if match := _FEW_VALUE.fullmatch(text):
        scale = match.group(2)
        return FEW[match.group(1)] * (12 if scale == "dozen" else _SCALES.get(scale or "", 1)), True
    if match := re.fullmatch(r"([\d,. \u00a0\u202f]*\d)\s*([a-z]*)", text):
        digits, unit = match.groups()
        digits = re.sub(r"[,\s\u00a0\u202f]", "", digits)
        if digits.count(".") > 1:
            return None
        scale = _SUFFIXES.get(unit) or _SCALES.get(unit) or (12 if unit == "dozen" else None)
        if unit and scale is None:
            return None
        number = float(digits) * (scale or 1)  # inf for a few hundred digits
        return (round(number), False) if number < MAX_VALUE else None
    words = _words_value(re.split(r"[\s-]+", text))
    return (words, False) if words is not None and words < MAX_VALUE else None


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number phrase in ``text``, left to right (percentages are left out)."""
    out = []
    for match in NUMBER_RE.finditer(text):
        if _NOT_COUNTS.match(text, match.end()):
            continue
        parsed = _value(match.group("num"))
        if parsed is None:
            continue
        value, vague = parsed
        out.append(NumberMatch(match.group(0), match.start(), match.end(), value,
                               vague or match.group("mark") is not None, match.start("num")))
    return out


def parse_number(text: str) -> tuple[int, bool] | None:
    """``(value, approximate)`` when the whole of ``text`` is one number phrase, else None.

    >>> parse_number("over 9,900")
    (9900, True)
    >>> parse_number("tens of thousands")
    (10000, True)
    """
    match = NUMBER_RE.fullmatch(text.strip())
    if match is None:
        return None
    parsed = _value(match.group("num"))
    if parsed is None:
        return None
    return parsed[0], parsed[1] or match.group("mark") is not None
