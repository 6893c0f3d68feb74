"""WARC crawls: every HTML response record becomes an article with its URL and fetch date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers.decode import decode_text
from diurna.readers.html import article_from_html

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc_stream(stream: IO[bytes], source: str, max_bytes: int) -> Iterator[Article | Failure]:
    """Stream the records of a (possibly gzipped) WARC file; only one record is in memory."""
    number = 0
    try:
        for record in ArchiveIterator(stream):
            number += 1
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
                html = decode_text(record.content_stream().read(), where, html=True)
                article = article_from_html(html, source=where, url=url)
            except InputError as exc:
                yield Failure(where, str(exc))
                continue
            fetched = record.rec_headers.get_header("WARC-Date")
            article.fetched = fetched
            yield article
    except (ArchiveLoadFailed, ValueError, OSError) as exc:
        yield Failure(source, f"{source}: malformed WARC after record {number}: {exc}")
