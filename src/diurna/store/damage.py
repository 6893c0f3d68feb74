"""Telling a damaged database file from a wrong query, and the one-line errors that say so.

A file that is not a usable Diurna database is refused with :class:`DatabaseDamaged`: one line
that names the file, says what is wrong and how to recover (DuckDB's own message, where it is
quoted, flattened onto that line). :func:`cannot_open` phrases a file refused while it is
opened and checked; :func:`damaged` (and :func:`reading` around a query) one that opened but
fails further in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from diurna.errors import StoreError

RECOVERY = "move it aside and re-run 'diurna ingest' on the same inputs (ingestion is idempotent)"
# Errors a query can meet on a file that opened but is damaged further in, and the words of
# those DuckDB raises as a plain duckdb.Error (a block whose checksum does not match).
DAMAGE = (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException)
_DAMAGE_WORDS = ("corrupt database", "checksum", "could not read enough bytes")


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line (DuckDB's messages carry newlines and caret diagrams), shortened."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class DatabaseDamaged(StoreError):
    """The file is not a usable Diurna database: empty, truncated, damaged, another program's
    DuckDB file, or made by a newer Diurna. The message says which, and how to recover."""


def cannot_open(path: Path, what: str, hint: str = f"if the file is damaged, {RECOVERY}"
                ) -> DatabaseDamaged:
    return DatabaseDamaged(f"{path}: cannot open the database: {what}; {hint}")


def damaged(path: Path, exc: BaseException) -> DatabaseDamaged:
    """The error for a file that opened but failed while being read."""
    return DatabaseDamaged(f"{path}: the database is damaged ({one_line(str(exc))}); "
                           f"{RECOVERY}")


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error means the file is damaged (rather than the query is wrong)."""
    if isinstance(exc, DAMAGE):
        return True
    message = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(word in message for word in _DAMAGE_WORDS)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Raise :class:`DatabaseDamaged` naming ``path`` for a DuckDB error that means damage;
    let every other error through as it is."""
    try:
        yield
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(path, exc) from exc
        raise
