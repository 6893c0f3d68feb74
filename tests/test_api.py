"""The Python API on a real ingest of examples/, and the examples of docs/python-api.md."""

from __future__ import annotations

import datetime as dt
import doctest
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import diurna
from diurna.api import Database, EventRecord
from diurna.article import Event
from diurna.errors import StoreError
from diurna.export.tabular import EVENTS_SQL
from diurna.jobs.ingest import ingest
from diurna.store import Store
from diurna.store.readonly_sql import QueryRefused

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "python-api.md"
EVENT_COLUMNS = [
    "id", "article_id", "day", "date_resolution", "event_date", "sentence_index",
    "source_code", "source_name", "source_country", "source_agent", "source_kind",
    "source_text", "cameo", "cameo_root", "base_cameo", "target_code", "target_name",
    "target_country", "target_agent", "target_kind", "target_text", "plover_type",
    "plover_mode", "plover_context", "modality", "quad_class", "goldstein", "confidence",
    "pattern_id", "trigger_text", "trigger_start", "trigger_end", "location", "avg_tone", "url",
    "title",
]


@pytest.fixture(scope="module")
def path(examples_db: Path) -> Path:
    return examples_db


@pytest.fixture(scope="module")
def stored(path: Path) -> dict[str, int]:
    """Row counts straight from the tables, to compare the API with."""
    with Store(path, read_only=True) as store:
        return {t: int(store.query(f"SELECT count(*) AS n FROM {t}")[0]["n"])
                for t in ("events", "articles", "counts", "quotes", "relations")}


@pytest.fixture(scope="module")
def db(path: Path, stored: dict[str, int]) -> Iterator[Database]:
    with Database(path) as database:
        yield database


def test_events_have_the_export_columns_and_every_row(
    db: Database, stored: dict[str, int]
) -> None:
    events = db.events()
    assert isinstance(events, pd.DataFrame)
    assert list(events.columns) == EVENT_COLUMNS
    assert len(events) == stored["events"] > 0
    assert events["id"].is_unique
    assert events["avg_tone"].notna().all()


def test_event_filters(db: Database) -> None:
    kaz = db.events(actor="kaz")
    assert len(kaz) > 0
    assert (kaz["source_code"].str.startswith("KAZ").fillna(False)
            | kaz["target_code"].str.startswith("KAZ").fillna(False)).all()
    rejections = db.events(code="12")
    assert len(rejections) > 0 and rejections["cameo"].str.startswith("12").all()
    negated = db.events(modality="negated")
    assert set(negated["modality"]) == {"negated"}
    window = db.events(since="2024-01-01", until=dt.date(2024, 6, 30))
    assert len(window) > 0
    assert window["day"].between(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-30")).all()
    assert len(db.events(limit=3)) == 3
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        db.events(since="last week")


def test_every_method_also_returns_arrow(db: Database, stored: dict[str, int]) -> None:
    for name, expected in (("events", "events"), ("articles", "articles"),
                           ("counts", "counts"), ("quotes", "quotes"),
                           ("relations", "relations")):
        table = getattr(db, name)(as_arrow=True)
        assert isinstance(table, pa.Table)
        assert table.num_rows == stored[expected], name
    assert db.events(as_arrow=True).column_names == EVENT_COLUMNS
    assert isinstance(db.actors(as_arrow=True), pa.Table)
    assert isinstance(db.stance("KAZ", as_arrow=True), pa.Table)
    assert isinstance(db.sql("SELECT 1 AS one", as_arrow=True), pa.Table)


def test_actors_counts_quotes_articles(db: Database, stored: dict[str, int]) -> None:
    actors = db.actors()
    assert list(actors.columns) == ["code", "name", "country", "agent", "kind", "mentions",
                                    "articles"]
    assert actors["mentions"].is_monotonic_decreasing
    assert set(db.actors(country="kaz")["country"]) == {"KAZ"}
    kills = db.counts(kind="kill")
    assert len(kills) > 0 and set(kills["kind"]) == {"KILL"}
    assert len(db.counts()) == stored["counts"]
    quotes = db.quotes(speaker="KAZ")
    assert len(quotes) > 0 and quotes["speaker_code"].str.startswith("KAZ").all()
    articles = db.articles()
    assert len(articles) == stored["articles"]
    assert {"id", "title", "status", "avg_tone", "text"} <= set(articles.columns)


def test_relations_and_stances(db: Database, stored: dict[str, int]) -> None:
    relations = db.relations()
    assert len(relations) == stored["relations"]
    assert {"subject_code", "predicate", "object_code", "evidence_text"} <= set(relations.columns)
    recognitions = db.relations(predicate="recognizes")
    assert set(recognitions["predicate"]) <= {"recognizes"}
    stance = db.stance("KAZ")
    assert list(stance.columns)[:2] == ["role", "subject_code"]
    assert set(stance["role"]) <= {"subject", "object"}


def test_one_event_is_a_typed_record(db: Database) -> None:
    row = db.events(code="12").iloc[0]
    record = db.event(row["id"])
    assert isinstance(record, EventRecord) and isinstance(record.event, Event)
    assert record.event.id == row["id"] and record.event.cameo == row["cameo"]
    assert record.event.trigger.text == row["trigger_text"]
    assert record.sentence and record.event.trigger.text in record.sentence
    assert record.article_id == row["article_id"]
    assert record.day is not None and pd.Timestamp(record.day) == row["day"]
    assert db.event("e-0000000000000000") is None


def test_sql_is_read_only(db: Database) -> None:
    frame = db.sql("SELECT count(*) AS n FROM events")
    assert int(frame.loc[0, "n"]) == len(db.events())
    for query in ("DELETE FROM events", "DROP TABLE events", "ATTACH 'x.db' AS x",
                  "SELECT * FROM read_csv('/etc/hostname')", "SET threads = 1",
                  "SELECT 1; SELECT 2"):
        with pytest.raises(QueryRefused):
            db.sql(query)
    assert set(db.views()) >= {"events_by_month", "actor_dyads", "daily_counts"}


def test_a_missing_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Database(tmp_path / "none.duckdb")


def test_a_writable_database_migrates_and_still_refuses_writes_by_sql(tmp_path: Path) -> None:
    with Database(tmp_path / "new.duckdb", read_only=False) as db:
        assert db.events().empty and list(db.events().columns) == EVENT_COLUMNS
        with pytest.raises(QueryRefused):
            db.sql("DELETE FROM events")


def test_the_export_and_the_api_run_the_same_select() -> None:
    assert "FROM events e" in EVENTS_SQL and "$actor" in EVENTS_SQL


def test_the_python_api_doc_examples_run(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(path, tmp_path / "demo.duckdb")
    monkeypatch.chdir(tmp_path)
    opened = diurna.open(tmp_path / "demo.duckdb")
    wired = isinstance(opened, Database)
    opened.close()
    if not wired:  # diurna.open returns a Store until the package wires the API in
        monkeypatch.setattr(diurna, "open", Database)
    failures, tried = doctest.testfile(
        str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False,
        raise_on_error=False,
    )
    assert tried > 20
    assert failures == 0, f"{failures} of {tried} examples in {DOC.name} failed (see above)"


def test_stances_follow_the_recognition_relations(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "dpr.txt").write_text(
        "Breakaway republics\n\nASTANA, March 3, 2023 — The foreign ministry spoke on Friday."
        "\n\nRussia recognised the Donetsk People's Republic in February 2022.\n",
        encoding="utf-8")
    path = tmp_path / "stances.duckdb"
    ingest([inbox], db=path)
    with Database(path) as db:
        relations = db.relations(predicate="recognizes")
        assert len(relations) > 0
        row = relations.iloc[0]
        by_subject = db.stance(row["subject_code"])
        by_object = db.stance(row["object_code"])
    mine = by_subject[by_subject["role"] == "subject"]
    assert row["object_code"] in set(mine["object_code"])
    assert set(mine["stance"]) <= {"recognizes", "does_not_recognize"}
    theirs = by_object[by_object["role"] == "object"]
    assert row["subject_code"] in set(theirs["subject_code"])
    assert (theirs["recognizes"] >= 1).all()
