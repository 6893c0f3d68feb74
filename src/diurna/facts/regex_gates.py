"""Cheap necessary conditions for a regular expression to match, read from the pattern itself.

The date patterns are tried on every sentence, and most sentences hold no date; ``re`` then tries
each pattern at every position, which costs more than everything else the dates step does. A
*gate* is a test that every match of a pattern implies: the text holds a digit, or one of the
literal strings that the pattern cannot match without ("ago", a month name). A text that fails a
gate cannot match, so the pattern is skipped, and ``finditer`` gives the same matches as before.

Gates are derived from the parsed pattern (``re._parser``), so they follow the patterns when the
data changes; a construct the analysis does not know adds no condition (it never guesses), and if
the parser's internals change, every pattern is simply run.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from typing import Any

Token = tuple[str, bool]  # (literal text, case-insensitive), or _DIGIT
Requirement = frozenset[Token]  # one of these must occur in every match
_DIGIT: Token = ("", False)  # any character of \d
# A requirement with more alternatives than this is too weak to be worth a search.
MAX_ALTERNATIVES = 40
# Only a requirement whose every alternative is at least this long (a digit counts as this long)
# is worth a search: "s", "in" or "-" occur in nearly every text.
MIN_SELECTIVE = 3
# Requirements searched per pattern, the most selective first.
MAX_CONDITIONS = 2

Gate = Callable[[str, dict[str, Any]], bool]


def requirements(pattern: re.Pattern[str]) -> list[Requirement]:
    """Conditions every match of ``pattern`` satisfies (each: one of its tokens occurs)."""
    try:
        parser = importlib.import_module("re._parser")
        constants = importlib.import_module("re._constants")
        tree = parser.parse(pattern.pattern, pattern.flags)
        return _sequence(tree, bool(pattern.flags & re.IGNORECASE), constants)
    except Exception:  # another Python's re internals: no gate, the pattern always runs
        return []


def _sequence(items: Iterable[tuple[Any, Any]], ci: bool, c: Any) -> list[Requirement]:
    reqs: list[Requirement] = []
    run: list[str] = []  # consecutive literal characters: contiguous in every match
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def flush() -> None:
        if run:
            reqs.append(frozenset({("".join(run), ci)}))
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is c.IN and _digits_only(av, c):
            reqs.append(frozenset({_DIGIT}))
        elif op is c.SUBPATTERN:
            _group, add, remove, sub = av
            inner = (ci or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            reqs += _sequence(sub, inner, c)
        elif op in repeats:
            low, _high, sub = av
            if low >= 1:
                reqs += _sequence(sub, ci, c)
        elif op is c.BRANCH:
            alternatives: set[Token] = set()
            for alternative in av[1]:
                found = _sequence(alternative, ci, c)
                if not found:  # an alternative without a condition: the branch has none
                    alternatives = set()
                    break
                strongest: Requirement = max(found, key=_strength)
                alternatives |= strongest
            if alternatives:
                reqs.append(frozenset(alternatives))
        # anything else (\b, lookarounds, other classes, backreferences...): no condition
    flush()
    return reqs


def _digits_only(members: list[tuple[Any, Any]], c: Any) -> bool:
    """A character class every member of which is a decimal digit (so \\d finds it)."""
    for op, av in members:
        if op is c.LITERAL and re.fullmatch(r"\d", chr(av)):
            continue
        if op is c.RANGE and ord("0") <= av[0] <= av[1] <= ord("9"):
            continue
        if op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            continue
        return False
    return bool(members)


def _strength(req: Requirement) -> tuple[int, int]:
    """Fewer alternatives, then longer literals, make a stronger condition."""
    return -len(req), min(len(text) for text, _ in req)


def _source(req: Requirement) -> str:
    parts = []
    for token in sorted(req):
        text, ci = token
        if token == _DIGIT:
            parts.append(r"\d")
        else:
            parts.append(f"(?i:{re.escape(text)})" if ci else re.escape(text))
    return "|".join(parts)


def _folded(req: Requirement) -> Requirement:
    """A literal that starts with a digit implies a digit: it becomes \\d (weaker, but one
    search that many patterns share)."""
    return frozenset(
        _DIGIT if t != _DIGIT and re.match(r"\d", t[0]) else t for t in req
    )


def _selectivity(req: Requirement) -> int:
    return min(MIN_SELECTIVE if t == _DIGIT else len(t[0]) for t in req)


_COMPILED: dict[str, re.Pattern[str]] = {}
_DIGIT_RE = re.compile(r"\d")
# The only characters outside ASCII that a case-insensitive ASCII letter matches (İ ı for i, ſ
# for s, the Kelvin sign for k), and the only ones whose lower() holds an ASCII letter (İ, K).
# In a text without them, (?i:word) matches exactly where word occurs in text.lower().
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")
_LOWER = "\0lower"  # where a text's lower() (or None: unsafe) is kept in ``seen``


def _check(req: Requirement) -> Callable[[str, str | None], bool]:
    """Whether ``req`` holds in a text; the second argument is the text's lower() when that
    may stand for case-insensitive matching (substring tests are cheaper than ``re`` there)."""
    search = _COMPILED.setdefault(_source(req), re.compile(_source(req))).search
    words = [t for t in req if t != _DIGIT]
    if any(ci and not (text.isascii() and text.isalpha()) for text, ci in words):
        return lambda text, lowered: search(text) is not None
    digit = _DIGIT in req
    exact = [text for text, ci in words if not ci]
    folded = [text.lower() for text, ci in words if ci]

    def check(text: str, lowered: str | None) -> bool:
        if lowered is None:
            return search(text) is not None
        return ((digit and _DIGIT_RE.search(text) is not None) or any(w in text for w in exact)
                or any(w in lowered for w in folded))

    return check


def _lowered(text: str, seen: dict[str, Any]) -> str | None:
    if _LOWER not in seen:
        safe = text.isascii() or not _CASE_TRAPS.search(text)
        seen[_LOWER] = text.lower() if safe else None
    lowered: str | None = seen[_LOWER]
    return lowered


def gate(pattern: re.Pattern[str]) -> Gate:
    """A test of a text that is False only when ``pattern`` cannot match anywhere in it.

    Its second argument caches each condition's answer for one text, across patterns."""
    reqs = {_folded(r) for r in requirements(pattern) if len(r) <= MAX_ALTERNATIVES}
    chosen = sorted(
        (r for r in reqs if _selectivity(r) >= MIN_SELECTIVE),
        key=lambda r: (-_selectivity(r), len(r), _source(r)),
    )[:MAX_CONDITIONS]
    checks = [(_source(r), _check(r)) for r in chosen]

    def passes(text: str, seen: dict[str, Any]) -> bool:
        for key, check in checks:
            found = seen.get(key)
            if found is None:
                found = seen[key] = check(text, _lowered(text, seen))
            if not found:
                return False
        return True

    return passes
