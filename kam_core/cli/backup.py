"""Backup and restore: python -m kam_core [--db PATH] backup|restore FILE."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import duckdb

from kam_core.cli.errors import CommandRefused, ExitCode, say
from kam_core.config import db_path
from kam_core.i18n import N_, _, fmt_number
from kam_core.ingest.errors import named
from kam_core.store import DatabaseError, connect
from kam_core.store.backup import BackupInfo, BackupRefused, backup, replace_file, restore
from kam_core.store.db import DatabaseLocked


def register(sub: Any) -> None:
    """Add the backup and restore commands."""
    back = sub.add_parser("backup", help=N_("write a complete copy of the database to a file"))
    back.add_argument("file", help=N_("the backup file to write (e.g. kam-backup.duckdb)"))
    back.set_defaults(func=run_backup)
    rest = sub.add_parser("restore", help=N_("replace the database's content with a backup"))
    rest.add_argument("file", help=N_("a backup file written by 'backup' or the Settings page"))
    # Restore must also work when the database cannot be opened at all.
    rest.set_defaults(func=run_restore, needs_db=False)


def _summary(info: BackupInfo) -> str:
    filled = sum(1 for rows in info.tables.values() if rows)
    return _("{rows} sales rows, {tables} tables with data").format(
        rows=fmt_number(info.sales_rows), tables=filled
    )


def _restored(target: Path, source: str, info: BackupInfo) -> str:
    return _("Restored {target} from {file}: {summary}.").format(
        target=named(target), file=named(source), summary=_summary(info)
    )


def run_backup(args: argparse.Namespace, conn: duckdb.DuckDBPyConnection) -> int:
    """Write the backup; the database stays open and usable."""
    info = backup(conn, args.file)
    say(
        _("Backup written to {file}: {summary}.").format(
            file=named(args.file), summary=_summary(info)
        )
    )
    return ExitCode.OK


def run_restore(args: argparse.Namespace, _conn: None) -> int:
    """Restore into the database, or replace its file when it cannot be opened at all."""
    target = Path(args.db) if args.db else db_path()
    try:
        conn = connect(target)
    except DatabaseLocked:
        raise
    except DatabaseError as exc:
        info, kept = replace_file(args.file, target)
        say(_("The database could not be opened ({error}).").format(error=exc))
        if kept:
            say(_("The old file is kept as {file}.").format(file=named(kept)))
        say(_restored(target, args.file, info))
        return ExitCode.OK
    try:
        info = restore(conn, args.file)
    except BackupRefused as exc:
        raise CommandRefused(_("{problem} Nothing was changed.").format(problem=exc)) from exc
    finally:
        conn.close()
    say(_restored(target, args.file, info))
    return ExitCode.OK
