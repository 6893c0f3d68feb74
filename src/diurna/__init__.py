"""Diurna: political event data from raw news.

>>> import diurna
>>> article = diurna.extract("Kazakhstan does not recognise the breakaway republics.")
>>> article.language
'en'
"""

from diurna.article import Article
from diurna.errors import DiurnaError, InputError, StoreError
from diurna.jobs.extract import extract
from diurna.jobs.ingest import IngestSummary, ingest
from diurna.store import Store

__version__ = "0.1.0"


def open(db: str | None = None, *, read_only: bool = True) -> Store:
    """Open a Diurna database (read-only by default)."""
    return Store(db, read_only=read_only)


__all__ = [
    "Article",
    "DiurnaError",
    "IngestSummary",
    "InputError",
    "Store",
    "StoreError",
    "__version__",
    "extract",
    "ingest",
    "open",
]
