"""Inputs found by the fuzz tests (tests/fuzz) that crashed a reader or lost a record silently."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers import read_paths
from diurna.readers.decode import decode_text

TEXT = "Negotiators met again in Geneva on Tuesday to discuss a ceasefire, officials said."


@pytest.mark.parametrize("charset", ["punycode", "undefined"])
def test_a_declared_charset_whose_codec_raises_unicode_error(charset: str) -> None:
    # These codecs raise UnicodeError, not UnicodeDecodeError: it escaped as a crash.
    page = f'<html><head><meta charset="{charset}"></head><body><p>{TEXT}</p>'.encode()
    with pytest.raises(InputError, match=rf"^p\.html: cannot decode as its declared charset "
                                         rf"'{charset}'"):
        decode_text(page, "p.html", html=True)


def read_jsonl(tmp_path: Path, lines: list[str]) -> tuple[Path, list[Article | Failure]]:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, list(read_paths([path]))


def test_jsonl_lines_that_crashed_the_json_parser(tmp_path: Path) -> None:
    path, items = read_jsonl(tmp_path, [
        '{"n": ' + "9" * 5_000 + "}",  # over Python's 4,300-digit int limit: ValueError
        '{"a":' * 100_000,  # RecursionError
        json.dumps({"text": TEXT}),
    ])
    assert [type(i).__name__ for i in items] == ["Failure", "Failure", "Article"]
    assert isinstance(items[0], Failure) and isinstance(items[1], Failure)
    assert items[0].reason.startswith(f"{path}:1: malformed JSON: ValueError: ")
    assert items[1].reason.startswith(f"{path}:2: malformed JSON: RecursionError: ")


def test_jsonl_fields_with_a_lone_surrogate_are_refused(tmp_path: Path) -> None:
    # "\ud800" is valid JSON but no Unicode text: it crashed `diurna extract` (writing the
    # record) and `diurna ingest` (pyarrow) far from the reader.
    path, items = read_jsonl(tmp_path, [
        '{"text": "Officials in Geneva said \\ud800 the talks resumed."}',
        '{"id": "x\\udc00", "text": "Officials said the talks resumed."}',
        '{"html": "<p>\\udfff</p>"}',
        '{"text": "Officials said the talks resumed.", "title": "\\ud83d"}',
        '{"text": "Officials said \\ud83d\\ude00 the talks resumed."}',  # a valid pair
    ])
    reasons = [i.reason for i in items if isinstance(i, Failure)]
    assert reasons == [
        f"{path}:1: field 'text' is not valid Unicode: unpaired surrogate '\\ud800' at "
        "character 25",
        f"{path}:2: field 'id' is not valid Unicode: unpaired surrogate '\\udc00' at character 1",
        f"{path}:3: field 'html' is not valid Unicode: unpaired surrogate '\\udfff' at "
        "character 3",
        f"{path}:4: field 'title' is not valid Unicode: unpaired surrogate '\\ud83d' at "
        "character 0",
    ]
    assert isinstance(items[-1], Article) and "\U0001f600" in items[-1].raw


def test_corrupt_data_in_a_gzipped_jsonl_is_a_failure(tmp_path: Path) -> None:
    data = bytearray(gzip.compress((json.dumps({"text": TEXT}) + "\n").encode() * 3, mtime=0))
    data[10] = 0  # the first byte of the deflate stream: zlib.error escaped
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(bytes(data))
    items = list(read_paths([path]))
    assert isinstance(items[-1], Failure)
    assert items[-1].reason.startswith(f"{path}: cannot read file: Error -3 while decompressing")


def build_warc(pages: int) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://news.example.test/{n}", "response",
            payload=io.BytesIO(f"<html><body><p>{TEXT}</p></body></html>".encode()),
            http_headers=headers))
    return buffer.getvalue()


def test_a_warc_cut_in_the_headers_of_a_record_is_a_failure(tmp_path: Path) -> None:
    data = build_warc(2)
    second = data.index(b"WARC/1.0", 1)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: data.index(b"Content-Length", second)])  # warcio stopped silently
    items = list(read_paths([path]))
    assert [type(i).__name__ for i in items] == ["Article", "Failure"]
    assert items[1] == Failure(
        str(path),
        f"{path}: truncated WARC: the file ends in the headers of a record (after record 1)",
    )


@pytest.mark.parametrize("content", [b"WARC/1.0\r\n", b"WARC/1.0\r\n\r\n"])
def test_a_warc_record_without_a_type_is_a_failure(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.warc"
    path.write_bytes(content)  # read as one record of no type, skipped without a word
    assert list(read_paths([path])) == [
        Failure(str(path), f"{path}: record 1 has no WARC-Type: the file is damaged or cut")
    ]


def test_a_warc_cut_inside_a_request_record_is_a_failure(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    request = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
    writer.write_record(writer.create_warc_record(
        "https://news.example.test/", "request", payload=io.BytesIO(b""), http_headers=request))
    path = tmp_path / "cut.warc"
    path.write_bytes(buffer.getvalue()[:-6])  # a 4-byte record separator, then 2 bytes of content
    # The request is no article, so its truncation went unnoticed: the file gave nothing.
    assert list(read_paths([path])) == [
        Failure(str(path), f"{path}: truncated WARC: the file ends inside record 1 "
                           "(a request record)")
    ]


def request_then_page() -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    request = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
    writer.write_record(writer.create_warc_record(
        "https://news.example.test/", "request", payload=io.BytesIO(b""), http_headers=request))
    return buffer.getvalue() + build_warc(1)


@pytest.mark.parametrize(
    "damage",
    ["cut-after-uri", "broken-length-header"],
)
def test_a_warc_record_without_content_length_is_a_failure(tmp_path: Path, damage: str) -> None:
    data = request_then_page()
    if damage == "cut-after-uri":  # the file ends in the first record's headers
        data = data[: data.index(b"WARC-Target-URI: https") + len(b"WARC-Target-URI: https")]
    else:  # warcio read the rest of the file, the page included, as the request's body
        data = data.replace(b"Content-Length", b"Content-Leng\x00h", 1)
    path = tmp_path / "damaged.warc"
    path.write_bytes(data)
    assert list(read_paths([path])) == [
        Failure(str(path), f"{path}: record 1 has no Content-Length: the file is damaged or cut")
    ]
