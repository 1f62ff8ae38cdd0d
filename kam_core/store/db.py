"""Opening the database: one place that connects, migrates and explains failures."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from kam_core.i18n import _
from kam_core.store.schema import migrate

# Streamlit serves every session from one process: imports, undo and other writes that
# read-then-write take this lock so two of them never interleave.
WRITE_LOCK = threading.RLock()


class DatabaseError(RuntimeError):
    """The database cannot be opened or used; the message is meant for the user."""


class DatabaseLocked(DatabaseError):
    """Another program holds the database file."""


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the database at path, or in memory for ':memory:'."""
    from kam_core.config import SETTINGS, db_path

    target = str(path) if path is not None else str(db_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise DatabaseLocked(
                f"The database {target} is in use by another program. Close it (or stop the "
                "other KAM Analytics instance) and try again."
            ) from exc
        raise DatabaseError(f"The database {target} cannot be opened: {text}") from exc
    except duckdb.Error as exc:
        raise DatabaseError(f"The database {target} cannot be opened: {exc}") from exc
    # One bound for the whole process: under it DuckDB spills and lets written blocks go (a 1M
    # row import held 70 MB less); without it, 80% of the machine.
    megabytes = max(64, SETTINGS.limits.db_memory_bytes // 1024**2)
    conn.execute(f"SET memory_limit = '{int(megabytes)}MiB'")
    foreign = _foreign_tables(conn) if target != ":memory:" else []
    if foreign and set(foreign) >= _OUR_CORE:
        # Our own tables without a readable schema version: one of ours cut short (a copy
        # stopped midway) or overwritten, not another program's.
        conn.close()
        raise DatabaseError(
            _(
                "{path} looks like a KAM Analytics database that is damaged (cut short or "
                "overwritten: its version cannot be read); it was left as it was. Restore a "
                "backup into a new file (python -m kam_core --db NEW_FILE restore BACKUP), or "
                "point the database setting (--db or KAM_DB) at another file."
            ).format(path=target)
        )
    if foreign:
        conn.close()
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise DatabaseError(
            _(
                "{path} is a DuckDB database of another program (it holds {tables} and no KAM "
                "Analytics tables); it was left as it was. Point the database setting (--db or "
                "KAM_DB) at another file."
            ).format(path=target, tables=shown)
        )
    if not read_only:
        with WRITE_LOCK:
            migrate(conn)
    return conn


# Tables every database of ours holds since its first version.
_OUR_CORE = frozenset({"meta", "sales", "uploads"})


def _foreign_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of a database another program wrote (no schema version of ours); [] for ours
    or for an empty file."""
    # The schema is created in the file on opening: another program's database (a DuckDB
    # file it keeps beside a mistyped --db) would have been given our tables and sequences.
    names = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND NOT internal "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal"
        ).fetchall()
    ]
    if not names:
        return []
    if "meta" in names:
        with contextlib.suppress(duckdb.Error):  # a table named meta of another shape
            version = "SELECT count(*) FROM meta WHERE key = 'schema_version'"
            if conn.execute(version).fetchall()[0][0]:
                return []
    return sorted(names)


@contextlib.contextmanager
def writing(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on a cursor of conn, under the process-wide write lock."""
    with WRITE_LOCK:
        cur = conn.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):  # a failed COMMIT has rolled back
                    cur.execute("ROLLBACK")
                raise
        finally:
            cur.close()


def query_df(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None
) -> pd.DataFrame:
    """Run one read on its own cursor and return a DataFrame."""
    cur = conn.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()
