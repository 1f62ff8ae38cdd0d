"""The stored sales data as the screens and the command line handle it: what is there, the
imports with their undo, and backups of the whole database."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kam_core.store.backup import (
    BACKUP_SUFFIX,
    BackupInfo,
    BackupRefused,
    backup_bytes,
    backup_name,
    restore_bytes,
)
from kam_core.store.db import DatabaseError
from kam_core.store.overlap import months_in_several_uploads
from kam_core.store.reads import dimension_values, sales_summary
from kam_core.store.rollup import data_version as _data_version
from kam_core.store.sales import UndoError, list_uploads, sales_count, undo_upload

__all__ = [
    "BACKUP_SUFFIX",
    "BackupInfo",
    "BackupRefused",
    "DatabaseError",
    "UndoError",
    "backup_file_name",
    "data_version",
    "date_range",
    "filter_choices",
    "has_sales",
    "import_history",
    "make_backup",
    "restore_backup",
    "undo_import",
]
LIVE, UNDONE = "live", "undone"


def has_sales(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when at least one sales row is stored."""
    return sales_count(conn) > 0


def data_version(conn: duckdb.DuckDBPyConnection) -> tuple[str, str, int]:
    """A key that changes with every import, undo and restore: (database id, version, rows)."""
    return _data_version(conn)


def date_range(conn: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and the last order date stored (None, None without sales)."""
    summary = sales_summary(conn)
    first, last = summary["first_date"], summary["last_date"]
    return (
        first.date() if hasattr(first, "date") else None,
        last.date() if hasattr(last, "date") else None,
    )


def filter_choices(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The distinct managers, regions, segments and categories a report can be filtered by."""
    return dimension_values(conn)


def import_history(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, newest first, with its counts and a status: live or undone."""
    uploads = list_uploads(conn)
    shown = uploads.drop(columns=["sha256", "mapping"]).copy()
    shown["status"] = [LIVE if pd.isna(t) else UNDONE for t in shown["undone_at"]]
    return shown


def undo_import(conn: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Remove an import's rows (those no other live import holds); return how many."""
    return undo_upload(conn, upload_id)


def make_backup(conn: duckdb.DuckDBPyConnection) -> bytes:
    """A complete copy of the database as bytes, to download."""
    return backup_bytes(conn)


def backup_file_name() -> str:
    """The name a backup made now is saved under."""
    return backup_name()


def restore_backup(conn: duckdb.DuckDBPyConnection, data: bytes) -> BackupInfo:
    """Check a backup and replace every table's content with it, all or nothing."""
    return restore_bytes(conn, data)


def months_held_by_several_uploads(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Months whose sales come from more than one live upload: where a quarter may be doubled."""
    return months_in_several_uploads(conn)
