"""The embedded DuckDB store: schema and migrations, the single writer, and read queries."""

from diurna.store.database import DEFAULT_DB, Store, resolve_db_path

__all__ = ["DEFAULT_DB", "Store", "resolve_db_path"]
