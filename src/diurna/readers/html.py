"""HTML pages: trafilatura extracts the main text and the page's metadata."""

from __future__ import annotations

from pathlib import Path

import trafilatura
from lxml.html import HtmlElement

from diurna.article import Article
from diurna.errors import InputError
from diurna.readers import deep_html
from diurna.readers.decode import check_size, decode_text


def read_html_file(path: Path, max_bytes: int) -> Article:
    where = str(path)
    check_size(path.stat().st_size, where, max_bytes)
    return article_from_html(decode_text(path.read_bytes(), where, html=True), source=where)


def article_from_html(
    html: str, *, source: str, article_id: str | None = None, url: str | None = None
) -> Article:
    """Extract the article body and metadata (title, date, author, URL) from a page."""
    if not html.strip():
        raise InputError(f"{source}: empty HTML page")
    if "<" not in html:
        raise InputError(f"{source}: malformed HTML: no tags at all")
    # Past 256 levels of nesting trafilatura's parser stops reading the page (see deep_html):
    # such a page is parsed here with the limit raised and the tree handed over. Other pages
    # go to trafilatura as the string, as they always did.
    page: str | HtmlElement = html
    cut_at: int | None = None  # the depth at which even that parse stopped
    if deep_html.depth_limit(html) is not None:
        tree, cut_at = deep_html.parse_deep(html)
        if tree is not None:
            page = tree
    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # trafilatura's deduplication cache is process-wide: the same page read a third
            # time lost its text. Repeated lines are the cleaning step's job.
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises many parser-specific types
        raise InputError(f"{source}: malformed HTML: {type(exc).__name__}: {exc}") from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        if cut_at is not None:
            raise InputError(f"{source}: {deep_html.too_deep_reason(html, cut_at)}")
        raise InputError(f"{source}: no article text found in the HTML page")
    date = getattr(doc, "date", None)
    return Article(
        id=article_id or "",
        raw=text,
        source=source,
        url=url or getattr(doc, "url", None),
        title=getattr(doc, "title", None),
        published=date[:10] if date else None,
        author=getattr(doc, "author", None),
        is_html=True,
    )
