"""Checking a database file before DuckDB opens it, and what it holds once it has.

:func:`check_file` refuses a path DuckDB would refuse less clearly, or not at all (a folder, an
empty file); :func:`check_database` refuses an open file that is truncated, another program's
DuckDB database, or made by a newer Diurna. Both raise one line that names the file and says
how to recover (:mod:`diurna.store.damage`); neither writes to the file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from diurna.errors import StoreError
from diurna.store.damage import RECOVERY, cannot_open, damaged, is_damage, one_line
from diurna.store.schema import current_version, migrations

# DuckDB's file: a 4 KiB main header and two 4 KiB database headers, then the blocks.
HEADER_BYTES = 3 * 4096


def check_file(path: Path, read_only: bool) -> None:
    """Refuse what DuckDB would refuse less clearly (or, for an empty file, not at all)."""
    if not path.exists():
        if read_only:
            raise StoreError(
                f"{path}: no such database; create it with 'diurna ingest PATH --db {path}'"
            )
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist; create it, "
                             "or give another --db")
        return
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file; give a file with --db")
    if path.stat().st_size == 0:
        # A file cut off before DuckDB wrote its header (a copy onto a full disk, say). It
        # holds nothing; refusing it keeps a user from mistaking it for their database.
        raise cannot_open(path, "the file is empty (0 bytes), not a DuckDB database", RECOVERY)


def check_database(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Check that ``con`` is a whole Diurna database it can use; returns its schema version
    (0 for an empty DuckDB file, which ingest fills).

    Raises:
        StoreError: the file is truncated, is another program's DuckDB database, or was made by
            a newer Diurna.
    """
    try:
        # The file must at least hold the blocks in use (free blocks at its end are cut off
        # by DuckDB itself, so the total count may exceed the file). A cheap test that catches
        # a copy cut short; damage it misses surfaces as a "damaged" error when read.
        # fetchall, not fetchone: DuckDB 2 refuses the next statement of a connection while
        # a result is left unread.
        for block_size, used_blocks in con.execute(
            "SELECT block_size, used_blocks FROM pragma_database_size()"
            " WHERE database_name = current_database()"
        ).fetchall():
            size = path.stat().st_size
            needed = HEADER_BYTES + int(block_size) * int(used_blocks)
            if size < needed:
                raise cannot_open(
                    path, f"the file is truncated ({size} bytes, but it has {needed} bytes of "
                    "data according to its header)", RECOVERY)
        tables = sorted(
            str(name) for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_catalog = current_database() AND table_schema = 'main'"
            ).fetchall()
        )
        if "schema_version" not in tables:
            if not tables:
                return 0
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise cannot_open(
                path, f"a DuckDB database, but not a Diurna one (tables {shown}; no "
                "schema_version)", f"check the --db path, or {RECOVERY}")
        version = current_version(con)
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(path, exc) from exc
        raise cannot_open(path, one_line(str(exc))) from exc
    newest = migrations()[-1][0]
    if version > newest:
        raise cannot_open(
            path, f"it was made by a newer Diurna (schema version {version}; this Diurna "
            f"knows versions up to {newest})", f"upgrade Diurna, or {RECOVERY}")
    return version
