"""Errors that carry a message meant for the user.

Each class is a kind of problem a user can act on; the message names the file, line or record.
"""

from __future__ import annotations


class DiurnaError(Exception):
    """Base class: anything Diurna raises on purpose."""


class InputError(DiurnaError):
    """An input file or record could not be read as an article (binary, undecodable, empty...)."""


class StoreError(DiurnaError):
    """The database could not be opened or written (damaged file, locked by another writer...)."""


class ModelError(DiurnaError):
    """The requested spaCy pipeline is not installed or cannot be loaded."""
