"""Article identity and deduplication.

* Identity: an article's own id, else its URL, else a hash of its raw content. Reading the same
  article again gives the same id, so re-ingesting is a no-op.
* Near-duplicates: the same cleaned text (case and whitespace aside) under another id, e.g. one
  wire story on two sites. The later copy is stored and linked to the first, but not coded again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from enum import StrEnum

from diurna.article import Article
from diurna.readers.decode import short_hash

_WS = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Hash of the cleaned text that ignores case and whitespace."""
    canonical = _WS.sub(" ", text.casefold()).strip()
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()


class IdentityStep:
    """Pipeline step (before cleaning): give every article a stable id."""

    name = "identity"

    def __call__(self, article: Article) -> Article:
        if not article.id:
            if article.url:
                article.id = "u-" + short_hash(article.url)
            else:
                article.id = "h-" + short_hash(article.raw)
        return article


class Verdict(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"  # this very article is already known: a no-op
    DUPLICATE = "duplicate"  # another article with the same cleaned text is known


class Deduplicator:
    """Remembers ids and content hashes, seeded from the store, across one run.

    It runs in one process (the driver), so that two workers can never both take the same story
    for new.
    """

    def __init__(
        self, known_ids: Iterable[str] = (), known_hashes: dict[str, str] | None = None
    ) -> None:
        self._ids: set[str] = set(known_ids)
        self._hashes: dict[str, str] = dict(known_hashes or {})

    def check(self, article: Article) -> Verdict:
        """Classify ``article`` and remember it; sets ``content_hash`` and ``duplicate_of``."""
        if article.id in self._ids:
            return Verdict.UNCHANGED
        self._ids.add(article.id)
        if article.status not in ("ok", "non_english"):
            return Verdict.NEW
        article.content_hash = content_hash(article.text)
        first = self._hashes.get(article.content_hash)
        if first is not None and first != article.id:
            article.status = "duplicate"
            article.duplicate_of = first
            article.status_reason = f"same text as article {first}"
            return Verdict.DUPLICATE
        self._hashes[article.content_hash] = article.id
        return Verdict.NEW
