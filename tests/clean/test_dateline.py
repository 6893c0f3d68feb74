import datetime as dt

import pytest

from diurna.article import Article
from diurna.clean.dateline import DatelineStep, parse_dateline


@pytest.mark.parametrize(
    ("text", "place", "date"),
    [
        ("ALMATY, March 3, 2023 — Kazakhstan said", "ALMATY", dt.date(2023, 3, 3)),
        ("PORT-AU-PRINCE, Haiti, June 25, 2024 - The first", "PORT-AU-PRINCE, Haiti",
         dt.date(2024, 6, 25)),
        ("KYIV, 24 Feb 2022 (Reuters) - Russian forces", "KYIV", dt.date(2022, 2, 24)),
        ("NEW YORK, Sept. 9, 2019 – The council", "NEW YORK", dt.date(2019, 9, 9)),
    ],
)
def test_datelines_give_place_and_full_date(text: str, place: str, date: dt.date) -> None:
    assert parse_dateline(text) == (place, date)


@pytest.mark.parametrize(
    "text",
    [
        "In March 2023, Kazakhstan said it would not recognise the republics.",  # no dateline
        "ALMATY, March 2023 — only a month",  # a month is not a day: no date is made up
        "ALMATY, February 30, 2023 — no such day",
        "Almaty, March 3, 2023 — the place is not written as a dateline",
    ],
)
def test_no_dateline_no_date(text: str) -> None:
    assert parse_dateline(text) is None


def test_step_fills_published_only_when_missing() -> None:
    article = Article(id="a", text="TBILISI, May 1, 2024 — Police detained dozens.")
    assert DatelineStep()(article).published == "2024-05-01"
    given = Article(id="b", text="TBILISI, May 1, 2024 — Police.", published="2024-05-02")
    assert DatelineStep()(given).published == "2024-05-02"
