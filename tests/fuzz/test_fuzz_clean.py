"""The cleaning steps on arbitrary text: boilerplate, dateline, language, identity and dedup.

Properties: nothing raises; the cleaned text is normalised (NFC, no carriage returns, no
invisible characters, single spaces, paragraphs split by exactly one blank line); cleaning only
takes words away, and every word taken away is reported in ``removed`` with a documented reason;
a dateline is a real date at the start of the text; statuses and reasons are the documented ones;
ids are stable; the content hash ignores case and whitespace; deduplication links every copy to
the first article with that text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter

from fuzz_support import ODD_CHARACTERS, any_text, newsy_text, text_chars, where_named
from hypothesis import example, given
from hypothesis import strategies as st

from diurna.article import Article
from diurna.clean.boilerplate import BoilerplateStep, clean_text, normalise
from diurna.clean.dateline import DatelineStep, parse_dateline
from diurna.clean.dedup import Deduplicator, IdentityStep, Verdict, content_hash
from diurna.clean.language import LanguageStep, detect_language
from diurna.pipeline import prepare_pipeline

# The reasons of docs/extract-format.md ("Removed").
REASONS = {
    "share button", "subscription prompt", "cookie notice", "advertisement", "related links",
    "social prompt", "footer", "image credit", "navigation", "timestamp line", "byline",
    "banner", "headline", "repeated headline", "sponsor or footer",
}
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
WORD = re.compile(r"\w+")

# Articles as scrapers leave them: lines of boilerplate, headlines, body paragraphs and noise.
article_lines = st.lists(
    st.one_of(
        newsy_text,
        st.sampled_from([
            "Share this article", "Subscribe to our newsletter", "Accept cookies", "Advertisement",
            "Related:", "Follow us on Twitter", "Home > World > Asia", "By Anna Keller",
            "Updated 10:42 GMT", "Harbour News Banner", "Aldovia refuses to recognise the vote",
            "", "", "\r", "\u00a0", "ALMATY, March 3, 2023 — Officials met.",
        ]),
        st.text(text_chars, max_size=80),
    ),
    max_size=25,
).map("\n".join)


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def check_normalised(text: str) -> None:
    assert "\r" not in text
    assert not any(ch in text for ch in INVISIBLE)
    assert unicodedata.is_normalized("NFC", text), ascii(text)
    for line in text.split("\n"):
        assert line == line.strip(" \t\u00a0\u3000"), ascii(line)
        assert "  " not in line and "\t" not in line, ascii(line)


@given(text=st.one_of(any_text, st.lists(st.sampled_from([*ODD_CHARACTERS, "a", " ", "\n"]),
                                         max_size=40).map("".join)))
@example(text="e\u200b\u0301")
@example(text="A\u00ad\u030a")
def test_normalise(text: str) -> None:
    out = normalise(text)
    check_normalised(out)
    assert out.count("\n") == text.replace("\r\n", "\n").count("\n") + text.replace(
        "\r\n", "\n").count("\r")
    assert normalise(out) == out


@given(raw=st.one_of(article_lines, any_text),
       title=st.one_of(st.none(), st.text(text_chars, max_size=60), st.sampled_from(
           ["Aldovia refuses to recognise the vote", "", " "])))
@example(raw="Headline here now\n\nHeadline here now\n\nHeadline here now", title=None)
@example(raw="\n".join(["word " * 12] * 5), title=None)
def test_clean_text(raw: str, title: str | None) -> None:
    result = clean_text(raw, title)
    check_normalised(result.text)
    assert "\n\n\n" not in result.text
    if result.text:
        assert all(p.strip() for p in result.text.split("\n\n")), ascii(result.text)
    assert {r.reason for r in result.removed} <= REASONS
    lines = set(normalise(raw).split("\n"))
    for removed in result.removed:
        assert removed.text in lines and removed.text, removed
    # Cleaning takes lines away and joins wrapped lines: it never invents or loses a word.
    assert words(normalise(raw)) == words(result.text) + sum(
        (words(r.text) for r in result.removed), Counter()
    )
    if title is not None:
        assert result.title == title
    else:
        assert result.title is None or result.title in lines


@given(raw=st.one_of(article_lines, any_text), source=st.text(text_chars, min_size=1,
                                                                max_size=30))
def test_boilerplate_step(raw: str, source: str) -> None:
    article = BoilerplateStep()(Article(id="a", raw=raw, source=source))
    assert article.raw == ""
    if not article.text.strip():
        assert article.status == "failed" and where_named(article.status_reason, source)
    else:
        assert article.status == "ok"


DATELINE = st.tuples(
    st.sampled_from(["ALMATY", "NEW YORK", "ST. PETERSBURG", "GENEVA, Switzerland", "X", "Almaty",
                     "ÅLAND", ""]),
    st.sampled_from([",", "", " ,"]),
    st.one_of(st.sampled_from(["March", "Mar.", "Sept", "sept", "Foo", "May", "December"]),
              st.text(text_chars, max_size=9)),
    st.one_of(st.integers(-5, 99).map(str), st.text("0123456789\u0663\u0966", max_size=4)),
    st.one_of(st.integers(0, 99999).map(str), st.text("0123456789\u0663", max_size=6)),
    st.sampled_from(["—", "-", "–", "(Reuters) —", ""]),
    newsy_text,
).map(lambda p: f"{p[0]}{p[1]} {p[2]} {p[3]}, {p[4]} {p[5]} {p[6]}")


@given(text=st.one_of(DATELINE, any_text),
       published=st.one_of(st.none(), st.just("2020-01-01")))
@example(text="ALMATY, February 29, 2023 — Officials met.", published=None)
@example(text="ALMATY, 31 Sept 2023 — Officials met.", published=None)
@example(text="ALMATY, March 3, 0000 — Officials met.", published=None)
@example(text="ALMATY, March \u0663, 2023 — Officials met.", published=None)
def test_dateline(text: str, published: str | None) -> None:
    found = parse_dateline(text)
    if found is not None:
        place, day = found
        assert isinstance(day, dt.date) and text.startswith(place) and place
    article = DatelineStep()(Article(id="a", text=text, published=published))
    if published:
        assert article.published == published
    elif found:
        assert article.published == found[1].isoformat()
    else:
        assert article.published is None


@given(text=st.one_of(any_text, newsy_text, st.text(text_chars, min_size=200, max_size=3000)))
def test_language(text: str) -> None:
    lang, probability = detect_language(text)
    assert isinstance(lang, str) and lang and 0.0 <= probability <= 1.0
    article = LanguageStep()(Article(id="a", text=text, source="story.txt"))
    assert article.status in ("ok", "non_english")
    assert article.language == ("en" if article.status == "ok" else lang)
    if article.status == "non_english":
        assert where_named(article.status_reason, "story.txt")


@given(raw=any_text, url=st.one_of(st.none(), st.text(text_chars, max_size=40)),
       given_id=st.one_of(st.just(""), st.text(text_chars, min_size=1, max_size=20)))
def test_identity_is_stable(raw: str, url: str | None, given_id: str) -> None:
    first = IdentityStep()(Article(id=given_id, raw=raw, url=url))
    again = IdentityStep()(Article(id=given_id, raw=raw, url=url))
    assert first.id == again.id
    if given_id:
        assert first.id == given_id
    else:
        assert re.fullmatch(r"[uh]-[0-9a-f]{16}", first.id)
        assert first.id.startswith("u-" if url else "h-")


WHITESPACE = st.text(" \t\n\r\u00a0\u2003\u3000", min_size=1, max_size=3)


@given(text=any_text, spaces=st.lists(WHITESPACE, min_size=1, max_size=50))
def test_content_hash_ignores_whitespace(text: str, spaces: list[str]) -> None:
    parts = text.split()
    respaced = "".join(p + spaces[i % len(spaces)] for i, p in enumerate(parts))
    assert content_hash(respaced) == content_hash(text)
    assert content_hash(text.casefold()) == content_hash(text)
    assert re.fullmatch(r"[0-9a-f]{40}", content_hash(text))


@given(
    texts=st.lists(st.sampled_from(["Talks resumed.", "TALKS  resumed.", "Other news.", "x"]) |
                   any_text, min_size=1, max_size=8),
    ids=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=8, max_size=8),
    statuses=st.lists(st.sampled_from(["ok", "ok", "non_english", "failed"]), min_size=8,
                      max_size=8),
)
def test_deduplication(texts: list[str], ids: list[str], statuses: list[str]) -> None:
    dedup = Deduplicator()
    seen_ids: set[str] = set()
    first_with: dict[str, str] = {}
    for text, article_id, status in zip(texts, ids, statuses, strict=False):
        article = Article(id=article_id, text=text, status=status)
        verdict = dedup.check(article)
        if article_id in seen_ids:
            assert verdict is Verdict.UNCHANGED
            continue
        seen_ids.add(article_id)
        if status == "failed":
            assert verdict is Verdict.NEW and article.status == "failed"
            continue
        key = content_hash(text)
        if key in first_with:
            assert verdict is Verdict.DUPLICATE and article.status == "duplicate"
            assert article.duplicate_of == first_with[key]
            assert article.status_reason and first_with[key] in article.status_reason
        else:
            assert verdict is Verdict.NEW and article.status == status
            first_with[key] = article_id


@given(raw=st.one_of(article_lines, any_text, newsy_text))
@example(raw="\ud800 lone surrogate from the Python API")
def test_prepare_pipeline(raw: str) -> None:
    """Identity, boilerplate, dateline and language together: only documented outcomes."""
    article = prepare_pipeline()(Article(id="", raw=raw, source="story.txt"))
    assert article.status in ("ok", "non_english", "failed")
    if article.status == "failed":
        assert where_named(article.status_reason, "story.txt")
    else:
        check_normalised(article.text)
        assert article.id and article.language
