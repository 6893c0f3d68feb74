"""Stateless extraction: one record per article, the contract of docs/extract-format.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import diurna
from diurna.article import Article
from diurna.errors import InputError
from diurna.jobs.extract import extract_paths

TEXT = (
    "Ceasefire talks resume in Geneva\n\n"
    "Negotiators from Aldovia and Bessaria met again in Geneva on Tuesday to discuss a "
    "ceasefire. The foreign ministry said the talks would continue on Friday.\n\n"
    "Share this article\n"
)
BODY = (
    "Negotiators from Aldovia and Bessaria met again in Geneva on Tuesday to discuss a "
    "ceasefire. The foreign ministry said the talks would continue on Friday."
)
PAGE = f"""<!DOCTYPE html><html><head><title>Port strike in Valmora</title>
<meta property="article:published_time" content="2023-05-04T09:00:00Z"></head>
<body><article><h1>Port strike in Valmora</h1><p>{BODY}</p></article></body></html>"""

CONTRACT = {
    "id", "title", "published", "url", "source", "language", "status", "status_reason",
    "duplicate_of", "text", "removed", "warnings", "sentences", "entities", "events", "counts",
    "quotes", "relations",
}


@pytest.mark.e2e
def test_extract_plain_text() -> None:
    article = diurna.extract(TEXT)
    assert isinstance(article, Article)
    assert article.title == "Ceasefire talks resume in Geneva"
    assert article.text == BODY
    assert (article.status, article.language, article.source) == ("ok", "en", "<text>")
    assert [r.reason for r in article.removed] == ["headline", "share button"]
    assert article.raw == "" and article.doc is None
    assert article.sentences
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text


@pytest.mark.e2e
def test_extract_html() -> None:
    article = diurna.extract(PAGE)
    assert article.title == "Port strike in Valmora"
    assert article.text == BODY
    assert article.published == "2023-05-04"


@pytest.mark.e2e
def test_extract_with_a_default_date_title_and_url() -> None:
    article = diurna.extract(
        TEXT, "2022-02-22", title="Given title", url="https://news.example.test/g"
    )
    assert article.published == "2022-02-22"
    assert article.title == "Given title"
    assert article.url == "https://news.example.test/g"
    assert article.source == "https://news.example.test/g"
    # the page's own date wins over the default
    assert diurna.extract(PAGE, "2022-02-22").published == "2023-05-04"


@pytest.mark.e2e
def test_extract_refuses_an_empty_input() -> None:
    with pytest.raises(InputError, match="empty article"):
        diurna.extract("   \n")


@pytest.mark.e2e
def test_extract_paths_records_and_errors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.bin.txt").write_bytes(b"\x00\x01")
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"id": "j1", "text": BODY + " More to come."}) + "\n{oops\n", encoding="utf-8"
    )
    records = list(extract_paths([tmp_path], published="2021-01-01"))
    assert len(records) == 5

    errors = [r for r in records if "error" in r]
    assert [set(r) for r in errors] == [{"id", "source", "error"}] * 2
    assert [Path(r["source"]).name for r in errors] == ["b.bin.txt", "d.jsonl:2"]
    assert errors[0]["error"].endswith("binary file (contains NUL bytes), not a text article")
    assert errors[0]["id"] is None

    good = {r["source"].split("/")[-1]: r for r in records if "error" not in r}
    assert set(good) == {"a.txt", "c.html", "d.jsonl:1 (id j1)"}
    for record in good.values():
        assert set(record) >= CONTRACT  # every contract field is present (later steps may add)
        assert "error" not in record
        assert record["status"] == "ok"
        assert isinstance(record["sentences"], list) and record["sentences"]
        for key in ("removed", "warnings", "entities", "events", "counts", "quotes", "relations"):
            assert isinstance(record[key], list)
        json.dumps(record)  # JSON-ready
    assert good["a.txt"]["published"] == "2021-01-01"  # the default applies
    assert good["c.html"]["published"] == "2023-05-04"  # the page's own date wins
    assert good["d.jsonl:1 (id j1)"]["id"] == "j1"
    assert good["a.txt"]["removed"] == [
        {"text": "Ceasefire talks resume in Geneva", "reason": "headline"},
        {"text": "Share this article", "reason": "share button"},
    ]
    first = good["a.txt"]["sentences"][0]
    assert set(first) == {"index", "start", "end", "text"}
    assert good["a.txt"]["text"][first["start"] : first["end"]] == first["text"]


@pytest.mark.e2e
def test_extract_paths_without_a_default_date(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    [record] = extract_paths([tmp_path / "a.txt"])
    assert record["published"] is None


@pytest.mark.e2e
def test_an_article_that_fails_processing_is_an_error_record(tmp_path: Path) -> None:
    (tmp_path / "noise.txt").write_text("Advertisement\n\nShare this article\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    records = list(extract_paths([tmp_path]))
    assert set(records[0]) == {"id", "source", "error"}
    assert set(records[1]) >= CONTRACT and "error" not in records[1]
    assert records[0]["id"].startswith("h-")
    assert records[0]["error"].endswith("noise.txt: empty article after removing boilerplate")


@pytest.mark.e2e
def test_a_dateline_in_the_text_wins_over_the_default_date(tmp_path: Path) -> None:
    (tmp_path / "dated.txt").write_text(
        "Ceasefire talks resume in Geneva\n\n"
        "GENEVA, March 3, 2023 — Negotiators from Aldovia and Bessaria met again on Tuesday "
        "to discuss a ceasefire, the foreign ministry said.\n",
        encoding="utf-8",
    )
    [record] = extract_paths([tmp_path / "dated.txt"], published="2021-01-01")
    assert record["published"] == "2023-03-03"
    article = diurna.extract((tmp_path / "dated.txt").read_text("utf-8"), "2021-01-01")
    assert article.published == "2023-03-03"


@pytest.mark.e2e
def test_the_default_date_applies_to_a_non_english_article(tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text(
        "Die Außenminister beider Länder trafen sich am Montag in Wien, um über die Krise in der "
        "Region zu beraten, und vereinbarten ein weiteres Treffen im nächsten Monat.\n",
        encoding="utf-8",
    )
    [record] = extract_paths([tmp_path / "de.txt"], published="2021-01-01")
    assert (record["status"], record["language"]) == ("non_english", "de")
    assert record["published"] == "2021-01-01"
    assert record["sentences"] == []  # not analysed


def test_extract_refuses_text_with_a_lone_surrogate_naming_where() -> None:
    with pytest.raises(InputError, match=r"^<text>: the text is not valid Unicode: unpaired "
                                         r"surrogate '\\ud800' at character 11$"):
        diurna.extract("Kazakhstan \ud800 recognised the treaty.")
