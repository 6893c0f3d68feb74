"""JSON Lines: one article per line; a bad line is a failure naming the file and line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from diurna.article import Article, Failure
from diurna.readers import ReadOptions, read_paths

TEXT = "Negotiators met again in Geneva on Tuesday to discuss a ceasefire, officials said."
PAGE = (
    "<html><head><title>Page title</title></head><body><article>"
    f"<p>{TEXT}</p></article></body></html>"
)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_text_record_with_every_optional_field(tmp_path: Path) -> None:
    record = {
        "id": "wire-17",
        "text": TEXT,
        "title": "Talks resume",
        "url": "https://news.example.test/a",
        "published": "2022-02-22",
        "author": "Anna Keller",
    }
    path = write_lines(tmp_path / "dump.jsonl", [json.dumps(record)])
    [article] = read_paths([path])
    assert article == Article(
        id="wire-17",
        raw=TEXT,
        source=f"{path}:1 (id wire-17)",
        url="https://news.example.test/a",
        title="Talks resume",
        published="2022-02-22",
        author="Anna Keller",
    )


def test_a_record_with_only_text(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "dump.ndjson", [json.dumps({"text": TEXT})])
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert (article.id, article.raw, article.source, article.title) == ("", TEXT, f"{path}:1", None)


def test_a_numeric_id_is_kept_as_a_string(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "dump.jsonl", [json.dumps({"id": 42, "text": TEXT})])
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.id == "42"


def test_a_record_with_html(tmp_path: Path) -> None:
    record = {"id": "h1", "html": PAGE, "url": "https://news.example.test/h"}
    path = write_lines(tmp_path / "dump.jsonl", [json.dumps(record)])
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.is_html
    assert article.raw == TEXT
    assert article.title == "Page title"
    assert (article.id, article.url) == ("h1", "https://news.example.test/h")


def test_the_record_title_wins_over_the_page_title(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "d.jsonl", [json.dumps({"html": PAGE, "title": "Given"})])
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.title == "Given"


def test_a_publisher_named_by_the_record_is_added_to_the_location(tmp_path: Path) -> None:
    record = {"id": "w2", "text": TEXT, "source": "Andes Post"}
    path = write_lines(tmp_path / "d.jsonl", [json.dumps(record)])
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.source == f"{path}:1 (id w2) from Andes Post"


def test_bad_lines_are_failures_and_good_lines_go_on(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "mixed.jsonl",
        [
            '{"text": "unfinished"',
            "[1, 2, 3]",
            '{"id": "no-body", "title": "Nothing"}',
            json.dumps({"id": "ok-1", "text": TEXT}),
            "",
            json.dumps({"text": 17}),
            json.dumps({"id": "h", "html": 3}),
            json.dumps({"text": TEXT, "title": ["a", "list"]}),
            json.dumps({"text": "   "}),
            json.dumps({"id": "ok-2", "text": TEXT + " Again."}),
        ],
    )
    items = list(read_paths([path]))
    assert [type(item).__name__ for item in items] == [
        "Failure", "Failure", "Failure", "Article", "Failure", "Failure", "Failure", "Failure",
        "Article",
    ]
    failures = [item for item in items if isinstance(item, Failure)]
    assert [(f.source, f.reason) for f in failures] == [
        (f"{path}:1", f"{path}:1: malformed JSON: Expecting ',' delimiter at column 22"),
        (f"{path}:2", f"{path}:2: a JSONL line must be an object, not list"),
        (f"{path}:3", f"{path}:3: record has neither 'text' nor 'html'"),
        (f"{path}:6", f"{path}:6: field 'text' must be a string"),
        (f"{path}:7", f"{path}:7 (id h): field 'html' must be a string"),
        (f"{path}:8", f"{path}:8: field 'title' must be a string, not list"),
        (f"{path}:9", f"{path}:9: empty article (no text)"),
    ]
    assert [item.id for item in items if isinstance(item, Article)] == ["ok-1", "ok-2"]


def test_an_over_long_line_is_skipped_and_later_lines_are_read(tmp_path: Path) -> None:
    long_text = "word " * 200
    path = write_lines(
        tmp_path / "long.jsonl",
        [
            json.dumps({"id": "a", "text": TEXT}),
            json.dumps({"id": "long", "text": long_text}),
            json.dumps({"id": "b", "text": TEXT}),
        ],
    )
    items = list(read_paths([path], ReadOptions(max_bytes=200)))
    assert items[1] == Failure(
        f"{path}:2", f"{path}:2: line is over the size limit of 200 bytes"
    )
    assert [item.id for item in items if isinstance(item, Article)] == ["a", "b"]
    assert items[2].source == f"{path}:3 (id b)"


def test_a_binary_line(tmp_path: Path) -> None:
    path = tmp_path / "bin.jsonl"
    good = json.dumps({"id": "ok", "text": TEXT}).encode()
    path.write_bytes(b'{"text": "a\x00b"}\n' + good + b"\n")
    items = list(read_paths([path]))
    assert items[0] == Failure(
        f"{path}:1", f"{path}:1: binary file (contains NUL bytes), not a text article"
    )
    assert isinstance(items[1], Article)


def test_an_undecodable_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"text": "Café"}\n'.encode("latin-1"))
    [failure] = read_paths([path])
    assert isinstance(failure, Failure)
    assert failure.reason.startswith(f"{path}:1: undecodable bytes: not valid UTF-8 at byte 13")


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    lines = [json.dumps({"id": f"g{i}", "text": TEXT}) for i in range(3)]
    path.write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    assert [a.id for a in read_paths([path]) if isinstance(a, Article)] == ["g0", "g1", "g2"]


def test_a_truncated_gzip_is_a_failure_after_the_lines_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    lines = [json.dumps({"id": f"g{i}", "text": f"{TEXT} Number {i}."}) for i in range(200)]
    data = gzip.compress("\n".join(lines).encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])
    items = list(read_paths([path]))
    assert isinstance(items[-1], Failure)
    assert items[-1].source == str(path)
    assert items[-1].reason == (
        f"{path}: cannot read file: "
        "Compressed file ended before the end-of-stream marker was reached"
    )
    articles = [a for a in items if isinstance(a, Article)]
    assert [a.id for a in articles] == [f"g{i}" for i in range(len(articles))]


def test_an_empty_jsonl_file_has_no_articles(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    assert list(read_paths([path])) == []
