"""Readers turn paths and streams into :class:`~diurna.article.Article` records.

Every reader yields ``Article`` or ``Failure`` items and never raises for bad input: a bad file
or record becomes a ``Failure`` with a specific reason, and the batch goes on.
"""

from diurna.readers.discover import ReadOptions, read_paths, read_stream

__all__ = ["ReadOptions", "read_paths", "read_stream"]
