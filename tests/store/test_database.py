"""The DuckDB store: batches in one transaction, reads, and clear errors for bad files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from diurna.article import Article, Failure, Removed
from diurna.clean.dedup import content_hash
from diurna.errors import StoreError
from diurna.store import Store, resolve_db_path


def article(article_id: str, text: str = "Talks resume in Geneva.", **fields: object) -> Article:
    defaults: dict[str, object] = {
        "source": f"{article_id}.txt",
        "language": "en",
        "content_hash": content_hash(text),
    }
    defaults.update(fields)
    return Article(id=article_id, text=text, **defaults)  # type: ignore[arg-type]


def test_write_and_read_back_an_article(tmp_db: Path) -> None:
    stored = article(
        "a1",
        title="Talks resume",
        url="https://news.example.test/a1",
        published="2022-02-22T10:00:00Z",
        author="Anna Keller",
        fetched="2022-02-23T08:00:00Z",
        removed=[Removed("Share this article", "share button")],
        warnings=["no date"],
    )
    with Store(tmp_db) as store:
        store.write([stored])
    with Store(tmp_db, read_only=True) as store:
        row = store.article("a1")
        listed = store.articles()
    assert row is not None
    assert row["title"] == "Talks resume"
    assert row["published"] == dt.date(2022, 2, 22)
    assert row["text"] == "Talks resume in Geneva."
    assert row["n_chars"] == len("Talks resume in Geneva.")
    assert row["removed"] == [{"text": "Share this article", "reason": "share button"}]
    assert row["warnings"] == ["no date"]
    assert (row["author"], row["fetched"], row["status"]) == (
        "Anna Keller",
        "2022-02-23T08:00:00Z",
        "ok",
    )
    assert [r["id"] for r in listed] == ["a1"]
    assert set(listed[0]) == {
        "id", "title", "published", "language", "status", "n_chars", "events", "url", "source",
        "duplicate_of",
    }
    assert listed[0]["events"] == 0  # written without events


def test_an_invalid_published_date_is_stored_as_null(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write([article("a1", published="sometime in May")])
        row = store.article("a1")
    assert row is not None and row["published"] is None


def test_an_unknown_article_is_none(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        assert store.article("nope") is None


def test_a_conflicting_row_is_ignored_and_the_rest_of_the_batch_lands(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write([article("a1", "First text.")])
        store.write(
            [article("a1", "Second text."), article("b1", "Other text.")],
            [Failure("bad.txt", "bad.txt: empty article (no text)")],
        )
        texts = store.query("SELECT id, text FROM articles ORDER BY id")
        failures = store.failures()
    assert texts == [{"id": "a1", "text": "First text."}, {"id": "b1", "text": "Other text."}]
    assert [(f["source"], f["reason"], f["stage"]) for f in failures] == [
        ("bad.txt", "bad.txt: empty article (no text)", "read")
    ]


def test_a_failing_batch_is_rolled_back_entirely(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write([article("a1")])
        bad = article("c1", status=None)  # violates NOT NULL on status
        with pytest.raises(StoreError, match="writing a batch failed and was rolled back"):
            store.write([article("b1", "Other text."), bad], [Failure("x.txt", "x.txt: bad")])
        assert store.known_ids() == {"a1"}
        assert store.failures() == []
        store.write([article("d1", "Later text.")])  # the connection is still usable
        assert store.known_ids() == {"a1", "d1"}


def test_failures_keep_stage_and_article_id(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write(
            [],
            [
                Failure("a.txt", "a.txt: nlp step failed: boom", stage="nlp", article_id="h-1"),
                Failure("b.txt", "b.txt: binary file"),
            ],
        )
        rows = store.failures()
    assert [(r["id"], r["stage"], r["article_id"], r["source"]) for r in rows] == [
        (1, "nlp", "h-1", "a.txt"),
        (2, "read", None, "b.txt"),
    ]


def test_known_ids_and_hashes(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write(
            [article("a1", "Same text."), article("x1", "Fremder Text.", status="non_english")]
        )
        store.write(
            [
                article("a2", "Same text.", status="duplicate", duplicate_of="a1"),
                article("f1", "Failed text.", status="failed"),
            ]
        )
        assert store.known_ids() == {"a1", "x1", "a2", "f1"}
        assert store.known_hashes() == {
            content_hash("Same text."): "a1",
            content_hash("Fremder Text."): "x1",
        }
        assert store.counts() == {"ok": 1, "non_english": 1, "duplicate": 1, "failed": 1}


def test_articles_filtered_by_status_and_limited(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write([article(f"a{i}", f"Text {i}.") for i in range(5)])
        store.write([article("d1", "Text 0.", status="duplicate", duplicate_of="a0")])
        assert [r["id"] for r in store.articles(status="duplicate")] == ["d1"]
        assert len(store.articles(limit=3)) == 3
        assert store.articles(status="duplicate")[0]["duplicate_of"] == "a0"


def test_read_only_open_of_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(StoreError) as err:
        Store(missing, read_only=True)
    assert str(err.value) == (
        f"{missing}: no such database; create it with 'diurna ingest PATH --db {missing}'"
    )
    assert not missing.exists()


@pytest.mark.parametrize("read_only", [True, False])
def test_opening_a_garbage_file_is_a_store_error(tmp_path: Path, read_only: bool) -> None:
    garbage = tmp_path / "x.duckdb"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError) as err:
        Store(garbage, read_only=read_only)
    message = str(err.value)
    assert message.startswith(f"{garbage}: cannot open the database")
    assert "move it aside and re-run 'diurna ingest'" in message


def test_the_database_path_comes_from_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIURNA_DB", "/tmp/from-env.duckdb")
    assert resolve_db_path("given.duckdb") == Path("given.duckdb")
    assert resolve_db_path(None) == Path("/tmp/from-env.duckdb")
    monkeypatch.delenv("DIURNA_DB")
    assert resolve_db_path(None) == Path("diurna.duckdb")


def test_a_shard_the_database_refuses_is_rolled_back_with_a_one_line_reason(
    tmp_db: Path, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from diurna.store.shard_loader import load_shard

    folder = tmp_path / "shard-0001"
    folder.mkdir()
    # A shard written by another version: its events table has none of the expected columns.
    pq.write_table(pa.table({"no_such_column": [1]}), folder / "events.parquet")
    with Store(tmp_db) as store:
        store.write([article("a1")])
        with pytest.raises(StoreError) as raised:
            load_shard(store, "shard-0001", [], folder)
        message = str(raised.value)
        assert message.startswith(f"{tmp_db}: loading shard shard-0001 from {folder} failed")
        assert "rolled back" in message and "no_such_column" in message
        assert "\n" not in message  # DuckDB's caret diagram is flattened
        assert store.known_ids() == {"a1"}
        assert store.con.execute("SELECT count(*) FROM shards").fetchone() == (0,)
