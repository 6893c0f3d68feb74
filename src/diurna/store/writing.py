"""Writing one batch of articles and failures in one transaction, through Arrow tables.

The rows of a batch come as Arrow tables, one per database table (:mod:`diurna.store.rows`),
and are inserted by column name from a registered view. All of a batch lands, or none of it, so
that an interrupted ingest leaves only whole articles behind. Rows whose key is already stored
are skipped, and so is a failure already recorded, so that an ingest can simply be run again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from diurna.article import Failure
from diurna.errors import StoreError
from diurna.store.damage import one_line
from diurna.store.rows import failure_table


def write_batch(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    tables: Mapping[str, pa.Table],
    failures: Sequence[Failure],
    now: dt.datetime,
) -> None:
    """Insert ``tables`` (table name → rows) and ``failures`` on ``con`` in one transaction,
    rolled back on any error.

    Raises:
        StoreError: the database refused the batch (naming ``path``); nothing of it was stored.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        for name, table in tables.items():
            con.register("_batch", table)
            con.execute(f"INSERT OR IGNORE INTO {name} BY NAME SELECT * FROM _batch")
            con.unregister("_batch")
        if failures:
            con.register("_batch", failure_table(failures, now))
            # A failure already recorded (same input, same reason) by an earlier run of
            # the same ingest is not recorded again: re-running stays a no-op.
            con.execute(
                "INSERT INTO failures BY NAME SELECT * FROM _batch b WHERE NOT EXISTS"
                " (SELECT 1 FROM failures f WHERE f.source = b.source"
                " AND f.reason = b.reason)"
            )
            con.unregister("_batch")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(
            f"{path}: writing a batch failed and was rolled back: "
            f"{one_line(str(exc))}"
        ) from exc
