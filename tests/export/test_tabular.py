"""CSV, JSON Lines, Parquet and PLOVER exports of real ingests, read back and checked."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from diurna.export import ExportError, Filters, export
from diurna.export.gdelt import MENTION_COLUMNS
from diurna.export.tabular import safe_cell
from diurna.jobs.ingest import ingest
from diurna.store import Store

REPO = Path(__file__).resolve().parents[2]
TABLES = ("events", "counts", "quotes", "articles")
PLOVER_FIELDS = {
    "event_id", "event_type", "event_mode", "event_context", "source_actor", "source_agent",
    "target_actor", "target_agent", "date", "date_resolution", "country", "placename",
    "latitude", "longitude", "event_text", "sentence", "story_id", "publisher", "url",
    "cameo", "modality", "confidence",
}


@pytest.fixture(scope="module")
def db(examples_db: Path) -> Path:
    return examples_db


def count(db: Path, table: str) -> int:
    with Store(db, read_only=True) as store:
        return int(store.query(f"SELECT count(*) AS n FROM {table}")[0]["n"])


@pytest.mark.parametrize("table", TABLES)
def test_csv_has_a_header_and_every_row(db: Path, tmp_path: Path, table: str) -> None:
    out = tmp_path / f"{table}.csv"
    written = export(db, fmt="csv", table=table, out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert written == len(rows) == count(db, table)
    assert "day" in rows[0]


@pytest.mark.parametrize("table", TABLES)
def test_jsonl_has_one_object_per_row(db: Path, tmp_path: Path, table: str) -> None:
    out = tmp_path / f"{table}.jsonl"
    written = export(db, fmt="jsonl", table=table, out=out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == len(records) == count(db, table)
    assert all(isinstance(r, dict) for r in records)
    if table == "events":
        assert any(isinstance(r["location"], dict) for r in records)
        assert all(r["day"] is None or dt.date.fromisoformat(r["day"]) for r in records)


@pytest.mark.parametrize("table", (*TABLES, "mentions"))
def test_parquet_is_partitioned_and_readable_by_duckdb_and_pandas(
    db: Path, tmp_path: Path, table: str
) -> None:
    out = tmp_path / table
    written = export(db, fmt="parquet", table=table, out=out)
    assert written > 0
    folders = {p.relative_to(out).parts[:2] for p in out.rglob("*.parquet")}
    assert folders and all(y.startswith("year=") and m.startswith("month=") for y, m in folders)
    by_duckdb = duckdb.sql(
        "SELECT count(*), count(DISTINCT year) FROM read_parquet(?, hive_partitioning = true)",
        params=[str(out / "**" / "*.parquet")],
    ).fetchall()
    assert by_duckdb[0][0] == written and by_duckdb[0][1] >= 1
    frame = pd.read_parquet(out)
    assert len(frame) == written
    assert {"year", "month"} <= set(frame.columns)
    if table == "mentions":
        assert [n for n, _ in MENTION_COLUMNS] == list(frame.columns[: len(MENTION_COLUMNS)])
        assert str(frame["GLOBALEVENTID"].dtype) == "int64"
    else:
        assert written == count(db, table)


def test_parquet_refuses_an_existing_folder_without_force(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    first = export(db, fmt="parquet", table="counts", out=out)
    with pytest.raises(ExportError, match="--force"):
        export(db, fmt="parquet", table="counts", out=out)
    assert export(db, fmt="parquet", table="counts", out=out, force=True) == first
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="not from a Parquet export"):
        export(db, fmt="parquet", table="counts", out=other, force=True)
    assert (other / "notes.txt").exists()


def test_plover_records_use_plover_field_names(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    written = export(db, fmt="plover", out=out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == len(records) > 0
    with Store(db, read_only=True) as store:
        articles = {r["id"] for r in store.query("SELECT id FROM articles")}
    for record in records:
        assert set(record) >= PLOVER_FIELDS
        assert record["event_type"] and record["event_type"].isupper()
        assert isinstance(record["event_context"], list)
        assert record["modality"] in ("asserted", "negated", "future", "hypothetical")
        assert record["story_id"] in articles
        assert record["event_text"] in record["sentence"]
    assert {r["modality"] for r in records} > {"asserted"}  # PLOVER keeps every modality


def test_filters_apply_to_csv_exports(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kaz.csv"
    export(db, fmt="csv", out=out, filters=Filters(actor="KAZ", modality="negated"))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["modality"] == "negated"
        assert row["source_code"].startswith("KAZ") or row["target_code"].startswith("KAZ")


def test_a_filter_that_does_not_apply_is_refused(db: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="--code does not apply to --table counts"):
        export(db, fmt="csv", table="counts", out=tmp_path / "x.csv", filters=Filters(code="12"))
    with pytest.raises(ExportError, match="plover writes the events table"):
        export(db, fmt="plover", table="counts", out=tmp_path / "x.jsonl")
    with pytest.raises(ExportError, match="exists"):
        (tmp_path / "there.csv").write_text("", encoding="utf-8")
        export(db, fmt="csv", out=tmp_path / "there.csv")
    with pytest.raises(ExportError, match="the database itself"):
        export(db, fmt="csv", out=db, force=True)
    assert count(db, "events") > 0


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    record = {
        "id": "w-formula",
        "title": '=HYPERLINK("http://x.test","click")',
        "text": "Protesters marched through the capital on Monday, the police said.",
    }
    (inbox / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "formula.duckdb"
    ingest([inbox], db=db)
    out = tmp_path / "articles.csv"
    export(db, fmt="csv", table="articles", out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert rows["w-formula"]["title"].startswith("'=HYPERLINK(")
    assert [safe_cell(v) for v in ("+1", "-2", "@x", "\tx", "\rx", "ok", 3)] == [
        "'+1", "'-2", "'@x", "'\tx", "'\rx", "ok", 3
    ]
