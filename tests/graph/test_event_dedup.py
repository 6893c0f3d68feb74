"""Cross-article event clustering: the pairwise rule, the clusters and the gold pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from diurna.graph.event_dedup import DAY_WINDOW, cluster_events, interval, same_event, source_of
from diurna.graph.scoring import read_gold, score_event_pairs

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "event_pairs.jsonl"


def ev(eid: str, article: str, date: str | None, precision: str | None = "day", *,
       source: str = "RUS", target: str | None = "UKR", cameo: str = "190",
       modality: str = "asserted", country: str | None = None,
       url: str | None = None) -> dict[str, Any]:
    return {"id": eid, "article_id": article, "sentence_index": 0, "source_code": source,
            "target_code": target, "cameo": cameo, "cameo_root": cameo[:2],
            "modality": modality, "quad_class": 4, "event_date": date,
            "date_precision": precision, "url": url,
            "location": json.dumps({"country": country}) if country else None}


def test_dates_become_intervals() -> None:
    assert interval(ev("a", "x", "2022-01")) is not None
    first, last = interval(ev("a", "x", "2022-01", "month"))  # type: ignore[misc]
    assert (first.isoformat(), last.isoformat()) == ("2022-01-01", "2022-01-31")
    first, last = interval(ev("a", "x", "2022-02-25", "publication"))  # type: ignore[misc]
    assert (last - first).days == DAY_WINDOW
    assert interval(ev("a", "x", "2022-02-25", "future")) is None
    assert interval(ev("a", "x", None, None)) is None


def test_the_rule() -> None:
    base = ev("a", "x", "2022-02-24")
    assert same_event(base, ev("b", "y", "2022-02-26"))
    assert not same_event(base, ev("b", "y", "2022-02-28"))
    assert same_event(base, ev("b", "y", "2022-02", "month"))
    assert not same_event(base, ev("b", "y", "2022-02-24", target="BLR"))
    assert not same_event(base, ev("b", "y", "2022-02-24", cameo="111"))
    assert not same_event(base, ev("b", "y", "2022-02-24", modality="future"))
    assert not same_event(ev("a", "x", "2022-02-24", country="UKR"),
                          ev("b", "y", "2022-02-24", country="RUS"))
    # Inside one article an undated mention goes with the dated one; across articles it does not.
    assert same_event(base, ev("b", "x", None, None))
    assert not same_event(base, ev("b", "y", None, None))


def test_clusters_count_mentions_articles_and_sources() -> None:
    rows = [
        ev("e1", "a1", "2022-02-24", url="https://www.one.example/x"),
        ev("e2", "a1", None, None, url="https://www.one.example/x"),
        ev("e3", "a2", "2022-02-25", url="https://two.example/y"),
        ev("e4", "a3", "2022-02-24", url="https://one.example/z"),
        ev("e5", "a4", "2022-03-10", url="https://two.example/w"),
        ev("e6", "a4", "2022-02-24", target="BLR"),
    ]
    clusters = cluster_events(rows)
    big = clusters[0]
    assert (big["num_mentions"], big["num_articles"], big["num_sources"]) == (4, 3, 2)
    assert {m["event_id"] for m in big["mentions"]} == {"e1", "e2", "e3", "e4"}
    assert big["first_date"] == "2022-02-24" and big["last_date"] == "2022-02-25"
    assert sorted(c["num_mentions"] for c in clusters) == [1, 1, 4]
    assert sum(c["num_mentions"] for c in clusters) == len(rows)


def test_a_daily_series_does_not_chain_into_one_cluster() -> None:
    rows = [ev(f"e{d}", f"a{d}", f"2022-03-{d:02d}", cameo="195") for d in range(1, 11)]
    clusters = cluster_events(rows)
    assert len(clusters) >= 3
    assert all(c["num_mentions"] <= 2 * DAY_WINDOW + 1 for c in clusters)


def test_source_of_a_mention() -> None:
    assert source_of({"url": "https://www.reuters.com/world/x"}) == "reuters.com"
    assert source_of({"source": "feeds/a.jsonl:3", "article_id": "x"}) == "feeds/a.jsonl:3"


def test_gold_pairs() -> None:
    pairs = list(read_gold(GOLD))
    assert len(pairs) >= 60
    assert {p["same"] for p in pairs} == {True, False}
    scores = score_event_pairs(GOLD)
    # Floors at the measured figures (docs/knowledge-graph.md): the misses are the documented
    # limits (different codes for one event, daily series of similar events).
    assert scores["precision"] >= 0.88 and scores["recall"] >= 0.83


def _clusters_by_the_rule(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The clustering of the module docstring written out naively: every row, in date order,
    joins the first open cluster whose anchor it is the same event as (by ``same_event``)."""
    def order(row: dict[str, Any]) -> tuple[Any, ...]:
        span = interval(row)
        return (span[0].isoformat() if span else "9999", row["article_id"], row["id"])

    open_: list[list[dict[str, Any]]] = []
    for row in sorted(rows, key=order):
        home = next((c for c in open_ if same_event(c[0], row)), None)
        if home is None:
            open_.append([row])
        else:
            home.append(row)
    return sorted(sorted(r["id"] for r in c) for c in open_)


def test_clusters_follow_the_pairwise_rule_whatever_the_order() -> None:
    import random

    rng = random.Random(7)
    rows = []
    for i in range(300):
        day = rng.choice([None, "2022-02-20", "2022-02-22", "2022-02-24", "2022-02-27",
                          "2022-03", "2022-02-21/2022-02-23"])
        precision = ("month" if day == "2022-03" else
                     None if day is None else rng.choice(["day", "day", "publication"]))
        rows.append(ev(f"e{i:03d}", rng.choice("xyz"), day, precision,
                       source=rng.choice(["RUS", "RUS", "UKR", ""]),
                       target=rng.choice(["UKR", None]), cameo=rng.choice(["190", "193", "042"]),
                       modality=rng.choice(["asserted", "asserted", "negated"]),
                       country=rng.choice([None, None, "UKR", "RUS"])))
    expected = _clusters_by_the_rule(rows)
    assert len(expected) < len(rows)  # the sample does merge mentions
    for _ in range(3):
        rng.shuffle(rows)
        got = sorted(sorted(m["event_id"] for m in c["mentions"]) for c in cluster_events(rows))
        assert got == expected
