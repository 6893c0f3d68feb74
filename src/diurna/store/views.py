"""Views for the common questions, and the per-connection helpers the exports and the API use.

The views themselves are created by the migration ``005_views_tone.sql`` and live in the
database file, so every DuckDB client sees them:

==================  ===========================================================================
view                one row per
==================  ===========================================================================
event_dates         event: the day it is dated to, and how precise that date is
events_by_month     month, CAMEO root and QuadClass (events that took place)
actor_dyads         (source, target) pair of actor codes, with counts by QuadClass
stances             (subject, object) pair stated to recognise or not to recognise
daily_counts        day and kind of count (KILL, ARREST, ...)
==================  ===========================================================================

A read-only open never migrates. :func:`ensure_views` therefore gives a database made by an
older Diurna the same views as temporary ones (on that connection only), read from the same
migration file, so the SQL lives in one place. :func:`install_tone` adds the ``article_tone`` and
``event_tone`` temporary views: the stored tone where the tone step ran, else the tone computed
from the text by :func:`diurna.export.tone.tone`; :func:`install_groups` the ``event_groups``
view, which maps each event to its cross-article cluster. :func:`prepare` does all three.
"""

from __future__ import annotations

from importlib import resources

import duckdb

VIEWS = ("event_dates", "events_by_month", "actor_dyads", "stances", "daily_counts")
VIEWS_MIGRATION = "005_views_tone.sql"
TONE_FUNCTION = "diurna_tone"


def relation_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views (temporary ones included) the connection can see."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables"
        " UNION SELECT view_name FROM duckdb_views()"
    ).fetchall()
    return {str(name) for (name,) in rows}


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column],
    ).fetchall()
    return bool(rows and rows[0][0])


def _view_statements() -> list[tuple[str, str]]:
    """(view name, CREATE VIEW statement) of the views migration, in file order."""
    text = (
        resources.files("diurna.store").joinpath("migrations", VIEWS_MIGRATION).read_text("utf-8")
    )
    found = []
    for statement in duckdb.extract_statements(text):
        if statement.type != duckdb.StatementType.CREATE:
            continue
        sql = statement.query.strip()
        for name in VIEWS:
            if f"CREATE VIEW {name} AS" in sql:
                found.append((name, sql))
    return found


def ensure_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create, as temporary views, those of :data:`VIEWS` the database lacks; returns the views
    that exist afterwards. A view whose tables are missing too (``stances`` needs
    ``relations``) is skipped."""
    present = relation_names(con)
    for name, sql in _view_statements():
        if name in present:
            continue
        try:
            con.execute(sql.replace("CREATE VIEW", "CREATE TEMP VIEW", 1))
        except duckdb.CatalogException:
            continue
        present.add(name)
    return [name for name in VIEWS if name in present]


def install_tone(con: duckdb.DuckDBPyConnection) -> None:
    """Register the tone function and the ``article_tone`` / ``event_tone`` temporary views on
    ``con`` (once per connection)."""
    from diurna.export.tone import register_function

    present = relation_names(con)
    if "article_tone" in present:
        return
    register_function(con, TONE_FUNCTION)
    if has_column(con, "articles", "avg_tone"):
        con.execute(
            "CREATE TEMP VIEW article_tone AS SELECT id AS article_id,"
            " coalesce(avg_tone, diurna_tone(text)) AS tone FROM articles"
        )
    else:
        con.execute(
            "CREATE TEMP VIEW article_tone AS SELECT id AS article_id,"
            " diurna_tone(text) AS tone FROM articles"
        )
    if has_column(con, "events", "avg_tone"):
        con.execute(
            "CREATE TEMP VIEW event_tone AS SELECT e.id AS event_id,"
            " coalesce(e.avg_tone, diurna_tone(s.text)) AS tone FROM events e"
            " LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_index"
        )
    else:
        con.execute(
            "CREATE TEMP VIEW event_tone AS SELECT e.id AS event_id,"
            " diurna_tone(s.text) AS tone FROM events e"
            " LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_index"
        )


def install_groups(con: duckdb.DuckDBPyConnection) -> None:
    """The ``event_groups`` temporary view: each event's real-world event, that is its cluster
    in ``event_mentions`` where events were clustered across articles, else the event itself."""
    present = relation_names(con)
    if "event_groups" in present:
        return
    if "event_mentions" in present:
        con.execute(
            "CREATE TEMP VIEW event_groups AS SELECT e.id AS event_id,"
            " coalesce(CAST(m.cluster_id AS VARCHAR), e.id) AS group_id"
            " FROM events e LEFT JOIN event_mentions m ON m.event_id = e.id"
        )
    else:
        con.execute("CREATE TEMP VIEW event_groups AS SELECT id AS event_id, id AS group_id"
                    " FROM events")


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Everything the export and API queries expect on a connection: the views, the tone and
    the event groups."""
    ensure_views(con)
    install_tone(con)
    install_groups(con)
