"""Shared checks and strategies of the fuzz tests (imported by the test modules of this folder)."""

from __future__ import annotations

import faulthandler
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from diurna.article import Article, Failure
from diurna.readers import ReadOptions, read_paths

STATUSES = {"ok", "duplicate", "non_english", "failed"}

# Tests that run spaCy or build very large inputs take the profile's number of examples, but
# at most this many: a `make fuzz` campaign then stays within about ten minutes.
EXPENSIVE_MAX_EXAMPLES = 600


def expensive() -> settings:
    """Settings for an expensive test: the loaded profile (see conftest.py), fewer examples."""
    return settings(max_examples=min(settings.default.max_examples, EXPENSIVE_MAX_EXAMPLES))

# Words the pipeline has something to say about (invented places and people, real states and
# organisations, event verbs, numbers and dates), so that random text reaches the coders.
VOCABULARY = [
    "Kazakhstan", "Russia", "Ukraine", "the CSTO", "NATO", "Aldovia", "Korsk", "Tokayev",
    "the Donetsk People's Republic", "government", "police", "soldiers", "protesters", "rebels",
    "the minister", "said", "recognised", "does not recognise", "will sign", "killed", "arrested",
    "wounded", "attacked", "met", "condemned", "sanctions", "a treaty", "troops", "near", "in",
    "Almaty", "Geneva", "on Tuesday", "yesterday", "next week", "in March 2022", "since 2014",
    "three days ago", "two hundred", "at least 12", "dozens of", "9,900", "1.5 million", "over",
    "and", "the", "of", "not", '"', "'", ",", ".", ";", ":", "(", ")", "—", "-", "\n", "\n\n",
    "Share this article", "Subscribe", "By Anna Keller", "ALMATY, March 3, 2023 —",
]

# Characters that break assumptions: controls, bidi controls, invisible characters, combining
# marks, surrogate-free astral characters, digits of other scripts, emoji with joiners.
ODD_CHARACTERS = [
    "\x00", "\x01", "\x1f", "\x7f", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x85", "\u2028",
    "\u2029", "\u200b", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e", "\u2066", "\u2067", "\u2069", "\ufeff", "\u00ad", "\u0301", "\u0308", "\u00a0",
    "\u3000", "\u05d0", "\u05e9", "\u0627", "\u0644", "\u0663", "\u0966", "\uff11", "\U0001d7d7",
    "\U0001f600", "\U0001f1f0\U0001f1ff", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f44d\U0001f3fd", "\u2764\ufe0f", "\u201c", "\u201d", "\u2019", "\u00ab", "\u00bb",
    "ß", "İ", "ı", "ﬁ", "Å", "\u212b", "&amp;", "&#0;", "<", ">",
]

# Text without lone surrogates (those cannot come out of any reader: files are decoded as UTF-8).
text_chars = st.characters(exclude_categories=["Cs"])

newsy_text = st.lists(
    st.one_of(
        st.sampled_from(VOCABULARY),
        st.sampled_from(ODD_CHARACTERS),
        st.text(text_chars, max_size=12),
    ),
    max_size=60,
).map(" ".join)

any_text = st.one_of(st.text(text_chars, max_size=400), newsy_text)


def where_named(reason: str | None, name: str) -> bool:
    """The reason is non-empty and names ``name`` (a file, ``<text>``, ``<stdin>``...)."""
    return bool(reason and reason.strip()) and name in reason


def check_read_items(items: list[Article | Failure], path: Path | str) -> None:
    """What every reader promises for every input: articles or failures, never anything else;
    a failure names its file (and line or record) and says why; an article has text."""
    name = str(path)
    for item in items:
        assert isinstance(item, Article | Failure), item
        if isinstance(item, Failure):
            assert where_named(item.reason, name), item
            assert name in item.source, item
        else:
            assert item.source is not None and name in item.source, item
            assert isinstance(item.raw, str) and item.raw.strip(), item
            item.raw.encode("utf-8")  # no lone surrogates: the text can be stored and written
            for value in (item.id, item.url, item.title, item.published, item.author):
                assert value is None or isinstance(value, str)
                if value is not None:
                    value.encode("utf-8")


def read_bytes(name: str, data: bytes, max_bytes: int | None = None) -> tuple[list[Any], Path]:
    """Write ``data`` to a fresh file called ``name`` and read it through ``read_paths``.

    The path returned no longer exists; it is what failures and sources name."""
    with tempfile.TemporaryDirectory(prefix="diurna-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        options = ReadOptions() if max_bytes is None else ReadOptions(max_bytes=max_bytes)
        items = list(read_paths([path], options))
    check_read_items(items, path)
    return items, path


def check_offsets(record: dict[str, Any]) -> None:
    """Every span of an ``extract`` record lies within its text and quotes it exactly."""
    text = record["text"]
    n = len(text)
    sentences = record["sentences"]
    assert [s["index"] for s in sentences] == list(range(len(sentences)))

    def span(item: dict[str, Any], what: str) -> None:
        start, end = item["start"], item["end"]
        assert isinstance(start, int) and isinstance(end, int), (what, item)
        assert 0 <= start <= end <= n, (what, item, n)
        assert text[start:end] == item["text"], (what, item)

    def sentence_index(item: dict[str, Any], what: str) -> None:
        assert 0 <= item["sentence_index"] < len(sentences), (what, item)

    for s in sentences:
        span(s, "sentence")
    for e in record["entities"]:
        span(e, "entity")
        sentence_index(e, "entity")
    for e in record["events"]:
        span(e["trigger"], "event trigger")
        sentence_index(e, "event")
    for c in record["counts"]:
        span(c, "count")
        sentence_index(c, "count")
    for q in record["quotes"]:
        span(q, "quote")
        sentence_index(q, "quote")
    for r in record["relations"]:
        span(r["evidence"], "relation evidence")
        sentence_index(r, "relation")
    for p in record["places"]:
        span(p, "place")
        sentence_index(p, "place")


@contextmanager
def time_limit(seconds: int, what: str) -> Iterator[None]:
    """Stop the run with every thread's traceback (instead of hanging CI) if the block takes
    more than ``seconds``, and fail the test if it took more than that anyway.

    A watchdog thread (faulthandler), not SIGALRM: the pipeline's own per-article deadline uses
    the process's one alarm timer."""
    started = time.monotonic()
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
    elapsed = time.monotonic() - started
    assert elapsed <= seconds, f"{what} took {elapsed:.0f} s, more than {seconds} s"
