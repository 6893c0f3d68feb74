"""Diurna: political event data from raw news.

>>> import diurna
>>> article = diurna.extract("Kazakhstan does not recognise the breakaway republics.")
>>> article.language
'en'
"""

from pathlib import Path

from diurna.api import Database
from diurna.article import Article
from diurna.errors import DiurnaError, InputError, StoreError
from diurna.jobs.extract import extract
from diurna.jobs.ingest import IngestSummary, ingest
from diurna.store import Store

__version__ = "0.1.0"


def open(db: str | Path | None = None, *, read_only: bool = True) -> Database:
    """Open a Diurna database for analysis (read-only by default): events, actors, relations
    and stances as pandas DataFrames or Arrow tables. See docs/python-api.md."""
    return Database(db, read_only=read_only)


__all__ = [
    "Article",
    "Database",
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
