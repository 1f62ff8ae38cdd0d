"""One parser with a sub-command per task, and one table from failures to exit codes."""

from __future__ import annotations

import argparse
import os
import sys

from kam_core.cli import backup, dossiers, report, sales, users
from kam_core.cli.errors import CommandRefused, ExitCode, complain, json_line
from kam_core.cli.handoff import open_database
from kam_core.config import db_path
from kam_core.ingest import ImportRefused
from kam_core.store import DatabaseError
from kam_core.store.sales import UndoError

# Every failure the user can act on is a one-line message and exit code 2.
REFUSALS: tuple[type[BaseException], ...] = (
    ImportRefused,
    CommandRefused,
    DatabaseError,
    UndoError,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="python -m kam_core", description="KAM Analytics: import and analyse sales data."
    )
    parser.add_argument("--db", help=f"database file (default: $KAM_DB or {db_path()})")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (sales, dossiers, report, backup, users):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(_run(args))
    except REFUSALS as exc:
        _fail(args, str(exc))
        return ExitCode.REFUSED
    except BrokenPipeError:
        # The reader (head, less) went away: that is not an error of ours.
        _silence_stdout()
        return ExitCode.OK
    except KeyboardInterrupt:
        complain("interrupted; nothing more was changed.")
        return ExitCode.REFUSED
    except Exception as exc:  # the last line of defence: a message, never a silent failure
        if args.debug:
            raise
        _fail(args, f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
        return ExitCode.INTERNAL


def _run(args: argparse.Namespace) -> int:
    if not getattr(args, "needs_db", True):
        return args.func(args, None)
    conn = open_database(args)  # the app's snapshot for reading commands while it runs
    try:
        return args.func(args, conn)
    finally:
        conn.close()


def _fail(args: argparse.Namespace, message: str) -> None:
    if getattr(args, "json", False):
        try:
            json_line({"error": message})
        except BrokenPipeError:
            _silence_stdout()
    complain(message)


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at devnull so that flush cannot fail too.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
