"""The embedded DuckDB store: schema and migrations, the single writer, and read queries."""

from diurna.store.database import DEFAULT_DB, DatabaseDamaged, Store, resolve_db_path
from diurna.store.locking import DatabaseBusy

__all__ = ["DEFAULT_DB", "DatabaseBusy", "DatabaseDamaged", "Store", "resolve_db_path"]
