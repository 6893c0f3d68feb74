"""Tone (lexicon, step, stored and computed values), the 005 views and the relations export."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from diurna.article import Article, Event, Sentence, Span
from diurna.export import export
from diurna.export.tone import ToneStep, lexicon, tone, words_of
from diurna.store import Store
from diurna.store.schema import migrate
from diurna.store.views import VIEWS, ensure_views, prepare, relation_names

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db(examples_db: Path) -> Path:
    return examples_db


def test_the_lexicon_is_vaders_word_list() -> None:
    words = lexicon()
    assert len(words) > 5000
    assert words["peace"] == 1 and words["killed"] == -1 and words["reject"] == -1
    assert ":)" not in words  # emoticons are not words of news text


def test_tone_is_positive_minus_negative_words_in_percent() -> None:
    assert tone("Troops killed three protesters.") == -50.0
    assert tone("The talks were a success.") == 20.0
    assert tone("The committee met on Tuesday.") == 0.0
    assert tone("") is None and tone("1, 2, 3") is None
    assert words_of("They don't agree.") == ["they", "don't", "agree"]


def test_tone_step_sets_article_and_sentence_tones() -> None:
    first, second = "Leaders welcomed the peace deal.", "Rebels attacked the town."
    text = f"{first} {second}"
    sentences = [Sentence(0, 0, len(first), first),
                 Sentence(1, len(first) + 1, len(text), second)]
    event = Event(id="e-1", sentence_index=1, trigger=Span("attacked", 40, 48), source=None,
                  target=None, cameo="190", plover={}, modality="asserted", quad_class=4,
                  goldstein=-10.0, confidence=0.9, pattern_id="190.attack.01")
    article = Article(id="a-1", text=text, sentences=sentences, events=[event])
    assert ToneStep().name == "tone"
    assert ToneStep()(article) is article  # a record without an avg_tone field is left alone
    if hasattr(article, "avg_tone"):
        assert getattr(article, "avg_tone") == tone(text)  # noqa: B009
    # Records that have the field get it set (the dataclasses gain it with the tone columns).
    record = SimpleNamespace(text=text, sentences=sentences, avg_tone=None,
                             events=[SimpleNamespace(sentence_index=1, avg_tone=None)])
    ToneStep()(record)  # type: ignore[arg-type]
    assert record.avg_tone == tone(text)
    assert record.events[0].avg_tone == tone(second) == -50.0


def test_exports_compute_the_tone_where_the_step_did_not_store_it(db: Path) -> None:
    with Store(db, read_only=True) as store:
        prepare(store.con)
        rows = store.query(
            "SELECT a.text, t.tone FROM articles a JOIN article_tone t ON t.article_id = a.id"
        )
        events = store.query(
            "SELECT s.text, t.tone FROM event_tone t JOIN events e ON e.id = t.event_id"
            " JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_index"
        )
    assert rows and all(r["tone"] == tone(r["text"]) for r in rows)
    assert events and all(r["tone"] == tone(r["text"]) for r in events)


def test_the_migration_adds_tone_columns_and_views(db: Path) -> None:
    with Store(db, read_only=True) as store:
        names = relation_names(store.con)
        columns = {(t, c) for t, c in store.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE column_name = 'avg_tone'").fetchall()}
    assert set(VIEWS) <= names
    assert {("articles", "avg_tone"), ("events", "avg_tone")} <= columns


def test_views_answer_the_common_questions(db: Path) -> None:
    with Store(db, read_only=True) as store:
        total = store.query("SELECT count(*) AS n FROM events")[0]["n"]
        dated = store.query("SELECT count(*) AS n, count(day) AS days FROM event_dates")[0]
        months = store.query("SELECT sum(events) AS n, min(month) AS first FROM events_by_month")
        dyads = store.query("SELECT * FROM actor_dyads ORDER BY events DESC")
        daily = store.query("SELECT * FROM daily_counts")
        store.query("SELECT * FROM stances")
    assert dated["n"] == total and dated["days"] > 0
    assert 0 < months[0]["n"] <= total and months[0]["first"].day == 1
    for row in dyads:
        quads = (row["verbal_cooperation"] + row["material_cooperation"]
                 + row["verbal_conflict"] + row["material_conflict"])
        assert quads == row["events"] and row["source"] and row["target"]
    assert daily and all(row["total"] >= row["largest"] for row in daily)


def test_an_older_database_gets_the_views_as_temporary_ones(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    for view in reversed(VIEWS):
        con.execute(f"DROP VIEW {view}")
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert not set(VIEWS) & relation_names(con)
        assert ensure_views(con) == list(VIEWS)
        assert con.execute("SELECT count(*) FROM events_by_month").fetchall() == [(0,)]
    finally:
        con.close()


def test_relations_export_reads_the_relations_table(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "relations.csv"
    written = export(db, fmt="csv", table="relations", out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    with Store(db, read_only=True) as store:
        stored = store.query("SELECT count(*) AS n FROM relations")[0]["n"]
    assert written == len(rows) == stored
    assert header[:3] == ["article_id", "idx", "day"] and "predicate" in header
