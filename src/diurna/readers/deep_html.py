"""HTML nested deeper than libxml2's HTML parser reads by default.

libxml2 (the parser under lxml, and so under trafilatura) stops with a fatal "Excessive depth in
document" error once elements nest 256 deep: everything after that point is dropped, so
trafilatura finds no text, or silently reads only what came before (a menu, say). Such pages
come from generators and broken templates (an unclosed ``<div>`` repeated thousands of times).

They are parsed again with ``huge_tree`` (libxml2's XML_PARSE_HUGE), which reads 2,048 levels,
and the tree goes to trafilatura. A page deeper still is first *folded* to :data:`FOLD_AT`
levels by a streaming tokenizer (:mod:`diurna.readers.html_depth`), which edits tags only,
never text. If even that page is cut off (the tokenizer and libxml2 disagree), trafilatura gets
what libxml2 read, and a page without text there fails with the depth as the reason.
"""

from __future__ import annotations

import re

from lxml.etree import LxmlError
from lxml.html import HtmlElement, HTMLParser, fromstring
from trafilatura.utils import repair_faulty_html

from diurna.readers import html_depth

# Folded pages nest at most this deep: what trafilatura's parser always read, so a folded page
# costs trafilatura (whose time grows with elements x depth) no more than such a page did; and
# well within the 2,048 levels of ``huge_tree``, so libxml2 may count a few levels more than
# the tokenizer (implied elements) and still read it all.
FOLD_AT = 256

# trafilatura's own parser options (trafilatura.utils.HTML_PARSER), so that a page parsed here
# gives the tree trafilatura would have built itself but for the depth limit.
_OPTIONS: dict[str, object] = {
    "collect_ids": False,
    "default_doctype": False,
    "encoding": "utf-8",
    "remove_comments": True,
    "remove_pis": True,
}
_TOO_DEEP = re.compile(r"Excessive depth in document: (\d+)")
# A page with fewer tags than this cannot nest 256 deep, even with the elements libxml2 implies
# (html, head, body...): it is not parsed a second time.
_FEWEST_TAGS = 200


def depth_limit(html: str) -> int | None:
    """The nesting limit at which trafilatura's parse of ``html`` stops, or None if it reads
    the whole page."""
    if html.count("<") < _FEWEST_TAGS:
        return None
    parser = _parser(huge=False)
    try:
        # Bytes, not str: a str with an encoding declaration or a control character is refused
        # before parsing (trafilatura then falls back to bytes too).
        fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (LxmlError, ValueError):  # e.g. an empty document: the usual path decides
        return None
    return _limit_reached(parser)


def parse_deep(html: str) -> tuple[HtmlElement | None, int | None]:
    """A page too deep for trafilatura's parser, parsed with the limit raised (folded if need
    be), and the limit at which even that parse stopped (None if it read the whole page).

    No tree when trafilatura would refuse the page anyway, so that its own checks decide.
    """
    tree, cut_at = parse_huge(html)
    if tree is None or cut_at is None:
        return tree, cut_at
    folded = html_depth.fold(html, FOLD_AT)
    if folded is not None:
        folded_tree, folded_cut_at = parse_huge(folded)
        if folded_tree is not None and folded_cut_at is None:
            return folded_tree, None
    # The tokenizer and libxml2 disagree on this page: keep what libxml2 read before it stopped.
    return tree, cut_at


def parse_huge(html: str) -> tuple[HtmlElement | None, int | None]:
    """The page as trafilatura's ``load_html`` parses it but with ``huge_tree``, and the limit
    at which this parse stopped (None if it read the whole page)."""
    beginning = html[:50].lower()
    repaired = repair_faulty_html(html, beginning)
    parser = _parser(huge=True)
    try:
        tree = fromstring(repaired, parser=parser)
    except ValueError:  # "Unicode strings with encoding declaration are not supported"
        tree = None
    except LxmlError:
        return None, None
    if tree is None or len(tree) < 1:
        try:
            tree = fromstring(repaired.encode("utf-8", "surrogatepass"), parser=parser)
        except (LxmlError, ValueError):
            return None, None
    # trafilatura refuses a lone fragment (no "html" near the start, one child): a tree handed
    # to it skips that check, and a deep fragment should not be read when a shallow one is not.
    if "html" not in beginning and len(tree) < 2:
        return None, None
    return tree, _limit_reached(parser)


def too_deep_reason(html: str, limit: int) -> str:
    """Why a page whose parse stopped at ``limit`` levels gave no text (after ``source: ``)."""
    depth = html_depth.nesting_depth(html)
    nested = (
        f"{depth:,} levels deep" if depth is not None and depth > limit
        else f"more than {limit:,} levels deep"
    )
    return (
        f"HTML nested {nested}, beyond the {limit:,} levels the HTML parser reads; "
        "no article text was found above that depth"
    )


def _parser(huge: bool) -> HTMLParser:
    # A fresh parser per page: a parser's error log is shared by all the threads that use it.
    return HTMLParser(huge_tree=huge, **_OPTIONS)


def _limit_reached(parser: HTMLParser) -> int | None:
    for error in parser.error_log:
        found = _TOO_DEEP.search(error.message or "")
        if found:
            return int(found.group(1))
    return None
