"""``extract``: stateless extraction, no database. One JSON-ready record per article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from diurna.article import Article, Failure
from diurna.clean.split import split_long_article, truncate_long_article
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT
from diurna.errors import InputError
from diurna.executors.local import LocalExecutor
from diurna.pipeline import Pipeline, analyse_pipeline, prepare_pipeline
from diurna.readers import ReadOptions, read_paths
from diurna.readers.decode import DEFAULT_MAX_BYTES, looks_like_html
from diurna.readers.html import article_from_html
from diurna.readers.text import article_from_text


def _prepare(article: Article, prepare: Pipeline, published: str | None) -> Article:
    """Prepare ``article``; the default date applies after, so that its own dateline wins."""
    prepare(article)
    if published and not article.published:
        article.published = published
    return article


def extract(
    text_or_html: str,
    published: str | None = None,
    *,
    title: str | None = None,
    url: str | None = None,
    model: str | None = None,
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> Article:
    """Run the whole pipeline on one article given as plain text or HTML.

    Raises :class:`~diurna.errors.InputError` if the input is empty or not an article at all.
    An article that takes more than ``timeout`` seconds comes back failed, saying so; one over
    200,000 characters is cut at a paragraph break and the cut recorded in ``warnings``.
    """
    source = url or "<text>"
    try:
        text_or_html.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no text can be stored or written out
        raise InputError(
            f"{source}: the text is not valid Unicode: unpaired surrogate "
            f"{text_or_html[exc.start]!r} at character {exc.start}"
        ) from exc
    if looks_like_html(text_or_html):
        article = article_from_html(text_or_html, source=source, url=url)
    else:
        article = article_from_text(text_or_html, source=source)
    article.url = url or article.url
    article.title = title or article.title
    prepared = truncate_long_article(_prepare(article, prepare_pipeline(timeout), published))
    return analyse_pipeline(model, timeout)(prepared)


def error_record(article_id: str | None, source: str, reason: str) -> dict[str, Any]:
    return {"id": article_id, "source": source, "error": reason}


def extract_paths(
    paths: Iterable[str | Path],
    *,
    published: str | None = None,
    model: str | None = None,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> Iterator[dict[str, Any]]:
    """Records for every article under ``paths``; a bad one yields ``{"id", "error"}``."""
    options = ReadOptions(max_bytes=max_bytes)
    prepare, analyse = prepare_pipeline(timeout), analyse_pipeline(model, timeout)
    failures: list[dict[str, Any]] = []

    def articles() -> Iterator[Article]:
        for item in read_paths(paths, options):
            if isinstance(item, Failure):
                failures.append(error_record(item.article_id, item.source, item.reason))
                continue
            yield from split_long_article(_prepare(item, prepare, published))

    for article in LocalExecutor(workers).map(analyse, articles()):
        while failures:
            yield failures.pop(0)
        if article.status == "failed":
            yield error_record(article.id, article.source or "", article.status_reason or "")
        else:
            yield article.to_record()
    yield from failures


__all__ = ["InputError", "extract", "extract_paths"]
