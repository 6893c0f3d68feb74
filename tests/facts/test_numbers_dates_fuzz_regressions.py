"""Inputs found by the fuzz tests (tests/fuzz) that crashed number or date parsing."""

from __future__ import annotations

from datetime import date

import pytest

from diurna.facts.dates import find_dates
from diurna.facts.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    "text",
    [
        "9" * 400,  # float("9" * 400) is inf: round() raised OverflowError
        "1" * 400 + "k",
        "9" * 309 + ".9 bn",
        "9,999,999,999 billion",  # 9.999e18: over a 64-bit integer, the store crashed on it
        "hundred " * 10,
        "9223372036854775807",
    ],
)
def test_numbers_too_large_for_a_count_are_not_read(text: str) -> None:
    assert parse_number(text) is None
    assert find_numbers(f"Police arrested {text} protesters.") == []


def test_the_largest_readable_numbers() -> None:
    assert parse_number("9,000,000,000,000,000,000") == (9 * 10**18, False)
    assert parse_number("one billion") == (10**9, False)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("yesterday", date.min),  # date arithmetic past year 1 or 9999 raised OverflowError
        ("last week", date.min),
        ("2 weeks ago", date.min),
        ("tomorrow", date.max),
        ("next Monday", date.max),
        ("this weekend", date.max),
        ("10000000000 days ago", date(2020, 1, 1)),  # timedelta overflow
        ("the past 9999999999 days", date(2020, 1, 1)),
        ("99999999999999999999 weeks ago", date(2020, 1, 1)),
        ("over the next 99999 decades", date(2020, 1, 1)),
    ],
)
def test_dates_out_of_range_are_not_dates(text: str, published: date) -> None:
    assert find_dates(text, published) == []


def test_an_amount_too_large_to_read_is_no_date() -> None:
    # It used to fall back to 1: "99999999999999999999999 days ago" was yesterday.
    assert find_dates("99999999999999999999999 days ago", date(2020, 1, 1)) == []
    assert [d.value for d in find_dates("a day ago", date(2020, 1, 2))] == ["2020-01-01"]


def test_since_a_month_in_a_future_clause_looks_back() -> None:
    # "since January" in a future clause was read as next January: a range ending before it
    # began ("2025-01/2024-02").
    [expr] = find_dates("since January", date(2024, 2, 29), lambda offset: True)
    assert (expr.value, expr.precision) == ("2024-01/2024-02", "range")
    assert expr.first and expr.last and expr.first <= expr.last


def test_since_a_date_after_publication_is_not_an_inverted_range() -> None:
    [expr] = find_dates("since 2099", date(2024, 2, 29))
    assert expr.first and expr.last and expr.first <= expr.last
