"""Cross-article event clustering: one cluster per real-world event, however often reported.

Two event mentions report the same event (:func:`same_event`) when

1. they have the same source code and the same target code (both known sources; a missing
   target matches only a missing target), the same CAMEO root and the same modality;
2. their dates agree: each date is an interval (a day; a whole month or year for month or year
   precision; a range as given; the publication date, or the DAY_WINDOW days before it, when the
   sentence gave none), and the two intervals overlap once widened by DAY_WINDOW days on each
   side. So two day-precise dates may be up to 2 days apart, a day falls within a month, two
   month-precise dates must share the month. Inside one article a mention without a usable date
   (none, or only a future one) agrees with any date; across articles it agrees with nothing;
3. their places agree: when both have a place country, it is the same country.

Clustering (:func:`cluster_events`) groups mentions by (source, target, root, modality), sorts each
group by date, and puts each mention into the first cluster whose *anchor* (its earliest mention)
it agrees with, else opens a new cluster. Comparing with the anchor, not with any member, keeps a
daily series of similar events ("Russia shelled Kharkiv" every day) from chaining into one
cluster. A cluster counts its mentions, articles and distinct sources (the article URL's domain,
else its source). :func:`rebuild_clusters` rebuilds ``event_clusters`` and ``event_mentions``
from the stored events; run it after each ingest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa

from diurna.actors.dictionary import parse_date
from diurna.store.database import Store
from diurna.store.rows_graph import EVENT_CLUSTERS, EVENT_MENTIONS, cluster_rows

# Days two reported dates may differ and still be one event (news dates an event by the day it
# was reported as often as by the day it happened).
DAY_WINDOW = 2
_WINDOW = dt.timedelta(days=DAY_WINDOW)
Interval = tuple[dt.date, dt.date]


def _parse_partial(value: str, *, end: bool) -> dt.date | None:
    try:
        return parse_date(value.strip(), end=end)
    except ValueError:
        return None


def interval(row: dict[str, Any]) -> Interval | None:
    """The days an event row's date may stand for, or None when it has no usable date."""
    value, precision = row.get("event_date"), row.get("date_precision")
    if not value and row.get("published") and precision in (None, "publication"):
        value, precision = str(row["published"]), "publication"
    if not value or precision == "future":
        return None
    text = str(value)
    first_text, _, last_text = text.partition("/")
    first = _parse_partial(first_text, end=False)
    last = _parse_partial(last_text or first_text, end=True)
    if first is None or last is None:
        return None
    if precision == "publication":
        return first - dt.timedelta(days=DAY_WINDOW), last
    return first, last


def place_country(row: dict[str, Any]) -> str | None:
    location = row.get("location")
    if isinstance(location, str):
        try:
            location = json.loads(location)
        except ValueError:
            return None
    return location.get("country") if isinstance(location, dict) else None


def source_of(row: dict[str, Any]) -> str:
    """The reporting source of a mention: its URL's domain, else its source, else its article."""
    if row.get("url"):
        host = urlparse(str(row["url"])).netloc.lower()
        if host:
            return host.removeprefix("www.")
    return str(row.get("source") or row.get("article_id") or "")


def _key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    root = str(row.get("cameo_root") or str(row.get("cameo") or "")[:2])
    return (str(row.get("source_code") or ""), str(row.get("target_code") or ""), root,
            str(row.get("modality") or "asserted"))


def same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two event rows report the same real-world event (the rule in the module doc)."""
    if not a.get("source_code") or _key(a) != _key(b):
        return False
    return _Mention(a).agrees_with(_Mention(b))


def _summary(mentions: list[_Mention]) -> dict[str, Any]:
    members = [m.row for m in mentions]
    anchor = members[0]
    dates = sorted(str(m["event_date"]) for m in members if m.get("event_date"))
    places = [m.country for m in mentions if m.country]
    quad = anchor.get("quad_class")
    return {
        "cluster_id": "c-" + hashlib.sha1(str(anchor["id"]).encode()).hexdigest()[:16],
        "anchor_event_id": anchor["id"],
        "source_code": anchor.get("source_code"),
        "target_code": anchor.get("target_code"),
        "cameo": Counter(str(m.get("cameo")) for m in members).most_common(1)[0][0],
        "cameo_root": _key(anchor)[2],
        "modality": _key(anchor)[3],
        "quad_class": int(quad) if quad is not None else None,
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "date_precision": anchor.get("date_precision"),
        "place_country": Counter(places).most_common(1)[0][0] if places else None,
        "num_mentions": len(members),
        "num_sources": len({source_of(m) for m in members}),
        "num_articles": len({m.get("article_id") for m in members}),
        "mentions": [
            {"event_id": m["id"], "article_id": m.get("article_id"),
             "sentence_index": int(m.get("sentence_index") or 0), "source": source_of(m),
             "event_date": m.get("event_date")}
            for m in members
        ],
    }


class _Mention:
    """A row with what :func:`same_event` reads from it worked out once: clustering compares
    each row with many anchors, and parsing the dates and the place again for every pair was
    most of an ingest's final rebuild."""

    __slots__ = ("article_id", "country", "row", "span")

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.span = interval(row)
        self.country = place_country(row)
        self.article_id = row.get("article_id")

    def agrees_with(self, other: _Mention) -> bool:
        """:func:`same_event` for two mentions of one (source, target, root, modality) group."""
        a, b = self.span, other.span
        if a is None or b is None:
            if self.article_id is None or self.article_id != other.article_id:
                return False
        elif not (a[0] - _WINDOW <= b[1] and b[0] - _WINDOW <= a[1]):
            return False
        return self.country is None or other.country is None or self.country == other.country

    def sort_key(self) -> tuple[dt.date, str, int, str]:
        row = self.row
        return (self.span[0] if self.span else dt.date.max, str(row.get("article_id") or ""),
                int(row.get("sentence_index") or 0), str(row.get("id") or ""))


def cluster_events(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clusters of event rows (as stored, with the article's ``url``, ``source`` and
    ``published``), largest first; every row is in exactly one cluster."""
    groups: dict[tuple[str, str, str, str], list[_Mention]] = {}
    for row in rows:
        groups.setdefault(_key(row), []).append(_Mention(row))
    clusters: list[list[_Mention]] = []
    for key, members in groups.items():
        members.sort(key=_Mention.sort_key)
        if not key[0]:  # no source: nothing to be the same event as
            clusters.extend([m] for m in members)
            continue
        open_: list[list[_Mention]] = []
        for mention in members:
            home = next((c for c in open_ if c[0].agrees_with(mention)), None)
            if home is None:
                open_.append([mention])
            else:
                home.append(mention)
        clusters.extend(open_)
    out = [_summary(c) for c in clusters]
    return sorted(out, key=lambda c: (-c["num_mentions"], c["first_date"] or "", c["cluster_id"]))


_EVENT_ROWS = (
    "SELECT e.id, e.article_id, e.sentence_index, e.source_code, e.target_code, e.cameo,"
    " e.cameo_root, e.modality, e.quad_class, e.event_date, e.date_precision, e.location,"
    " a.url, a.source, CAST(a.published AS VARCHAR) AS published"
    " FROM events e JOIN articles a ON a.id = e.article_id WHERE a.status = 'ok'"
)


def rebuild_clusters(store: Store) -> dict[str, int]:
    """Recompute ``event_clusters`` and ``event_mentions`` from the stored events, in one
    transaction; returns the numbers of events and clusters."""
    clusters = cluster_events(store.query(_EVENT_ROWS))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    heads, mentions = cluster_rows(clusters, now)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM event_mentions")
        con.execute("DELETE FROM event_clusters")
        for name, schema, rows in (("event_clusters", EVENT_CLUSTERS, heads),
                                   ("event_mentions", EVENT_MENTIONS, mentions)):
            if rows:
                con.register("_clusters", pa.Table.from_pylist(rows, schema=schema))
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _clusters")
                con.unregister("_clusters")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"events": len(mentions), "clusters": len(heads)}
