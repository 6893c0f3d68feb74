"""Very long articles are split into parts that are analysed, stored and coded separately.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and the parser's memory and
time grow with the text, so a 5 MB document (a parliamentary record, a scraped PDF) would fail or
run past the time limit. Nothing is dropped: the text is cut at the last paragraph break before
the limit (else a line break, a sentence end, a space, or, for a text without any, a hard cut),
and each part becomes an article of its own whose id and source say which part it is, with the
reason recorded in its ``warnings``. Events that straddle a cut are the price; paragraph cuts make
that rare.
"""

from __future__ import annotations

import dataclasses
import re

from diurna.article import Article

DEFAULT_SPLIT_CHARS = 200_000
"""About 33,000 words: a few seconds of parsing on one core, and far above any news article."""

# Where a cut may fall, best first: the end of each match is the start of the next part.
_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)]*\s+"),
           re.compile(r"\s+"))


def _cut(text: str, start: int, limit: int) -> int:
    """The end of the part that starts at ``start``: at most ``limit`` characters long."""
    end = start + limit
    if end >= len(text):
        return len(text)
    # Look back over the second half of the window only, so parts stay reasonably full.
    low = start + limit // 2
    for pattern in _BREAKS:
        last = None
        for match in pattern.finditer(text, low, end):
            last = match
        if last is not None:
            return last.end()
    return end


def split_parts(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive parts covering ``text``, none longer than ``limit``."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    parts: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        parts.append((start, end))
        start = end
    return parts or [(0, 0)]


def split_long_article(article: Article, limit: int = DEFAULT_SPLIT_CHARS) -> list[Article]:
    """``[article]`` if it is short enough or not going to be analysed, else its parts."""
    if article.status != "ok" or len(article.text) <= limit:
        return [article]
    spans = split_parts(article.text, limit)
    total = len(spans)
    parts = []
    for number, (start, end) in enumerate(spans, 1):
        reason = (
            f"split: part {number} of {total} of a {len(article.text):,}-character article "
            f"(characters {start:,}-{end:,}); articles over {limit:,} characters are analysed "
            "in parts"
        )
        parts.append(dataclasses.replace(
            article,
            id=f"{article.id}~part{number:03d}",
            text=article.text[start:end],
            raw="",  # the whole input is not kept once per part
            source=f"{article.source or article.id} (part {number} of {total})",
            removed=list(article.removed) if number == 1 else [],
            warnings=[*article.warnings, reason],
            sentences=[], entities=[], events=[], counts=[], quotes=[], relations=[], places=[],
            doc=None,
        ))
    return parts


def truncate_long_article(article: Article, limit: int = DEFAULT_SPLIT_CHARS) -> Article:
    """Keep the first part of a too-long article, for callers that must return one article
    (:func:`diurna.extract`); the cut and its reason are recorded in ``warnings``."""
    if article.status != "ok" or len(article.text) <= limit:
        return article
    start, end = split_parts(article.text, limit)[0]
    article.warnings.append(
        f"truncated: analysed characters {start:,}-{end:,} of a {len(article.text):,}-character "
        f"article (over {limit:,}); ingest or extract a file to analyse every part"
    )
    article.text = article.text[start:end]
    return article
