"""JSON Lines: one article per line, read as a stream so that memory stays flat."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers.decode import check_binary, decode_text
from diurna.readers.html import article_from_html
from diurna.readers.text import article_from_text

_SKIP_CHUNK = 1024 * 1024


def _lines(
    stream: IO[bytes], max_bytes: int, first_line: int = 1
) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) pairs; an over-long line yields None and is skipped in chunks.

    ``readline(limit)`` keeps a huge line from being loaded whole.
    """
    number = first_line - 1
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # discard the rest of the over-long line
                rest = stream.readline(_SKIP_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def read_jsonl_stream(
    stream: IO[bytes], source: str, max_bytes: int, first_line: int = 1
) -> Iterator[Article | Failure]:
    """Articles of a JSONL stream; ``first_line`` numbers its first line (a byte range of a
    file starts in the middle)."""
    for number, line in _lines(stream, max_bytes, first_line):
        where = f"{source}:{number}"
        if line is None:
            yield Failure(where, f"{where}: line is over the size limit of {max_bytes:,} bytes")
            continue
        if not line.strip():
            continue
        try:
            yield article_from_json_line(line, where)
        except InputError as exc:
            yield Failure(where, str(exc))


def _optional_str(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise InputError(f"{where}: field {key!r} must be a string, not {type(value).__name__}")
    return _unicode(str(value), key, where)


def _unicode(value: str, key: str, where: str) -> str:
    """``value``, refused when it holds a lone surrogate (``"\\ud800"`` is valid JSON but no
    text: it cannot be encoded, stored or written out)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{where}: field {key!r} is not valid Unicode: unpaired surrogate "
            f"{value[exc.start]!r} at character {exc.start}"
        ) from exc
    return value


def article_from_json_line(line: bytes, where: str) -> Article:
    check_binary(line, where)
    text = decode_text(line, where)
    try:
        record = json.loads(text.rstrip("\r\n"))  # an error at the end is on this line
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: malformed JSON: {exc.msg} at column {exc.colno}") from exc
    except (ValueError, RecursionError) as exc:  # an integer of 4,300+ digits; deep nesting
        raise InputError(f"{where}: malformed JSON: {type(exc).__name__}: {exc}") from exc
    if not isinstance(record, dict):
        raise InputError(f"{where}: a JSONL line must be an object, not {type(record).__name__}")
    article_id = _optional_str(record, "id", where)
    url = _optional_str(record, "url", where)
    body = record.get("text")
    html = record.get("html")
    if body is None and html is None:
        raise InputError(f"{where}: record has neither 'text' nor 'html'")
    label = f"{where} (id {article_id})" if article_id else where
    if html is not None:
        if not isinstance(html, str):
            raise InputError(f"{label}: field 'html' must be a string")
        html = _unicode(html, "html", label)
        article = article_from_html(html, source=label, article_id=article_id, url=url)
    else:
        if not isinstance(body, str):
            raise InputError(f"{label}: field 'text' must be a string")
        body = _unicode(body, "text", label)
        article = article_from_text(body, source=label, article_id=article_id)
    article.url = url or article.url
    article.title = _optional_str(record, "title", where) or article.title
    article.published = _optional_str(record, "published", where) or article.published
    article.author = _optional_str(record, "author", where) or article.author
    # ``source`` stays the location (file and line); a publisher named by the record is added.
    publisher = _optional_str(record, "source", where)
    article.source = f"{label} from {publisher}" if publisher else label
    return article
