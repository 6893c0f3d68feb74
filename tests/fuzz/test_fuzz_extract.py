"""The whole pipeline (``diurna.extract`` and ``extract_paths``) on random and hostile input.

Properties: nothing but a documented ``InputError`` (naming its source) comes out of
``diurna.extract``; every article has a documented status; a failed article and every error
record carry a reason that names the file, record or ``<text>``; every offset (sentences,
entities, event triggers, counts, quotes, relation evidence, places) lies within the text and
quotes it; every record can be written as UTF-8 JSON; nothing hangs.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import (
    ODD_CHARACTERS,
    STATUSES,
    VOCABULARY,
    any_text,
    check_offsets,
    expensive,
    newsy_text,
    time_limit,
    where_named,
)
from hypothesis import example, given
from hypothesis import strategies as st

import diurna
from diurna.article import Article
from diurna.errors import InputError
from diurna.jobs.extract import extract_paths

pytestmark = pytest.mark.usefixtures("nlp_loaded")

# One example may parse a few thousand characters; a minute means a hang.
HANG = 60

publication = st.one_of(
    st.none(), st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-29", "garbage", "", "2022-02-30",
                     "2022-02-22T10:00:00Z"]),
)
html_page = st.tuples(newsy_text, newsy_text, st.sampled_from(["", "<div>" * 300, "<b>"])).map(
    lambda p: f"<html><head><title>{p[0][:60]}</title></head><body>{p[2]}<article><p>{p[1]}"
              "</p></article></body></html>"
)


def check_article(article: Article, source: str) -> dict[str, Any]:
    assert isinstance(article, Article)
    assert article.status in STATUSES, article.status
    if article.status == "failed":
        assert where_named(article.status_reason, source), article.status_reason
    record = article.to_record()
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # what `diurna extract` writes
    check_offsets(record)
    return record


def run_extract(text: str, source: str = "<text>", **kwargs: Any) -> Article | None:
    """``diurna.extract``, allowing only the documented refusal (an InputError naming it)."""
    with time_limit(HANG, "diurna.extract"):
        try:
            article = diurna.extract(text, **kwargs)
        except InputError as exc:
            assert where_named(str(exc), source), exc
            return None
    check_article(article, source)
    return article


@expensive()
@given(text=st.one_of(newsy_text, any_text, html_page), published=publication,
       url=st.one_of(st.none(), st.just("https://news.example.test/a?b=c")))
@example(text="Kazakhstan does not recognise the Donetsk People's Republic.", published=None,
         url=None)
@example(text="Police arrested 9,999,999,999 billion protesters in Almaty yesterday.",
         published="0001-01-01", url=None)
@example(text="Russia will sign the treaty since January, officials said.",
         published="2024-02-29", url=None)
def test_extract_random_text(text: str, published: str | None, url: str | None) -> None:
    run_extract(text, url or "<text>", published=published, url=url)


@expensive()
@given(data=st.binary(max_size=1500), suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
def test_extract_random_bytes(data: bytes, suffix: str) -> None:
    """Bytes through the readers and the pipeline: an error record or a valid record each."""
    with tempfile.TemporaryDirectory(prefix="diurna-fuzz-") as folder:
        path = Path(folder) / ("input" + suffix)
        path.write_bytes(data)
        with time_limit(HANG, "extract_paths"):
            records = list(extract_paths([path]))
    for record in records:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
        if "error" in record:
            assert where_named(record["error"], str(path)), record
            assert str(path) in record["source"]
        else:
            assert record["status"] in STATUSES - {"failed"}
            assert str(path) in record["source"]
            check_offsets(record)


@expensive()
@given(lines=st.lists(st.one_of(
    st.builds(lambda t, i: json.dumps({"id": i, "text": t}), newsy_text,
              st.sampled_from(["a", "b", "c"])),
    st.builds(lambda t: json.dumps({"text": t, "published": "0001-01-01"}), newsy_text),
    st.sampled_from(['{"text": 5}', "[]", "{", '{"text": "\\ud800"}', "", "null"]),
), max_size=6))
def test_extract_jsonl_with_duplicates_and_errors(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="diurna-fuzz-") as folder:
        path = Path(folder) / "dump.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        with time_limit(HANG, "extract_paths"):
            records = list(extract_paths([path]))
    assert len(records) == sum(1 for line in lines if line.strip())
    for record in records:
        if "error" in record:
            assert where_named(record["error"], f"{path}:"), record
        else:
            assert record["status"] in STATUSES - {"failed"}
            check_offsets(record)


# -- fixed hostile cases ----------------------------------------------------------------------

SENTENCE = "Kazakhstan recognised the treaty in Almaty on Tuesday, officials said."
HOSTILE = {
    "rtl-arabic": "قال وزير الخارجية إن المحادثات ستستأنف يوم الثلاثاء في جنيف. " * 3 + SENTENCE,
    "rtl-hebrew-mixed": "שר החוץ אמר \u202eKazakhstan recognised\u202c the treaty. " + SENTENCE,
    "bidi-controls": "\u2067Kazakhstan\u2069 \u202bsaid\u202c \u200fthat 12 soldiers were "
                     "killed\u200e near \u202dAlmaty\u202c yesterday.",
    "emoji": "🇰🇿 Kazakhstan 👨\u200d👩\u200d👧 recognised 🔥🔥 the treaty 😀. " * 3 + "👍🏽" * 50,
    "emoji-only": "😀" * 500,
    "nul": "Kazakhstan\x00 recognised the treaty\x00 on Tuesday.\x00 " + SENTENCE,
    "nul-only": "\x00" * 100,
    "controls": "".join(chr(c) for c in range(1, 32)) + SENTENCE,
    "combining": "Kaza\u0301\u0301\u0301khstan " + "a\u0300" * 500 + " " + SENTENCE,
    "odd-mix": " ".join(ODD_CHARACTERS) + " " + SENTENCE,
    "no-spaces": "Kazakhstan" * 2_000,
    "one-long-word": "x" * 50_000,
    "newlines-only": "\n" * 10_000 + SENTENCE + "\n" * 10_000,
    "huge-line": " ".join(VOCABULARY[i % 30] for i in range(4_000)) + ".",
    "many-short-lines": "\n".join(f"Line {i}." for i in range(3_000)),
    "quotes": '"' * 1_000 + SENTENCE + "\u201c" * 1_000,
    "html-nul": "<html><body><p>" + SENTENCE + "\x00</p></body></html>",
    "deep-html": "<html><body>" + "<div>" * 5_000 + f"<p>{SENTENCE}</p>" + "</div>" * 5_000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_extract_hostile(name: str) -> None:
    run_extract(HOSTILE[name])


@pytest.mark.slow
def test_extract_one_megabyte_sentence() -> None:
    """A 1 MB article that is one sentence: analysed, or given up on with a timeout; in about a
    minute either way."""
    text = ("the talks went on and on without end " * 30_000)[: 1024 * 1024]
    started = time.monotonic()
    with time_limit(120, "a 1 MB sentence"):
        article = diurna.extract(text)
    elapsed = time.monotonic() - started
    check_article(article, "<text>")
    assert article.status == "ok" or (
        article.status == "failed" and "timed out" in (article.status_reason or "")
    ), article.status_reason
    assert elapsed < 90, f"took {elapsed:.0f} s"
