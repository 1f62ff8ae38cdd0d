"""The command line while the app holds the database: imports go to its inbox, reads to its
snapshot, and anything else says exactly what to do."""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

from kam_core.cli.errors import CommandRefused, ExitCode, complain, json_line, printable, say
from kam_core.config import db_path
from kam_core.i18n import _
from kam_core.services.inbox import PART, inbox_path, options_path
from kam_core.services.snapshot import snapshot_path
from kam_core.store import connect
from kam_core.store.db import DatabaseLocked

# Commands that only read: while the app holds the database they read its snapshot.
READING_COMMANDS: frozenset[str] = frozenset({"report", "backup", "uploads"})


def database_of(args: argparse.Namespace) -> Path:
    """The database file the command is about (--db, else $KAM_DB, else data/kam.duckdb)."""
    return Path(args.db) if getattr(args, "db", None) else db_path()


def open_database(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """Open the database; when the app holds it, a copy of its snapshot for reading commands."""
    try:
        return connect(args.db)
    except DatabaseLocked as exc:
        db = database_of(args)
        snap = snapshot_path(db)
        if args.command not in READING_COMMANDS:
            raise DatabaseLocked(f"{exc} {what_to_do(args.command)}") from exc
        if not snap.is_file():
            raise DatabaseLocked(
                f"{exc} The running app has not written its snapshot ({snap}) yet: it does so "
                "within a minute of starting and after every change; try again then."
            ) from exc
        written = datetime.fromtimestamp(snap.stat().st_mtime)
        complain_note(
            f"the database is in use by the running app; reading its snapshot of "
            f"{written:%Y-%m-%d %H:%M:%S} ({snap})."
        )
        return _private_copy(snap)


def _private_copy(snap: Path) -> duckdb.DuckDBPyConnection:
    # The app replaces the snapshot at any moment: read a copy of our own, removed at exit.
    folder = Path(tempfile.mkdtemp(prefix="kam-snapshot-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / "snapshot.duckdb"
    shutil.copyfile(snap, copy)
    return connect(copy)


def what_to_do(command: str) -> str:
    """The sentence telling the user how to make a change while the app runs."""
    where = {
        "undo": "undo the import on the Upload page",
        "demo": "load the demo data on the Upload page",
        "users": "manage users on the Users page (as an admin)",
        "dossiers": "import dossiers on the Client dossier page",
        "restore": "restore on the Settings page",
    }.get(command, "do it in the app")
    return f"While the app runs, {where}, or stop the app and run this command again."


def complain_note(text: str) -> None:
    """A note on standard error (not an error)."""
    sys.stderr.write(printable(_("note: {message}").format(message=text)) + "\n")


def hand_off(path: Path, inbox: Path, options: dict[str, str] | None = None) -> Path:
    """Copy the file into the inbox as <name>.part, then rename it: the app never reads half.

    options (e.g. {"duplicates": "keep"}) go first to a hidden sidecar the inbox reads with
    the file, so they are in place before the file can be taken.
    """
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / path.name
    taken = (target, inbox / (path.name + PART), options_path(target))
    if any(p.exists() for p in taken):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = inbox / f"{path.stem}-{stamp}-{os.getpid()}{path.suffix}"
    if options:
        side = options_path(target)
        tmp = side.with_name(side.name + ".tmp")
        tmp.write_text(json.dumps(options), encoding="utf-8")
        os.replace(tmp, side)
    part = target.with_name(target.name + PART)
    shutil.copyfile(path, part)
    os.replace(part, target)
    return target


def wait_for_result(
    inbox: Path, name: str, sha256: str, since: float, timeout: float, poll: float = 0.5
) -> dict:
    """The inbox's result for this hand-off (same name and content, written after since)."""
    deadline = time.monotonic() + timeout
    while True:
        for folder in (inbox / "done", inbox / "refused"):
            for side in folder.glob("*.result.json") if folder.is_dir() else ():
                try:
                    if side.stat().st_mtime < since:
                        continue
                    result = json.loads(side.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if result.get("file") == name and result.get("sha256") == sha256:
                    return result
        if time.monotonic() > deadline:
            raise CommandRefused(
                _(
                    "No result for {file} after {seconds} s: is the app running and watching "
                    "{inbox}? The file stays there and is imported when the app sees it."
                ).format(file=name, seconds=f"{timeout:.0f}", inbox=inbox)
            )
        time.sleep(poll)


def import_through_inbox(args: argparse.Namespace, path: Path) -> dict | None:
    """Hand the file to the running app's inbox; with --wait, return the inbox's result."""
    custom = [
        flag
        for flag, used in (
            ("--sheet", args.sheet),
            ("--all-sheets", getattr(args, "all_sheets", False)),
            ("--map", args.map),
            ("--monthfirst", args.monthfirst),
            ("--all-or-nothing", args.all_or_nothing),
            ("--rejected-out", args.rejected_out),
        )
        if used
    ]
    if custom:
        raise CommandRefused(
            _(
                "The database is in use by the running app, and its inbox imports with the "
                "detected layout only, so {options} cannot be passed. Import on the Upload page, "
                "or stop the app and run this command again."
            ).format(options=", ".join(custom))
        )
    inbox = inbox_path(database_of(args))
    since = time.time() - 1
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    # The inbox applies the duplicates choice itself (skip is its default).
    duplicates = getattr(args, "duplicates", "skip")
    target = hand_off(path, inbox, {"duplicates": duplicates} if duplicates != "skip" else None)
    complain_note(
        _(
            "the database is in use by the running app: {file} was handed to its inbox as "
            "{target}; the app imports it within a minute, and the result is written to "
            "{done} or {refused}."
        ).format(file=path.name, target=target, done=inbox / "done", refused=inbox / "refused")
    )
    if not getattr(args, "wait", False):
        return None
    return wait_for_result(inbox, target.name, sha, since, float(args.wait_timeout))


def import_or_hand_off(
    args: argparse.Namespace,
    runner: Callable[[argparse.Namespace, duckdb.DuckDBPyConnection], int],
    path: Path,
) -> int:
    """Run the import; while the app holds the database, hand the file to its inbox instead."""
    try:
        conn = connect(args.db)
    except DatabaseLocked:
        result = import_through_inbox(args, path)
        if result is None:
            return ExitCode.OK
        imported = result.get("status") == "imported"
        if args.json:
            json_line(result)
        elif imported:
            say(str(result.get("message", "")))
        if not imported:
            complain(str(result.get("message", "refused")))
        return ExitCode.OK if imported else ExitCode.REFUSED
    try:
        return runner(args, conn)
    finally:
        conn.close()
