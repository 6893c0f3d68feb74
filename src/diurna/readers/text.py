"""Plain-text articles: one file, one article. Cleaning decides which line is the headline."""

from __future__ import annotations

from pathlib import Path

from diurna.article import Article
from diurna.errors import InputError
from diurna.readers.decode import check_size, decode_text


def read_text_file(path: Path, max_bytes: int) -> Article:
    where = str(path)
    check_size(path.stat().st_size, where, max_bytes)
    data = path.read_bytes()
    return article_from_text(decode_text(data, where), source=where)


def article_from_text(text: str, *, source: str, article_id: str | None = None) -> Article:
    if not text.strip():
        raise InputError(f"{source}: empty article (no text)")
    return Article(id=article_id or "", raw=text, source=source)
