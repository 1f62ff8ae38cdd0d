"""The command line's backup and restore: python -m kam_core [--db PATH] backup|restore FILE."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kam_core.config import db_path

EXIT_OK, EXIT_REFUSED = 0, 2


def register(sub: argparse._SubParsersAction) -> None:
    """Add the backup and restore commands."""
    back = sub.add_parser("backup", help="write a complete copy of the database to a file")
    back.add_argument("file", help="the backup file to write (e.g. kam-backup.duckdb)")
    restore = sub.add_parser("restore", help="replace the database's content with a backup")
    restore.add_argument("file", help="a backup file written by 'backup' or the Settings page")


def _summary(info) -> str:
    filled = sum(1 for rows in info.tables.values() if rows)
    return f"{info.sales_rows:,} sales rows, {filled} tables with data"


def run_backup(args: argparse.Namespace, conn) -> int:
    """Write the backup; the database stays open and usable."""
    from kam_core.store.backup import backup

    info = backup(conn, args.file)
    print(f"Backup written to {args.file}: {_summary(info)}.")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    """Restore into the database, or replace its file when it cannot be opened at all."""
    from kam_core.store import DatabaseError, connect
    from kam_core.store.backup import BackupRefused, replace_file, restore
    from kam_core.store.db import DatabaseLocked

    target = Path(args.db) if args.db else db_path()
    try:
        try:
            conn = connect(target)
        except DatabaseLocked as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        except DatabaseError as exc:
            info, kept = replace_file(args.file, target)
            print(f"The database could not be opened ({exc}).")
            if kept:
                print(f"The old file is kept as {kept}.")
            print(f"Restored {target} from {args.file}: {_summary(info)}.")
            return EXIT_OK
        try:
            info = restore(conn, args.file)
        finally:
            conn.close()
    except BackupRefused as exc:
        print(f"error: {exc} Nothing was changed.", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Restored {target} from {args.file}: {_summary(info)}.")
    return EXIT_OK
