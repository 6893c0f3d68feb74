"""Datelines ("ALMATY, March 3, 2023 — ..."): the publication date when the source gave none.

Only a dateline at the very start of the body counts, and only with a full date written in it,
so the date never claims more precision than the text gives.
"""

from __future__ import annotations

import datetime as dt
import re

from diurna.article import Article

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

# PLACE, Month D, YYYY —   or   PLACE, D Month YYYY -   (the place in capitals, as wires write it)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{1,40}(?:, [A-Z][A-Za-z .]{1,30})?),?\s+"
    r"(?:(?P<month1>[A-Za-z]{3,9})\.? (?P<day1>\d{1,2}),? (?P<year1>\d{4})"
    r"|(?P<day2>\d{1,2}) (?P<month2>[A-Za-z]{3,9})\.? (?P<year2>\d{4}))"
    r"\s*(?:\([A-Za-z]+\)\s*)?[—–-]"
)


def parse_dateline(text: str) -> tuple[str, dt.date] | None:
    """(place, date) of a dateline at the start of ``text``, or None."""
    match = _DATELINE.match(text)
    if not match:
        return None
    month_name = (match["month1"] or match["month2"] or "").casefold()
    month = _MONTHS.get(month_name)
    if month is None:
        return None
    try:
        day = dt.date(int(match["year1"] or match["year2"]), month,
                      int(match["day1"] or match["day2"]))
    except ValueError:
        return None
    return match["place"].strip(), day


class DatelineStep:
    """Pipeline step: take ``published`` from the dateline when the source gave none."""

    name = "dateline"

    def __call__(self, article: Article) -> Article:
        if article.published:
            return article
        found = parse_dateline(article.text)
        if found:
            article.published = found[1].isoformat()
        return article
