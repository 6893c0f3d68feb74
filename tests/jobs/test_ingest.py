"""Ingest end to end: hand-made files into a temporary DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from diurna.jobs.ingest import IngestSummary, ingest
from diurna.readers.decode import short_hash
from diurna.store import Store

REPO = Path(__file__).resolve().parents[2]

HEAD_A = "Ceasefire talks resume in Geneva"
BODY_A = (
    "Negotiators from Aldovia and Bessaria met again in Geneva on Tuesday to discuss a ceasefire "
    "along the disputed border, the foreign ministry said.\n\n"
    "The talks had been suspended for three weeks after an exchange of fire near the frontier "
    "town of Korsk, in which two soldiers were killed."
)
RAW_A = f"Home > World > Europe\n\n{HEAD_A}\n\n{BODY_A}\n\nShare this article\n"
PAGE_B = """<!DOCTYPE html><html><head><title>Port workers strike in Valmora</title>
<meta property="article:published_time" content="2023-05-04T09:00:00Z"></head>
<body><article><h1>Port workers strike in Valmora</h1>
<p>Thousands of port workers walked out in Valmora on Wednesday, demanding higher wages and
an end to night shifts, the dockers' union said in a statement.</p>
<p>The government said it would meet union leaders on Friday and called the strike illegal.</p>
</article></body></html>"""
TEXT_W1 = (
    "The parliament of Tessaly voted on Thursday to leave the regional trade bloc, a decision the "
    "opposition called reckless and promised to overturn after the next election."
)
GERMAN = (
    "Die Außenminister beider Länder trafen sich am Montag in Wien, um über die Krise in der "
    "Region zu beraten, und vereinbarten ein weiteres Treffen im nächsten Monat."
)


def make_inbox(root: Path, *, bad: bool = True) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "a-geneva.txt").write_text(RAW_A, encoding="utf-8")
    (inbox / "b-valmora.html").write_text(PAGE_B, encoding="utf-8")
    lines = [
        json.dumps({"id": "w-1", "title": "Tessaly leaves trade bloc", "text": TEXT_W1}),
        json.dumps({"id": "w-2", "title": "Geneva talks (wire copy)", "text": BODY_A}),
    ]
    if bad:
        lines.append('{"id": "w-3", "text": "cut off')
    (inbox / "c-wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (inbox / "d-wien.txt").write_text(f"Treffen in Wien\n\n{GERMAN}\n", encoding="utf-8")
    if bad:
        (inbox / "e-photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return inbox


def rows(db: Path) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        found = store.query(
            "SELECT id, source, url, title, published, author, language, status, status_reason,"
            " duplicate_of, content_hash, text, removed FROM articles ORDER BY id"
        )
    for row in found:
        row["source"] = Path(row["source"]).name
    return found


def counts(summary: IngestSummary) -> dict[str, int]:
    return {
        k: v
        for k, v in summary.as_dict().items()
        if k in ("read", "new", "unchanged", "duplicate", "non_english", "failed")
    }


@pytest.mark.e2e
def test_ingest_a_folder(tmp_path: Path, tmp_db: Path) -> None:
    inbox = make_inbox(tmp_path)
    summary = ingest([inbox], tmp_db)

    assert counts(summary) == {
        "read": 5, "new": 3, "unchanged": 0, "duplicate": 1, "non_english": 1, "failed": 2,
    }
    assert summary.exit_code == 1
    assert summary.skipped_files == []

    stored = {row["id"]: row for row in rows(tmp_db)}
    id_a = "h-" + short_hash(RAW_A)
    id_b = next(i for i in stored if stored[i]["source"] == "b-valmora.html")
    id_d = "h-" + short_hash(f"Treffen in Wien\n\n{GERMAN}\n")
    assert set(stored) == {id_a, id_b, "w-1", "w-2", id_d}

    a = stored[id_a]
    assert (a["title"], a["status"], a["language"]) == (HEAD_A, "ok", "en")
    assert a["text"] == BODY_A
    assert json.loads(a["removed"]) == [
        {"text": "Home > World > Europe", "reason": "navigation"},
        {"text": HEAD_A, "reason": "headline"},
        {"text": "Share this article", "reason": "share button"},
    ]

    b = stored[id_b]
    assert (b["title"], str(b["published"]), b["status"]) == (
        "Port workers strike in Valmora",
        "2023-05-04",
        "ok",
    )
    assert b["text"].startswith("Thousands of port workers walked out in Valmora")

    assert (stored["w-1"]["title"], stored["w-1"]["status"]) == ("Tessaly leaves trade bloc", "ok")
    assert stored["w-1"]["source"] == "c-wire.jsonl:1 (id w-1)"

    w2 = stored["w-2"]
    assert (w2["status"], w2["duplicate_of"]) == ("duplicate", id_a)
    assert w2["status_reason"] == f"same text as article {id_a}"
    assert w2["content_hash"] == a["content_hash"]

    d = stored[id_d]
    assert (d["status"], d["language"]) == ("non_english", "de")
    assert "detected language 'de'" in d["status_reason"]

    with Store(tmp_db, read_only=True) as store:
        failures = store.failures()
    assert [(Path(f["source"]).name, f["stage"]) for f in failures] == [
        ("c-wire.jsonl:3", "read"),
        ("e-photo.txt", "read"),
    ]
    assert "c-wire.jsonl:3: malformed JSON" in failures[0]["reason"]
    assert failures[1]["reason"].endswith(
        "e-photo.txt: binary file (contains NUL bytes), not a text article"
    )
    assert len(summary.failures) == 2


@pytest.mark.e2e
def test_re_ingesting_is_a_no_op(tmp_path: Path, tmp_db: Path) -> None:
    inbox = make_inbox(tmp_path, bad=False)
    first = ingest([inbox], tmp_db)
    assert first.exit_code == 0
    before = rows(tmp_db)

    again = ingest([inbox], tmp_db)
    assert counts(again) == {
        "read": 5, "new": 0, "unchanged": 5, "duplicate": 0, "non_english": 0, "failed": 0,
    }
    assert again.exit_code == 0
    assert rows(tmp_db) == before
    with Store(tmp_db, read_only=True) as store:
        assert store.failures() == []


@pytest.mark.e2e
def test_a_copy_ingested_later_is_linked_to_the_stored_first_copy(
    tmp_path: Path, tmp_db: Path
) -> None:
    first = tmp_path / "first.txt"
    first.write_text(RAW_A, encoding="utf-8")
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "copy", "text": BODY_A.upper()}) + "\n", encoding="utf-8")

    ingest([first], tmp_db)
    summary = ingest([later], tmp_db)
    assert (summary.new, summary.duplicate) == (0, 1)
    copy = next(row for row in rows(tmp_db) if row["id"] == "copy")
    assert copy["duplicate_of"] == "h-" + short_hash(RAW_A)


@pytest.mark.e2e
def test_nothing_readable_exits_2(tmp_path: Path, tmp_db: Path) -> None:
    binary = tmp_path / "only.txt"
    binary.write_bytes(b"\x00\x01\x02")
    summary = ingest([binary, tmp_path / "missing.txt"], tmp_db)
    assert counts(summary) == {
        "read": 0, "new": 0, "unchanged": 0, "duplicate": 0, "non_english": 0, "failed": 2,
    }
    assert summary.exit_code == 2
    with Store(tmp_db, read_only=True) as store:
        assert [Path(f["source"]).name for f in store.failures()] == ["only.txt", "missing.txt"]
        assert store.articles() == []


@pytest.mark.e2e
def test_a_failure_is_recorded_once_however_often_the_run_is_repeated(
    tmp_path: Path, tmp_db: Path
) -> None:
    binary = tmp_path / "only.txt"
    binary.write_bytes(b"\x00\x01\x02")
    for _ in range(3):
        summary = ingest([binary], tmp_db)
        assert summary.failed == 1  # each run still reports it
    with Store(tmp_db, read_only=True) as store:
        failures = store.failures()
    assert len(failures) == 1
    assert "binary file" in failures[0]["reason"]


@pytest.mark.e2e
def test_everything_readable_exits_0(tmp_path: Path, tmp_db: Path) -> None:
    summary = ingest([make_inbox(tmp_path, bad=False)], tmp_db)
    assert (summary.read, summary.failed, summary.exit_code) == (5, 0, 0)


@pytest.mark.e2e
def test_summary_skipped_files_and_progress_callback(tmp_path: Path, tmp_db: Path) -> None:
    inbox = make_inbox(tmp_path, bad=False)
    (inbox / "notes.md").write_text("not an article type", encoding="utf-8")
    seen: list[int] = []
    summary = ingest([inbox], tmp_db, on_article=lambda s: seen.append(s.read))
    assert [Path(p).name for p in summary.skipped_files] == ["notes.md"]
    assert summary.as_dict()["skipped_files"] == 1
    assert len(seen) == 5
    assert summary.seconds > 0 and summary.rate > 0


@pytest.mark.e2e
def test_small_batches_give_the_same_rows(tmp_path: Path) -> None:
    inbox = make_inbox(tmp_path)
    ingest([inbox], tmp_path / "one.duckdb")
    ingest([inbox], tmp_path / "small.duckdb", batch_size=1)
    assert rows(tmp_path / "small.duckdb") == rows(tmp_path / "one.duckdb")


@pytest.mark.e2e
def test_two_workers_give_the_same_rows_as_one(tmp_path: Path) -> None:
    inbox = make_inbox(tmp_path)
    one = ingest([inbox], tmp_path / "one.duckdb", workers=1)
    two = ingest([inbox], tmp_path / "two.duckdb", workers=2)
    assert counts(two) == counts(one)
    assert rows(tmp_path / "two.duckdb") == rows(tmp_path / "one.duckdb")


@pytest.mark.e2e
def test_a_dask_cluster_gives_the_same_rows_as_local_processes(tmp_path: Path) -> None:
    from diurna.executors.dask import DaskExecutor

    inbox = make_inbox(tmp_path)
    local = ingest([inbox], tmp_path / "local.duckdb", workers=1)
    with DaskExecutor(workers=2) as executor:
        dask = ingest([inbox], tmp_path / "dask.duckdb", executor=executor)
    assert counts(dask) == counts(local)
    assert rows(tmp_path / "dask.duckdb") == rows(tmp_path / "local.duckdb")


@pytest.mark.e2e
@pytest.mark.shared
def test_ingest_the_shared_sample(shared_dir: Path, tmp_db: Path) -> None:
    sample = shared_dir / "samples" / "seed-kazakhstan-recognition.txt"
    summary = ingest([sample], tmp_db)
    assert (summary.read, summary.new, summary.failed, summary.exit_code) == (1, 1, 0, 0)
    [row] = rows(tmp_db)
    assert row["title"] == "Kazakhstan does not Recognise the Donetsk and Lugansk Decision"
    assert (row["status"], row["language"]) == ("ok", "en")
    assert "Savronik" not in row["text"] and "FNSS" not in row["text"]
    assert row["title"] not in row["text"]
    assert len(row["text"].split("\n\n")) == 4
    removed = json.loads(row["removed"])
    assert {"text": "Savronik Banner", "reason": "banner"} in removed
    assert {"text": "FNSS", "reason": "sponsor or footer"} in removed
    assert {r["reason"] for r in removed} == {"banner", "repeated headline", "sponsor or footer"}


@pytest.mark.e2e
def test_ingest_the_project_examples(tmp_db: Path) -> None:
    examples = REPO / "examples"
    files = sorted(
        p
        for p in examples.glob("*")
        if p.suffix.lower() in (".txt", ".html", ".htm", ".jsonl", ".warc", ".gz")
    ) if examples.is_dir() else []
    if not files:
        pytest.skip("examples/ has no article files yet")
    summary = ingest([examples], tmp_db)
    assert summary.failed == 0, summary.failures
    assert summary.exit_code == 0
    assert summary.duplicate >= 1  # the examples include a deliberate near-duplicate
    stored = rows(tmp_db)
    assert len(stored) == summary.read >= len(files)
    with Store(tmp_db, read_only=True) as store:
        sources = [row["source"] for row in store.articles()]
    for path in files:  # every example file became an article (a .jsonl or .warc, several)
        assert any(source.startswith(str(path)) for source in sources), path.name
    assert all(row["title"] for row in stored), [r["source"] for r in stored if not r["title"]]
    assert all(row["status"] in ("ok", "duplicate") for row in stored)


@pytest.mark.e2e
def test_a_very_long_article_is_stored_in_parts_with_the_reason(
    tmp_path: Path, tmp_db: Path
) -> None:
    paragraphs = [f"Delegates from Aldovia met in Geneva on day {i} and signed a protocol."
                  for i in range(120)]
    (tmp_path / "record.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    summary = ingest([tmp_path], tmp_db, split_chars=2_000)
    assert summary.read == 1 and summary.failed == 0 and summary.new == 5
    with Store(tmp_db, read_only=True) as store:
        rows = store.query("SELECT id, source, text, warnings FROM articles ORDER BY id")
    assert [r["id"].rsplit("~", 1)[1] for r in rows] == [f"part00{i}" for i in range(1, 6)]
    assert rows[1]["source"].endswith("record.txt (part 2 of 5)")
    assert all("analysed in parts" in json.loads(r["warnings"])[-1] for r in rows)
    assert "".join(r["text"] for r in rows).count("signed a protocol") == 120
    again = ingest([tmp_path], tmp_db, split_chars=2_000)
    assert again.new == 0 and again.unchanged == 5


def test_an_article_the_database_refuses_fails_alone(tmp_db: Path) -> None:
    """A value out of the column's range (a count of 2**70) fails its article with the reason;
    the rest of the batch is stored."""
    from diurna.article import Article, Count, Failure
    from diurna.jobs.ingest import write_batch

    good = [Article(id=f"ok-{i}", text=f"Report {i}.", source=f"feed.jsonl:{i}")
            for i in range(3)]
    bad = Article(id="huge", text="Police arrested many.", source="feed.jsonl:9")
    bad.counts.append(Count("ARREST", 2**70, False, None, "many", 15, 19, 0))
    summary = IngestSummary(new=4)
    with Store(tmp_db) as store:
        write_batch(store, [*good[:2], bad, good[2]], [Failure("x.txt", "x.txt: unreadable")],
                    summary)
        ids = {r["id"] for r in store.query("SELECT id FROM articles")}
        failures = store.failures()
    assert ids == {"ok-0", "ok-1", "ok-2"}
    assert summary.new == 3 and summary.failed == 1
    assert {f["source"] for f in failures} == {"x.txt", "feed.jsonl:9"}
    stored = next(f for f in failures if f["source"] == "feed.jsonl:9")
    assert stored["reason"].startswith("feed.jsonl:9: could not be stored: ")
    assert stored["stage"] == "store" and stored["article_id"] == "huge"
