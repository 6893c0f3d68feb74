"""Reading numbers the way news text writes them."""

from __future__ import annotations

import pytest

from diurna.facts.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("227", 227),
        ("9,900", 9900),
        ("9 900", 9900),
        ("1,250,000", 1_250_000),
        ("1.5 million", 1_500_000),
        ("3.2 million", 3_200_000),
        ("2m", 2_000_000),
        ("3bn", 3_000_000_000),
        ("5k", 5000),
        ("two million", 2_000_000),
        ("twenty-seven", 27),
        ("Twenty-seven", 27),
        ("two hundred and fifty", 250),
        ("one hundred", 100),
        ("a hundred", 100),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("eleven", 11),
        ("one", 1),
    ],
)
def test_exact_numbers(text: str, value: int) -> None:
    assert parse_number(text) == (value, False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a few", 3),
        ("several", 3),
        ("a handful", 3),
        ("dozens", 12),
        ("scores", 20),
        ("hundreds", 100),
        ("thousands", 1000),
        ("Thousands", 1000),
        ("millions", 1_000_000),
        ("tens of thousands", 10_000),
        ("Tens of thousands", 10_000),
        ("hundreds of thousands", 100_000),
        ("several hundred", 300),
        ("a few thousand", 3000),
    ],
)
def test_vague_amounts_follow_the_convention_and_are_approximate(text: str, value: int) -> None:
    assert parse_number(text) == (value, True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("over 9,900", 9900),
        ("more than 1,000", 1000),
        ("at least 12", 12),
        ("At least 12", 12),
        ("about 40", 40),
        ("around 300", 300),
        ("nearly 2m", 2_000_000),
        ("almost 50", 50),
        ("up to 100", 100),
        ("some 3.2 million", 3_200_000),
        ("roughly 20", 20),
        ("an estimated 5,000", 5000),
        ("approximately 70", 70),
        ("as many as 80", 80),
        ("upwards of 3,000", 3000),
        ("no fewer than 15", 15),
        ("about a dozen", 12),
    ],
)
def test_approximation_markers_keep_the_stated_value(text: str, value: int) -> None:
    assert parse_number(text) == (value, True)


@pytest.mark.parametrize("text", ["", "people", "40%", "2nd", "$2m", "twenty people", "May"])
def test_not_a_number_phrase(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_gives_offsets_markers_and_values() -> None:
    text = "A total of 227 people were killed, and over 9,900 were arrested."
    found = find_numbers(text)
    assert [(m.text, m.value, m.approximate) for m in found] == [
        ("227", 227, False), ("over 9,900", 9900, True)]
    for match in found:
        assert text[match.start:match.end] == match.text
    assert text[found[1].number_start:found[1].end] == "9,900"


def test_find_numbers_leaves_out_percentages_money_ages_and_ordinals() -> None:
    text = "Turnout was 40% and $2m was spent; a 25-year-old came 2nd, and 12 percent left."
    assert find_numbers(text) == []


def test_find_numbers_reads_words_and_vague_amounts_in_running_text() -> None:
    text = "Tens of thousands fled, two hundred and fifty were held and several hundred hurt."
    assert [(m.text, m.value, m.approximate) for m in find_numbers(text)] == [
        ("Tens of thousands", 10_000, True),
        ("two hundred and fifty", 250, False),
        ("several hundred", 300, True),
    ]


def test_and_joins_only_after_a_scale_word() -> None:
    assert [m.value for m in find_numbers("three and four")] == [3, 4]
