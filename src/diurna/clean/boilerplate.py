"""Removing the boilerplate that scrapers leave around an article's body.

Works on plain text (HTML pages arrive here as trafilatura's text), line by line. A line is
removed when it is a repeated headline, a share/subscribe/cookie/navigation line (patterns in
``data/boilerplate.json``), a byline or timestamp line, or a short banner or sponsor line standing
before the headline or after the last paragraph. Every removed line is reported with its reason.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from diurna.article import Article, Removed

# A body paragraph has at least this many words, or ends like a sentence with at least
# BODY_MIN_WORDS_PUNCTUATED words. Headlines, banners and crumbs are shorter; calibrated on the
# shared sample and the project's examples, where the shortest real paragraph has 14 words.
BODY_MIN_WORDS = 12
BODY_MIN_WORDS_PUNCTUATED = 5
# A repeated line is a headline (not a repeated paragraph of content) if it is at most this long.
HEADLINE_MAX_WORDS = 30
# Lines this short, standing alone before the headline or after the last paragraph, carry no
# content: banner words, sponsor names, section labels ("Savronik Banner", "FNSS", "World").
STRAY_LINE_MAX_WORDS = 4
# The first head line with at least this many words (and no banner word) is the headline.
TITLE_MIN_WORDS = 3
# Hard-wrapped plain text: most long lines fall in this width band. Only then are the lines of a
# block joined into one paragraph; otherwise each line is a paragraph (as trafilatura outputs).
WRAP_WIDTH = (55, 90)
WRAP_SHARE = 0.7

_QUOTES = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    }
)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_SENTENCE_END = re.compile(r"""[.!?:;]["')\]]*$|["']$""")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class _Rules:
    patterns: tuple[tuple[re.Pattern[str], str, int], ...]
    banner_words: frozenset[str]
    byline: re.Pattern[str]
    timestamp: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw: dict[str, Any] = json.loads(
        resources.files("diurna.clean").joinpath("data/boilerplate.json").read_text("utf-8")
    )
    return _Rules(
        patterns=tuple(
            (re.compile(p["pattern"], re.IGNORECASE), p["reason"], int(p["max_words"]))
            for p in raw["line_patterns"]
        ),
        banner_words=frozenset(raw["banner_words"]),
        byline=re.compile(raw["byline_pattern"], re.IGNORECASE),
        timestamp=re.compile(raw["timestamp_pattern"], re.IGNORECASE),
    )


def normalise(text: str) -> str:
    """NFC, one kind of newline, straight quotes, no invisible characters, single spaces."""
    # Invisible characters go before NFC: one between a letter and its accent would keep it from
    # composing them ("A\u00ad\u030a" must become "\u00c5", as "A\u030a" does).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).translate(_QUOTES)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


# _key and _words are asked several times about each line of an article: remembered.
@lru_cache(maxsize=4096)
def _key(line: str) -> str:
    """Comparison key for repeated lines: case and punctuation do not count."""
    return " ".join(_WORD.findall(line.casefold()))


@lru_cache(maxsize=4096)
def _words(line: str) -> int:
    return len(_WORD.findall(line))


def is_body_line(line: str) -> bool:
    n = _words(line)
    punctuated = bool(_SENTENCE_END.search(line))
    return n >= BODY_MIN_WORDS or (n >= BODY_MIN_WORDS_PUNCTUATED and punctuated)


@dataclass
class CleanResult:
    text: str
    title: str | None
    author: str | None = None
    removed: list[Removed] = field(default_factory=list)


def _pattern_reason(line: str) -> str | None:
    rules = _rules()
    n = _words(line)
    for pattern, reason, max_words in rules.patterns:
        if n <= max_words and pattern.search(line):
            return reason
    if rules.timestamp.match(line) and n <= 10:
        return "timestamp line"
    return None


def _is_hard_wrapped(lines: list[str]) -> bool:
    long_lines = [len(line) for line in lines if len(line) >= 40]
    if len(long_lines) < 3 or max(long_lines) > WRAP_WIDTH[1] + 10:
        return False
    in_band = sum(WRAP_WIDTH[0] <= n <= WRAP_WIDTH[1] for n in long_lines)
    return in_band / len(long_lines) >= WRAP_SHARE


def _alone(lines: list[str], i: int) -> bool:
    """The line stands on its own: blank lines (or the edge of the text) before and after."""
    return (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1])


def _headline_shaped(lines: list[str], i: int) -> bool:
    """A line on its own, short enough and not ending like a sentence."""
    line = lines[i]
    short = _words(line) <= HEADLINE_MAX_WORDS
    return _alone(lines, i) and short and not _SENTENCE_END.search(line)


def clean_text(raw: str, title: str | None = None) -> CleanResult:
    """Clean one article's text.

    ``title`` is the headline when the source gave one (HTML, JSONL).
    """
    rules = _rules()
    lines = normalise(raw).split("\n")
    keep = [bool(line) for line in lines]
    reasons: dict[int, str] = {}
    author: str | None = None

    # 1. Share, subscribe, cookie, navigation, footer lines: anywhere.
    for i, line in enumerate(lines):
        if keep[i] and (reason := _pattern_reason(line)):
            keep[i], reasons[i] = False, reason

    # A text of one line is all body: a lone sentence (a JSONL record, a line on stdin) is never
    # taken for a headline, a banner or a sponsor line.
    if sum(keep) <= 1:
        removed = [Removed(lines[i], reasons[i]) for i in sorted(reasons)]
        return CleanResult(_paragraphs(lines, keep), title, author, removed)

    # 2. Headlines repeated between paragraphs: the repeated short line is the title. A line
    # repeated only around the body (a masthead at the top and the bottom) is not preferred.
    body_rows = [i for i, line in enumerate(lines) if keep[i] and is_body_line(line)]
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if keep[i] and _words(line) <= HEADLINE_MAX_WORDS:
            counts[_key(line)] = counts.get(_key(line), 0) + 1
    repeated = {k for k, c in counts.items() if c >= 2 and k}
    title_key = _key(title) if title else None
    if title is None and repeated:
        rows = [i for i, line in enumerate(lines) if keep[i] and _key(line) in repeated]
        inside = {_key(lines[i]) for i in rows if body_rows and body_rows[0] < i < body_rows[-1]}
        first = next((i for i in rows if _key(lines[i]) in inside), rows[0])
        title, title_key = lines[first], _key(lines[first])

    # 3. The head, before the first body paragraph: headline, banners, bylines. A long headline
    # has as many words as a paragraph: a first line standing alone, without a sentence end,
    # followed by more body, is taken for the headline.
    if title is None and len(body_rows) > 1 and _headline_shaped(lines, body_rows[0]):
        body_rows = body_rows[1:]
    first_body = body_rows[0] if body_rows else len(lines)
    last_body = body_rows[-1] if body_rows else -1
    # In hard-wrapped text, the first line of a paragraph is short too: only a line standing
    # alone can be the headline there.
    wrapped = _is_hard_wrapped([line for line in lines if line])
    for i in range(first_body):
        if not keep[i]:
            continue
        line = lines[i]
        if rules.byline.match(line):
            keep[i], reasons[i] = False, "byline"
            author = author or re.sub(r"^(by|written by|reporting by)\s+", "", line, flags=re.I)
        elif (
            title is None
            and _words(line) >= TITLE_MIN_WORDS
            and not set(_key(line).split()) & rules.banner_words
            and (not wrapped or _alone(lines, i))
        ):
            title, title_key = line, _key(line)
        elif _key(line) != title_key and (
            _words(line) <= STRAY_LINE_MAX_WORDS or set(_key(line).split()) & rules.banner_words
        ):
            keep[i], reasons[i] = False, "banner"

    # 4. Every copy of the headline leaves the body; it is kept once, as the title.
    copies = [
        i for i, line in enumerate(lines) if keep[i] and title_key and _key(line) == title_key
    ]
    for i in copies:
        keep[i], reasons[i] = False, "repeated headline" if len(copies) > 1 else "headline"

    # 5. The tail, after the last paragraph: sponsor names, stray labels.
    for i in range(last_body + 1, len(lines)):
        if keep[i] and _words(lines[i]) <= STRAY_LINE_MAX_WORDS and not _SENTENCE_END.search(
            lines[i]
        ):
            keep[i], reasons[i] = False, "sponsor or footer"

    removed = [Removed(lines[i], reasons[i]) for i in sorted(reasons)]
    return CleanResult(_paragraphs(lines, keep), title, author, removed)


def _paragraphs(lines: list[str], keep: list[bool]) -> str:
    """Join kept lines into paragraphs separated by a blank line."""
    kept = [line for line, k in zip(lines, keep, strict=True) if k]
    if not _is_hard_wrapped(kept):
        return "\n\n".join(kept)
    paragraphs: list[str] = []
    block: list[str] = []
    for line, k in zip(lines, keep, strict=True):
        if k:
            block.append(line)
        elif not line and block:  # a blank line ends a block; a removed line does not
            paragraphs.append(" ".join(block))
            block = []
    if block:
        paragraphs.append(" ".join(block))
    return "\n\n".join(paragraphs)


class BoilerplateStep:
    """Pipeline step: clean ``raw`` into ``text``, set the title, report what was removed."""

    name = "clean"

    def __call__(self, article: Article) -> Article:
        result = clean_text(article.raw, article.title)
        article.text = result.text
        article.title = result.title
        article.author = article.author or result.author
        article.removed = result.removed
        article.raw = ""  # the raw input is not needed past this point: keep records small
        if not article.text.strip():
            article.status = "failed"
            article.status_reason = f"{article.source}: empty article after removing boilerplate"
        return article
