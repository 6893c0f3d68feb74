"""WARC crawls: every HTML response record becomes an article with its URL and fetch date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers.decode import decode_text
from diurna.readers.html import article_from_html

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _Archive(ArchiveIterator):
    """An ArchiveIterator that notes when a gzipped file ends inside a gzip member (truncated).

    warcio stops silently at the end of a truncated gzip stream; the decompressor knows better.
    """

    ended_inside_member = False

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None) if self.reader else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.ended_inside_member = True
        super().close()


def read_warc_stream(stream: IO[bytes], source: str, max_bytes: int) -> Iterator[Article | Failure]:
    """Stream the records of a (possibly gzipped) WARC file; only one record is in memory."""
    number = 0
    archive = _Archive(stream)
    records = iter(archive)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:  # warcio raises many types on damaged input
            yield Failure(
                source,
                f"{source}: malformed or truncated WARC after record {number}: "
                f"{type(exc).__name__}: {exc}",
            )
            return
        number += 1
        if record.format != "warc":  # warcio falls back to ARC: any line of five words parses
            yield Failure(source, f"{source}: not a WARC file (record {number} has no WARC header)")
            return
        if record.rec_type != "response":
            continue  # request, warcinfo and metadata records are not articles
        url = record.rec_headers.get_header("WARC-Target-URI")
        where = f"{source}: record {number} ({url})"
        content_type = (
            record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
        )
        if not content_type.lower().startswith(_HTML_TYPES):
            yield Failure(where, f"{where}: not an HTML response ({content_type or 'no type'})")
            continue
        length = int(record.rec_headers.get_header("Content-Length") or 0)
        if length > max_bytes:
            yield Failure(where, f"{where}: record is {length:,} bytes, over the size limit")
            continue
        try:
            data = record.content_stream().read()
            raw = record.raw_stream
            if isinstance(raw, LimitReader) and raw.limit > 0:
                raise InputError(
                    f"{where}: truncated record ({raw.limit:,} of its {length:,} bytes are "
                    "missing): the WARC file is incomplete"
                )
            html = decode_text(data, where, html=True)
            article = article_from_html(html, source=where, url=url)
        except InputError as exc:
            yield Failure(where, str(exc))
            continue
        fetched = record.rec_headers.get_header("WARC-Date")
        article.fetched = fetched
        yield article
    if number == 0:
        yield Failure(source, f"{source}: no WARC records found: the file is empty or truncated")
    elif archive.ended_inside_member:
        yield Failure(
            source,
            f"{source}: truncated WARC: the gzip stream ends in the middle of a record "
            f"(after record {number})",
        )
