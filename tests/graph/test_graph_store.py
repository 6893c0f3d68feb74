"""Relations in DuckDB: rows, the merged view and its conflict flag, and the graph queries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from diurna.article import Article
from diurna.graph.event_dedup import rebuild_clusters
from diurna.graph.stance import stance
from diurna.graph.step import GRAPH_TABLES, after_ingest, graph_steps
from diurna.store import Store, graph_queries
from diurna.store.rows import ARTICLE_TABLES
from diurna.store.rows_graph import RELATIONS, relation_rows

Analyse = Callable[..., Article]

TEXTS = {
    "a1": ("2022-02-22", "Kazakhstan does not recognise the Donetsk People's Republic. "
                         "President Kassym-Jomart Tokayev chaired the Security Council."),
    "a2": ("2022-03-05", "Kazakhstan recognised the Donetsk People's Republic on Saturday. "
                         "Russia annexed Crimea in 2014."),
    "a3": ("2022-03-06", "Serbia is a member of the European Union, the minister claimed."),
    "a4": ("2022-03-07", "Serbia is not a member of the European Union."),
    "a5": ("2022-03-07", "Russia annexed Crimea in 2014, Belarus said."),
}


@pytest.fixture(scope="module")
def articles(analyse: Analyse) -> list[Article]:
    out = []
    for article_id, (published, text) in TEXTS.items():
        article = analyse(text, published=published, article_id=article_id)
        article.url = f"https://news{article_id}.example/{article_id}"
        out.append(article)
    return out


@pytest.fixture
def store(tmp_db: Path, articles: list[Article], monkeypatch: pytest.MonkeyPatch) -> Store:
    for name, entry in GRAPH_TABLES.items():
        monkeypatch.setitem(ARTICLE_TABLES, name, entry)
    with Store(tmp_db) as s:
        s.write(articles)
        s.write(articles)  # idempotent: the same batch again adds nothing
    return Store(tmp_db)


def test_rows_follow_the_schema(articles: list[Article]) -> None:
    import datetime as dt

    import pyarrow as pa

    rows = relation_rows(articles[0], dt.datetime(2024, 1, 1))
    table = pa.Table.from_pylist(rows, schema=RELATIONS)
    assert table.num_rows == len(articles[0].relations) > 0
    assert set(RELATIONS.names) == set(rows[0])


def test_round_trip(store: Store, articles: list[Article]) -> None:
    with store:
        stored = store.query("SELECT r.*, a.text FROM relations r JOIN articles a"
                             " ON a.id = r.article_id ORDER BY r.article_id, r.idx")
    assert len(stored) == sum(len(a.relations) for a in articles)
    for row in stored:
        assert row["text"][row["evidence_start"] : row["evidence_end"]] == row["evidence_text"]
    kinds = {(r["predicate"], r["object_kind"]) for r in stored}
    assert ("holds_office", "office") in kinds


def test_view_merges_articles_and_flags_conflicts(store: Store) -> None:
    with store:
        rows = {(r["subject_code"], r["predicate"], r["object_code"]): r
                for r in store.query("SELECT * FROM relation_evidence")}
    refusal = rows[("KAZ", "does_not_recognize", "UKRDPR")]
    recognition = rows[("KAZ", "recognizes", "UKRDPR")]
    assert refusal["conflicting"] and recognition["conflicting"]
    annexed = rows[("RUS", "annexed", "UKRCRI")]
    assert (annexed["num_articles"], annexed["conflicting"]) == (2, False)
    assert str(annexed["first_seen"]) == "2022-03-05" and str(annexed["last_seen"]) == "2022-03-07"
    member = rows[("SRB", "member_of", "IGOEU")]
    assert (member["num_asserted"], member["num_negated"], member["conflicting"]) == (1, 1, True)


def test_stance_by_code_or_name(store: Store) -> None:
    with store:
        by_code = stance(store, "UKRDPR")
        by_name = stance(store, "donetsk people's republic")
        assert stance(store, "nowhere") == []
    assert by_code == by_name
    (kaz,) = by_code
    assert (kaz["state"], kaz["stance"], kaz["conflicting"], kaz["latest_article"]) == (
        "KAZ", "recognizes", True, "a2")


def test_relation_queries(store: Store) -> None:
    with store:
        kaz = graph_queries.relations(store, subject="KAZ")
        members = graph_queries.relations(store, predicate="member_of", obj="European Union")
        evidence = graph_queries.relation_mentions(store, predicate="annexed")
        injected = graph_queries.relations(store, subject="KAZ' OR 1=1 --")
    assert {r["predicate"] for r in kaz} >= {"recognizes", "does_not_recognize"}
    assert all(r["subject_code"].startswith("KAZ") for r in kaz)
    assert [r["subject_code"] for r in members] == ["SRB"]
    assert [r["article_id"] for r in evidence] == ["a2", "a5"]
    assert all(r["evidence_text"] for r in evidence)
    assert injected == []


def test_actor_profile(store: Store) -> None:
    with store:
        profile = graph_queries.actor_profile(store, "KAZ")
    assert set(profile) == {"offices", "memberships", "treaties", "stances", "relations",
                            "events"}
    assert [r["subject_name"] for r in profile["offices"]] == ["Kassym-Jomart Tokayev"]
    assert {r["predicate"] for r in profile["stances"]} == {"recognizes", "does_not_recognize"}
    assert all(r["quad_name"] for r in profile["events"])


def test_rebuild_clusters(store: Store) -> None:
    with store:
        counts = rebuild_clusters(store)
        again = after_ingest(store)
        clusters = graph_queries.event_clusters(store, actor="RUS")
        mentions = store.query("SELECT count(*) AS n FROM event_mentions")[0]["n"]
        events = store.query("SELECT count(*) AS n FROM events")[0]["n"]
    assert counts == again and counts["events"] == events == mentions
    annexation = [c for c in clusters if c["target_code"] == "UKRCRI"]
    assert len(annexation) == 1
    assert (annexation[0]["num_articles"], annexation[0]["num_sources"]) == (2, 2)


def test_graph_steps() -> None:
    assert [step.name for step in graph_steps()] == ["relations"]
