"""Links of the pages: every value taken from the database or a request is quoted here.

Article ids are the records' own strings (often URLs) and may hold any character that means
something in a URL: ``?`` would start the query, ``#`` the fragment, ``%`` an escape, ``&`` and
``+`` split or change a query value, and ``/`` with ``.`` or ``..`` around it makes a dot
segment that browsers resolve away before sending the request (``/articles/x/../y`` is fetched
as ``/articles/y``). So a value goes into a path as one segment with everything but the
unreserved characters quoted, and into a query through :func:`urllib.parse.urlencode`.

The templates use them through :func:`register`: the filters ``path_segment`` and ``query``
and the function ``article_href``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment

# Ids that no quoting keeps in a path: "." and ".." stay dot segments (and browsers also take
# "%2e" for "."), so their links carry the id in the query of /articles/ instead.
DOT_SEGMENTS = frozenset({".", ".."})


def path_segment(value: Any) -> str:
    """``value`` as one path segment: ``/`` is quoted too (Jinja's ``urlencode`` leaves it),
    so that the value stays one segment and cannot form a dot segment with its neighbours.

    A value that is ``.`` or ``..`` is still a dot segment: see :func:`article_href`."""
    return quote(str(value), safe="")


def query(params: Mapping[str, Any] | None = None, **more: Any) -> str:
    """A query string (without the ``?``) of ``params`` and ``more``, every key and value
    quoted; ``None`` values are left out."""
    pairs = {**(params or {}), **more}
    return urlencode({k: str(v) for k, v in pairs.items() if v is not None}, quote_via=quote)


def article_href(article_id: Any, event: Any = None) -> str:
    """The article page of ``article_id``, with ``event`` highlighted if given.

    The page's route takes the id as a ``{article_id:path}`` parameter, which the server
    decodes once, so the quoted segment comes back as the id itself, ``/`` included. An id
    that is a dot segment goes in the query instead (``/articles/?id=..``), the one form a
    client passes on unchanged."""
    article_id = str(article_id)
    if article_id in DOT_SEGMENTS:
        return f"/articles/?{query(id=article_id, event=event)}"
    href = f"/articles/{path_segment(article_id)}"
    return f"{href}?{query(event=event)}" if event is not None else href


def register(env: Environment) -> None:
    """Make the helpers available to the templates of ``env``."""
    env.filters["path_segment"] = path_segment
    env.filters["query"] = query
    env.globals["article_href"] = article_href
