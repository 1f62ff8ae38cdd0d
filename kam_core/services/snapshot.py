"""A read-only copy of the database that the app refreshes after changes, for the command line.

DuckDB lets one process hold a database file; while the app holds it, `report` and `backup`
on the command line read this snapshot instead (and say how old it is).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from kam_core.store.backup import backup
from kam_core.store.clients import master_version
from kam_core.store.rollup import data_version

# Everything a change moves: sales, the dossier, win-back, settings, users and the audit log.
# The newest row of each log by content, not only its number: two copies of one database that
# took different changes (a restore elsewhere, a copy per test) never share a state.
_CHANGES_SQL = """
SELECT (SELECT coalesce(max(change_id), 0) FROM dossier_changes),
       (SELECT coalesce(max(audit_id), 0) FROM audit_log),
       (SELECT coalesce(max_by(hash(d), change_id), 0) FROM dossier_changes d),
       (SELECT coalesce(max_by(hash(a), audit_id), 0) FROM audit_log a),
       (SELECT coalesce(sum(hash(u)), 0) FROM uploads u),
       (SELECT coalesce(sum(hash(w)), 0) FROM win_back w),
       (SELECT coalesce(sum(hash(s)), 0) FROM settings s),
       (SELECT coalesce(sum(hash(u)), 0) FROM users u)
"""


def snapshot_path(db: Path | str | None = None) -> Path:
    """The snapshot beside the database: data/kam.duckdb -> data/kam.snapshot.duckdb."""
    from kam_core.config import db_path

    path = Path(db) if db is not None else db_path()
    return path.with_name(f"{path.stem}.snapshot{path.suffix or '.duckdb'}")


def fingerprint(conn: duckdb.DuckDBPyConnection) -> tuple:
    """A value that changes whenever anything stored changes."""
    cur = conn.cursor()
    try:
        rows = cur.execute(_CHANGES_SQL).fetchall()
    finally:
        cur.close()
    return (data_version(conn), master_version(conn), tuple(rows[0]))


class Snapshotter:
    """Writes the snapshot when the database changed since the last one (called after scans)."""

    def __init__(self, path: Path) -> None:
        """Remember where to write; the first call always writes."""
        self.path = path
        self.last: tuple | None = None
        self.written_at: datetime | None = None

    def __call__(self, conn: duckdb.DuckDBPyConnection, _result: object = None) -> bool:
        """Write the snapshot if anything changed; True when written."""
        now = fingerprint(conn)
        if now == self.last and self.path.exists():
            return False
        backup(conn, self.path)  # written beside, then renamed: readers never see half
        self.last, self.written_at = now, datetime.now()
        return True
