"""Backups: a complete copy of the database in one file, and restoring one atomically.

A backup is itself a DuckDB database, written with COPY FROM DATABASE from one consistent
snapshot. Restoring replaces the content of every table inside one transaction on the live
database, so the application keeps its open connection and a failure changes nothing; a
database that cannot be opened at all is replaced as a file, the old one kept beside it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from kam_core.i18n import _
from kam_core.store.db import WRITE_LOCK, DatabaseError
from kam_core.store.schema import SCHEMA_VERSION, migrate

BACKUP_SUFFIX = ".duckdb"
# meta keys that say which state of the data caches saw; a restore moves them on.
STATE_KEYS = ("db_id", "data_version")
# Who may sign in and what was done stay as they are: restoring last month's data must not
# bring back a removed user or erase the record of the restore itself.
KEPT_TABLES = ("users", "audit_log")
KEPT_SEQUENCES = ("audit_id_seq",)


class BackupRefused(DatabaseError):
    """The file is not a backup this version can restore; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds: its schema version and the rows of each table."""

    schema_version: int
    tables: dict[str, int]

    @property
    def sales_rows(self) -> int:
        """Sales rows in the backup."""
        return self.tables.get("sales", 0)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cur: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    rows = cur.execute(
        """SELECT table_name FROM duckdb_tables()
           WHERE database_name = ? AND schema_name = 'main' AND NOT temporary
           ORDER BY table_name""",
        [database],
    ).fetchall()
    return [r[0] for r in rows]


def _columns(cur: duckdb.DuckDBPyConnection, database: str, table: str) -> list[str]:
    rows = cur.execute(
        """SELECT column_name FROM duckdb_columns()
           WHERE database_name = ? AND schema_name = 'main' AND table_name = ?
           ORDER BY column_index""",
        [database, table],
    ).fetchall()
    return [r[0] for r in rows]


def backup(conn: duckdb.DuckDBPyConnection, path: str | Path) -> BackupInfo:
    """Write a complete copy of the database to path; the file appears only once whole."""
    target = Path(path)
    try:
        # A device, a folder or a pipe would be replaced by a file (or swallow the copy).
        if target.exists() and not target.is_file():
            raise BackupRefused(
                _("{file} is not a regular file: choose a file name for the backup.").format(
                    file=target
                )
            )
        if not target.parent.is_dir():
            raise BackupRefused(_("{folder}: no such folder.").format(folder=target.parent))
    except OSError as exc:  # a name too long, a folder that is a file
        raise BackupRefused(
            _("The backup cannot be written to {file}: {error}.").format(
                file=target, error=exc.strerror
            )
        ) from exc
    if _is_live(conn, target):
        raise BackupRefused(
            _(
                "{file} is the database itself or its log: choose another file for the backup."
            ).format(file=target)
        )
    partial = target.with_name(target.name + ".partial")
    leftovers = (partial, Path(f"{partial}.wal"))
    try:
        # Imports hold this lock for their whole transaction: the copy sees none half done. The
        # partial file is handled under it too: two backups to one file removed each other's.
        with WRITE_LOCK:
            try:
                for leftover in leftovers:
                    leftover.unlink(missing_ok=True)
                _copy_to(conn, partial)
                os.replace(partial, target)
            finally:
                for leftover in leftovers:
                    leftover.unlink(missing_ok=True)
    except (duckdb.Error, OSError) as exc:
        raise BackupRefused(
            _("The backup could not be written to {file}: {error}").format(file=target, error=exc)
        ) from exc
    return inspect_backup(target)


def _is_live(conn: duckdb.DuckDBPyConnection, target: Path) -> bool:
    """True when target is the open database's file or its write-ahead log."""
    cur = conn.cursor()
    try:
        rows = cur.execute(
            "SELECT file FROM pragma_database_list WHERE name = current_database()"
        ).fetchall()
    finally:
        cur.close()
    if not rows or not rows[0][0]:
        return False
    live = Path(rows[0][0]).resolve()
    try:
        return target.resolve() in (live, Path(f"{live}.wal"))
    except (OSError, RuntimeError):  # RuntimeError: a link that leads back to itself
        return False


def _copy_to(conn: duckdb.DuckDBPyConnection, partial: Path) -> None:
    alias = f"kam_backup_{uuid.uuid4().hex[:12]}"
    cur = conn.cursor()
    try:
        source = cur.execute("SELECT current_database()").fetchone()[0]
        cur.execute(f"ATTACH {_quote(str(partial))} AS {alias}")
        try:
            cur.execute(f"COPY FROM DATABASE {_ident(source)} TO {alias}")
            # DETACH closes the copy later when a transaction of another cursor has seen it (any
            # query listing tables does): its rows stayed in the .wal that backup() removes.
            # FORCE waits for such transactions to end instead of failing.
            cur.execute(f"FORCE CHECKPOINT {alias}")
        finally:
            cur.execute(f"DETACH {alias}")
    finally:
        cur.close()


def backup_bytes(conn: duckdb.DuckDBPyConnection) -> bytes:
    """Return a backup as bytes (for a download)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"backup{BACKUP_SUFFIX}"
        backup(conn, path)
        return path.read_bytes()


def backup_name(now: datetime | None = None) -> str:
    """A file name for a backup made now, e.g. kam-backup-2024-05-01-0930.duckdb."""
    moment = now or datetime.now(UTC)
    return f"kam-backup-{moment:%Y-%m-%d-%H%M}{BACKUP_SUFFIX}"


def _open_checked(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a backup copy with no access to other files, and check it is one of ours."""
    try:
        # A backup is a database file from outside: it may name files or URLs in views.
        conn = duckdb.connect(str(path), config={"enable_external_access": False})
    except duckdb.Error as exc:
        detail = str(exc).replace(f"{path.parent}/", "")  # not our copy's folder
        raise BackupRefused(
            _("{file} is not a database backup ({error}).").format(file=path.name, error=detail)
        ) from exc
    try:
        if "meta" not in _tables(conn, conn.execute("SELECT current_database()").fetchone()[0]):
            raise BackupRefused(
                _("{file} is a database, but not a KAM Analytics backup.").format(file=path.name)
            )
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else 0
        if version < 1:
            raise BackupRefused(
                _("{file} has no schema version; it is not a backup.").format(file=path.name)
            )
        if version > SCHEMA_VERSION:
            raise BackupRefused(
                _(
                    "{file} was made by a newer version of the app (schema {version}; this "
                    "version reads up to {current}). Update the app, then restore."
                ).format(file=path.name, version=version, current=SCHEMA_VERSION)
            )
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(copy: Path) -> BackupInfo:
    """Validate a private copy of a backup, bring it to the current schema and count it."""
    conn = _open_checked(copy)
    try:
        try:
            migrate(conn)
        except duckdb.Error as exc:
            raise BackupRefused(
                _("The backup cannot be brought up to date: {error}").format(error=exc)
            ) from exc
        version = int(
            conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        )
        database = conn.execute("SELECT current_database()").fetchone()[0]
        tables = {}
        for table in _tables(conn, database):
            try:  # reading every value checks every block of the file
                rows = conn.execute(
                    f"SELECT count(*), sum(hash(t)) FROM {_ident(table)} t"
                ).fetchone()
            except duckdb.Error as exc:
                raise BackupRefused(
                    _("The backup is damaged (table {table}: {error}).").format(
                        table=table, error=exc
                    )
                ) from exc
            tables[table] = int(rows[0])
        conn.execute("CHECKPOINT")
        return BackupInfo(version, tables)
    finally:
        conn.close()


def _prepare_checked(copy: Path) -> BackupInfo:
    """_prepare, with any failure of the database engine reported as a refusal."""
    try:
        return _prepare(copy)
    except BackupRefused:
        raise
    except (duckdb.Error, ValueError, OSError) as exc:
        raise BackupRefused(
            _("The backup is damaged or inconsistent: {error}").format(error=exc)
        ) from exc


def inspect_backup(path: str | Path) -> BackupInfo:
    """Validate a backup file without changing it; return what it holds."""
    source = _backup_file(path)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / source.name  # messages name the user's file
        shutil.copyfile(source, copy)
        return _prepare_checked(copy)


def restore(conn: duckdb.DuckDBPyConnection, path: str | Path) -> BackupInfo:
    """Replace every table's content with the backup's, in one transaction."""
    source = _backup_file(path)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / source.name  # messages name the user's file
        shutil.copyfile(source, copy)
        info = _prepare_checked(copy)
        alias = f"kam_restore_{uuid.uuid4().hex[:12]}"
        with WRITE_LOCK:
            cur = conn.cursor()
            try:
                cur.execute(f"ATTACH {_quote(str(copy))} AS {alias} (READ_ONLY)")
                try:
                    _replace_content(cur, alias)
                finally:
                    cur.execute(f"DETACH {alias}")
            finally:
                cur.close()
    return info


def _backup_file(path: str | Path) -> Path:
    """The backup file named, refused when it is missing or not a regular file."""
    source = Path(path)
    if not source.exists():
        raise BackupRefused(_("{file}: no such file.").format(file=source))
    if not source.is_file():
        raise BackupRefused(
            _("{file} is not a regular file (a folder, a device or a pipe).").format(file=source)
        )
    return source


def restore_bytes(conn: duckdb.DuckDBPyConnection, data: bytes) -> BackupInfo:
    """Restore from a backup given as bytes (an upload)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{BACKUP_SUFFIX}"
        path.write_bytes(data)
        return restore(conn, path)


def _check_shapes(cur: duckdb.DuckDBPyConnection, live: str, alias: str) -> list[str]:
    """Every table and column the live database has, checked in the backup before any change."""
    tables = _tables(cur, live)
    backed = set(_tables(cur, alias))
    missing = [t for t in tables if t not in backed]
    if missing:
        raise BackupRefused(
            _("The backup lacks tables this version needs: {tables}.").format(
                tables=", ".join(missing)
            )
        )
    for table in tables:
        absent = set(_columns(cur, live, table)) - set(_columns(cur, alias, table))
        if absent:
            raise BackupRefused(
                _("The backup's table {table} lacks the columns {columns}.").format(
                    table=table, columns=", ".join(sorted(absent))
                )
            )
    return tables


def _replace_content(cur: duckdb.DuckDBPyConnection, alias: str) -> None:
    live = cur.execute("SELECT current_database()").fetchone()[0]
    tables = [t for t in _check_shapes(cur, live, alias) if t not in KEPT_TABLES]
    version = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    cur.execute("BEGIN TRANSACTION")
    try:
        for table in tables:
            columns = ", ".join(_ident(c) for c in _columns(cur, live, table))
            cur.execute(f"DELETE FROM main.{_ident(table)}")
            cur.execute(
                f"INSERT INTO main.{_ident(table)} ({columns}) "
                f"SELECT {columns} FROM {alias}.main.{_ident(table)}"
            )
        _set_sequences(cur, live, alias)
        restored = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        # A new state for every cache: a restored database never reuses an old cache key.
        newer = max(int(version[0] if version else 0), int(restored[0] if restored else 0)) + 1
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('data_version', ?)", [str(newer)])
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('db_id', uuid()::VARCHAR)")
        cur.execute("COMMIT")
    except BaseException as exc:
        cur.execute("ROLLBACK")
        if isinstance(exc, duckdb.Error):
            raise BackupRefused(
                _("The backup's rows do not fit this database: {error}").format(error=exc)
            ) from exc
        raise


def _set_sequences(cur: duckdb.DuckDBPyConnection, live: str, alias: str) -> None:
    """Start each sequence after the values the restored rows use, at once (never going back).

    DuckDB cannot move a sequence; it is recreated, and the columns whose default draws from it
    are unhooked meanwhile (a default depends on its sequence).
    """
    rows = cur.execute(
        """SELECT l.sequence_name, coalesce(l.last_value, l.start_value - 1),
                  coalesce(b.last_value, b.start_value - 1)
           FROM duckdb_sequences() l JOIN duckdb_sequences() b
             ON b.sequence_name = l.sequence_name AND b.database_name = ?
           WHERE l.database_name = ? AND NOT l.temporary""",
        [alias, live],
    ).fetchall()
    for name, current, wanted in rows:
        if wanted <= current or name in KEPT_SEQUENCES:
            continue
        users = cur.execute(
            """SELECT table_name, column_name FROM duckdb_columns()
               WHERE database_name = ? AND schema_name = 'main' AND column_default = ?""",
            [live, f"nextval('{name}')"],
        ).fetchall()
        for table, column in users:
            cur.execute(f"ALTER TABLE main.{_ident(table)} ALTER {_ident(column)} DROP DEFAULT")
        cur.execute(f"CREATE OR REPLACE SEQUENCE main.{_ident(name)} START WITH {int(wanted) + 1}")
        for table, column in users:
            cur.execute(
                f"ALTER TABLE main.{_ident(table)} ALTER {_ident(column)} "
                f"SET DEFAULT nextval({_quote(name)})"
            )


def replace_file(backup_path: str | Path, db_file: str | Path) -> tuple[BackupInfo, Path | None]:
    """Put a backup in place of a database file that cannot be opened; keep the old file.

    Returns what was restored and where the old file (with its write-ahead log) was kept.
    """
    source, target = _backup_file(backup_path), Path(db_file)
    if target.exists() and not target.is_file():  # a device or a folder must never be replaced
        raise BackupRefused(
            _("{file} is not a regular file; name the database file.").format(file=target)
        )
    staging = target.with_name(target.name + ".restoring")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, staging)
        info = _prepare_checked(staging)
        kept = None
        if target.exists():
            moment = f"{datetime.now():%Y%m%d-%H%M%S}"
            kept = target.with_name(f"{target.name}.before-restore-{moment}")
            os.link(target, kept)  # the old file stays whole until the new one is in place
            wal = Path(f"{target}.wal")
            if wal.exists():  # a log left beside the new file would be replayed onto it
                os.replace(wal, Path(f"{kept}.wal"))
        os.replace(staging, target)
    except OSError as exc:
        raise BackupRefused(
            _("{file} cannot be replaced: {error}.").format(file=target, error=exc.strerror)
        ) from exc
    finally:
        staging.unlink(missing_ok=True)
    return info, kept
