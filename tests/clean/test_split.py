"""Splitting very long articles: parts cover the text exactly, cut at the best break, and say
why they exist."""

from __future__ import annotations

import itertools

from diurna.article import Article
from diurna.clean.split import split_long_article, split_parts, truncate_long_article


def _covers(text: str, parts: list[tuple[int, int]]) -> bool:
    return "".join(text[a:b] for a, b in parts) == text and all(
        b1 == a2 for (_, b1), (a2, _) in itertools.pairwise(parts))


def test_parts_cut_after_paragraph_breaks_and_cover_the_text() -> None:
    paragraph = "The council met on Monday. It agreed to talk again.\n\n"
    text = paragraph * 40
    parts = split_parts(text, 500)
    assert _covers(text, parts)
    assert all(b - a <= 500 for a, b in parts)
    assert all(text[a:b].endswith("\n\n") for a, b in parts[:-1])


def test_without_paragraphs_a_sentence_end_then_a_space_is_used() -> None:
    text = "Talks resumed in the capital. " * 100
    parts = split_parts(text, 400)
    assert _covers(text, parts)
    assert all(text[a:b].endswith(". ") for a, b in parts[:-1])
    words = "word " * 300
    assert all(words[a:b].endswith(" ") for a, b in split_parts(words, 128)[:-1])


def test_a_text_without_any_break_is_cut_hard() -> None:
    text = "x" * 1050
    assert split_parts(text, 500) == [(0, 500), (500, 1000), (1000, 1050)]


def test_a_five_megabyte_article_becomes_parts_with_recorded_reasons() -> None:
    paragraph = ("Officials in the region said the ceasefire was holding after two days of "
                 "talks, and the mediators planned a further meeting.\n\n")
    text = paragraph * (5_000_000 // len(paragraph) + 1)
    article = Article(id="big", text=text, source="records/big.txt", title="Record",
                      published="2024-03-01")
    parts = split_long_article(article, 200_000)
    assert len(parts) == 26
    assert "".join(p.text for p in parts) == text
    assert parts[0].id == "big~part001" and parts[-1].id == "big~part026"
    assert parts[3].source == "records/big.txt (part 4 of 26)"
    assert parts[3].title == "Record" and parts[3].published == "2024-03-01"
    assert all(len(p.text) <= 200_000 for p in parts)
    assert parts[3].warnings[-1].startswith("split: part 4 of 26 of a ")
    assert "analysed in parts" in parts[3].warnings[-1]
    assert article.text == text  # the original is left alone


def test_short_or_non_analysed_articles_are_left_whole() -> None:
    short = Article(id="s", text="A short report.")
    assert split_long_article(short, 100) == [short]
    duplicate = Article(id="d", text="x " * 500, status="duplicate")
    assert split_long_article(duplicate, 100) == [duplicate]


def test_truncation_keeps_the_first_part_and_says_so() -> None:
    text = "The envoy arrived. " * 20_000
    article = truncate_long_article(Article(id="t", text=text), 200_000)
    assert len(article.text) <= 200_000 and text.startswith(article.text)
    assert article.warnings[0].startswith("truncated: analysed characters 0-")
