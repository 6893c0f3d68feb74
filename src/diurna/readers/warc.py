"""WARC crawls: every HTML response record becomes an article with its URL and fetch date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers.decode import decode_text
from diurna.readers.html import article_from_html

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit",
                         "conversion", "continuation"})  # the record types of WARC 1.0 and 1.1


class _Archive(ArchiveIterator):
    """An ArchiveIterator that notes when a gzipped file ends inside a gzip member (truncated).

    warcio stops silently at the end of a truncated gzip stream; the decompressor knows better.
    """

    ended_inside_member = False
    ended_inside_record = False

    def _next_record(self, next_line: bytes | None) -> Any:
        # warcio takes an EOFError for the end of the file, also when a record's headers are cut
        # short: then the record's first line ("WARC/1.0") had already been read.
        try:
            return super()._next_record(next_line)
        except EOFError:
            if next_line and next_line.strip():
                self.ended_inside_record = True
            raise

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None) if self.reader else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.ended_inside_member = True
        super().close()


def _cut_short(record: Any) -> bool:
    """Read the rest of a record's content: does the file end before the record does?"""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    return isinstance(raw, LimitReader) and raw.limit > 0


def read_warc_stream(
    stream: IO[bytes], source: str, max_bytes: int, first_record: int = 1
) -> Iterator[Article | Failure]:
    """Stream the records of a (possibly gzipped) WARC file; only one record is in memory.
    ``first_record`` numbers the first record (a byte range of a file starts in the middle)."""
    number = first_record - 1
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
        if record.rec_type not in _WARC_TYPES:  # none, or cut short / damaged ("res")
            rec_type = record.rec_type
            kind = f"an unknown WARC-Type {rec_type!r}" if rec_type else "no WARC-Type"
            yield Failure(
                source, f"{source}: record {number} has {kind}: the file is damaged or cut"
            )
            continue
        if record.length is None:  # warcio then reads the rest of the file as this record
            yield Failure(
                source,
                f"{source}: record {number} has no Content-Length: the file is damaged or cut",
            )
            continue
        if record.rec_type != "response":  # request, warcinfo, metadata: not articles
            if _cut_short(record):  # but a file that ends inside one has lost what follows
                yield Failure(
                    source,
                    f"{source}: truncated WARC: the file ends inside record {number} "
                    f"(a {record.rec_type} record)",
                )
            continue
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
    if number == first_record - 1:
        yield Failure(source, f"{source}: no WARC records found: the file is empty or truncated")
    elif archive.ended_inside_record:
        yield Failure(
            source,
            f"{source}: truncated WARC: the file ends in the headers of a record "
            f"(after record {number})",
        )
    elif archive.ended_inside_member:
        yield Failure(
            source,
            f"{source}: truncated WARC: the gzip stream ends in the middle of a record "
            f"(after record {number})",
        )
