"""WARC crawls, built in the test with warcio: HTML responses become articles."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from diurna.article import Article, Failure
from diurna.readers import ReadOptions, read_paths

P1 = (
    "Negotiators from both countries met again in Geneva on Tuesday to discuss a ceasefire "
    "along the border, the foreign ministry said in a statement."
)
PAGE = f"""<!DOCTYPE html><html><head><title>Talks resume in Geneva</title>
<meta property="article:published_time" content="2022-02-22T10:00:00Z"></head>
<body><article><h1>Talks resume in Geneva</h1><p>{P1}</p></article></body></html>""".encode()
URL = "https://news.example.test/talks"
PNG_URL = "https://news.example.test/logo.png"
WARC_DATE = "2022-02-23T08:00:00Z"


def build_warc(gzip: bool, pages: int = 1) -> bytes:
    """A request record, ``pages`` HTML responses, then an image response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    request = StatusAndHeaders("GET /talks HTTP/1.1", [], is_http_request=True)
    writer.write_record(
        writer.create_warc_record(
            URL, "request", payload=io.BytesIO(b""), http_headers=request
        )
    )
    for n in range(pages):
        html = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                URL if n == 0 else f"{URL}/{n}",
                "response",
                payload=io.BytesIO(PAGE.replace(b"Tuesday", f"day {n}".encode()) if n else PAGE),
                http_headers=html,
                warc_headers_dict={"WARC-Date": WARC_DATE},
            )
        )
    png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            PNG_URL, "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), http_headers=png
        )
    )
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_become_articles_and_others_fail(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(build_warc(gzip=name.endswith(".gz")))
    items = list(read_paths([path]))
    assert len(items) == 2  # the request record is not an article, and not a failure

    article = items[0]
    assert isinstance(article, Article)
    assert article.raw == f"Talks resume in Geneva\n{P1}"
    assert article.url == URL
    assert article.title == "Talks resume in Geneva"
    assert article.published == "2022-02-22"
    assert article.fetched == WARC_DATE
    assert article.source == f"{path}: record 2 ({URL})"

    where = f"{path}: record 3 ({PNG_URL})"
    assert items[1] == Failure(where, f"{where}: not an HTML response (image/png)")


def test_a_record_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(build_warc(gzip=False))
    items = list(read_paths([path], ReadOptions(max_bytes=200)))
    assert isinstance(items[0], Failure)
    assert items[0].reason.startswith(f"{path}: record 2 ({URL}): record is ")
    assert items[0].reason.endswith(" bytes, over the size limit")


def test_a_truncated_gzip_warc_is_a_failure(tmp_path: Path) -> None:
    data = build_warc(gzip=True, pages=3)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-30])  # inside the last record's gzip member
    items = list(read_paths([path]))
    articles = [item for item in items if isinstance(item, Article)]
    assert [a.url for a in articles] == [URL, f"{URL}/1", f"{URL}/2"]
    assert items[-1] == Failure(
        str(path),
        f"{path}: truncated WARC: the gzip stream ends in the middle of a record (after record 5)",
    )


def test_a_record_cut_short_is_a_failure(tmp_path: Path) -> None:
    data = build_warc(gzip=False)
    path = tmp_path / "cut.warc"
    middle = data.index(b"Negotiators")  # the file ends inside the first page's body
    path.write_bytes(data[:middle])
    [failure] = read_paths([path])
    assert isinstance(failure, Failure)
    assert failure.source == f"{path}: record 2 ({URL})"
    assert "truncated record" in failure.reason
    assert failure.reason.endswith("bytes are missing): the WARC file is incomplete")


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.warc", b""), ("head.warc.gz", b"\x1f\x8b\x08\x00\x00\x00")],
)
def test_an_empty_or_cut_warc_has_no_records(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert list(read_paths([path])) == [
        Failure(str(path), f"{path}: no WARC records found: the file is empty or truncated")
    ]


def test_a_file_that_is_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("These are my notes, not a crawl.\n", encoding="utf-8")
    [failure] = read_paths([path])
    assert isinstance(failure, Failure)
    assert failure.source == str(path)
    assert failure.reason == f"{path}: not a WARC file (record 1 has no WARC header)"


def test_garbage_bytes_in_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "noise.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n" + bytes(range(1, 200)))
    [failure] = read_paths([path])  # warcio's own exception never escapes
    assert isinstance(failure, Failure)
    assert failure.source == str(path)
    assert failure.reason.startswith(f"{path}: malformed or truncated WARC after record 0: ")
