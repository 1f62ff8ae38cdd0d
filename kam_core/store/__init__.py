"""The only code that talks to DuckDB: schema, connections, loads and reads."""

from kam_core.store.db import WRITE_LOCK, DatabaseError, connect

__all__ = ["WRITE_LOCK", "DatabaseError", "connect"]
