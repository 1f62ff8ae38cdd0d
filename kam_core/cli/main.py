"""One parser with a sub-command per task, and one table from failures to exit codes."""

from __future__ import annotations

import argparse
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import duckdb

from kam_core.cli import backup, dossiers, report, sales, users
from kam_core.cli.errors import (
    CommandRefused,
    ExitCode,
    OutputFailed,
    complain,
    is_utf8,
    json_line,
    printable,
)
from kam_core.cli.handoff import open_database
from kam_core.config import db_path
from kam_core.i18n import N_, SUPPORTED, _, gettext, language_from_env, ngettext, use_language
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


def _translated(message: Any) -> Any:
    """argparse's own words ('usage: ', 'options', 'error: ...') in the language of the run."""
    return gettext(message) if isinstance(message, str) and message else message


class HelpFormatter(argparse.HelpFormatter):
    """Help that shows each option's and command's help text in the language of the run: the
    texts are marked N_() where the parser is built and translated when help is printed."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return _translated(action.help)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose sub-command parsers print their help in the run's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """A usage error as one line, with where the options are told (exit code 2)."""
        line = argparse._("%(prog)s: error: %(message)s\n") % {  # type: ignore[attr-defined]
            "prog": self.prog,
            "message": message,
        }
        hint = _("(see {prog} --help)").format(prog=self.prog)
        # argparse quotes the value refused ('not a date: ...'): an escape sequence or a line
        # break typed or pasted there must not reach the terminal or forge a second line.
        self.exit(2, printable(" ".join(f"{line} {hint}".split())) + "\n")


@contextmanager
def argparse_language() -> Iterator[None]:
    """Within the block, argparse takes its own texts from our catalog instead of gettext's
    default domain (which no installation of ours fills)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _translated  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[assignment]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    parser = Parser(
        prog="python -m kam_core", description=_("KAM Analytics: import and analyse sales data.")
    )
    parser.add_argument(
        "--db",
        metavar=_("DB"),
        help=_("database file (default: $KAM_DB or {path})").format(path=db_path()),
    )
    parser.add_argument(
        "--debug", action="store_true", help=N_("show the traceback of an internal error")
    )
    parser.add_argument(
        "--lang",
        choices=SUPPORTED,
        help=N_(
            "language of messages and text reports (default: from $LANGUAGE, $LC_ALL, "
            "$LC_MESSAGES or $LANG, else English); JSON keys, CSV columns and codes stay English"
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (sales, dossiers, report, backup, users):
        module.register(sub)
    # `demo --lang he` reads as naturally as `--lang he demo`: requested_language() has read it
    # already; each command accepts it so the parser does not refuse it there.
    for command in sub.choices.values():
        command.add_argument(
            "--lang", choices=SUPPORTED, dest="command_lang", help=argparse.SUPPRESS
        )
    return parser


def requested_language(argv: list[str] | None) -> str:
    """The language a command line asks for (--lang, else the environment), read before the
    parser so that its help and errors are in it; English for an unknown --lang."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(sys.argv[1:] if argv is None else argv)
    try:
        return language_from_env(known.lang)
    except ValueError:  # the parser proper refuses it, in the environment's language
        return language_from_env(None)


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    # Scoped to this call: a caller running several commands in one process keeps its language.
    with use_language(requested_language(argv)):
        with argparse_language():
            args = build_parser().parse_args(argv)
        with _terminate_as_interrupt():
            return _main(args)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """A SIGTERM stops the command as Ctrl-C does, so its temporary files are removed."""
    # Killed mid-read, the command left the reader's 400 MB file in the temporary folder.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _main(args: argparse.Namespace) -> int:
    try:
        return int(_run(args))
    except OutputFailed as exc:
        _silence_stdout()  # what is left in its buffer cannot be written at exit either
        complain(str(exc))
        return ExitCode.REFUSED
    except REFUSALS as exc:
        _fail(args, str(exc))
        return ExitCode.REFUSED
    except BrokenPipeError:
        # The reader (head, less) went away: that is not an error of ours.
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:
        # The system refused a read or a write (/proc/self/mem gives an input/output error, a
        # disk is full): the user can act on it, the program has no fault to show.
        _fail(args, _os_error_message(exc, getattr(args, "file", None)))
        return ExitCode.REFUSED
    except duckdb.IOException as exc:
        # The database file cut short or damaged after it opened (a block past its end), or a
        # disk that refuses: the user can act on it, the program has no fault to show.
        _fail(
            args,
            _(
                "the database could not be read or written ({error}). If its file was cut "
                "short or damaged, restore a backup into a new file (python -m kam_core --db "
                "NEW_FILE restore BACKUP)."
            ).format(error=str(exc).strip()),
        )
        return ExitCode.REFUSED
    except KeyboardInterrupt:
        complain(_("interrupted; nothing more was changed."))
        return ExitCode.REFUSED
    except Exception as exc:  # the last line of defence: a message, never a silent failure
        if args.debug:
            raise
        message = _("internal error: {error} (run with --debug for details)").format(
            error=f"{type(exc).__name__}: {exc}"
        )
        _fail(args, message)
        return ExitCode.INTERNAL


def _os_error_message(exc: OSError, named: str | None) -> str:
    # A failed read() names no file: the file the command was given is the one it read.
    file = exc.filename if exc.filename is not None else named
    if file is None:
        return _("the system refused: {error}.").format(error=exc.strerror or exc)
    return _("{file} could not be read or written: {error}.").format(
        file=file, error=exc.strerror or exc
    )


# Options naming files: a name may hold bytes that are not UTF-8 (unzipped from a Windows
# archive) and still open; any other value is text compared with or stored beside UTF-8 text.
PATH_DESTS: frozenset[str] = frozenset({"db", "file", "out", "rejected_out"})


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Refuse a text argument holding bytes that are not UTF-8 (a manager or user name written
    in a code page): the database cannot hold them and the query failed as an internal error."""
    for dest, value in vars(args).items():
        if dest in PATH_DESTS:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            texts = item if isinstance(item, tuple) else (item,)  # --map FIELD=COLUMN pairs
            for text in texts:
                if isinstance(text, str) and not is_utf8(text):
                    raise CommandRefused(
                        _(
                            "the argument '{value}' holds bytes that are not UTF-8 text; "
                            "write it in UTF-8."
                        ).format(value=text)
                    )


def _run(args: argparse.Namespace) -> int:
    _refuse_undecodable(args)
    if args.db is not None and not args.db.strip():
        # An empty --db (an unset shell variable) would open a database in memory: the
        # command would report success and keep nothing.
        raise CommandRefused(_("--db names no file; name the database file or leave --db out."))
    _refuse_odd_database(args)
    _refuse_missing_or_foreign_database(args)
    if not getattr(args, "needs_db", True):
        return args.func(args, None)
    conn = open_database(args)  # the app's snapshot for reading commands while it runs
    try:
        return args.func(args, conn)
    finally:
        conn.close()


def _refuse_odd_database(args: argparse.Namespace) -> None:
    """Refuse a database path that is a folder, a device or a pipe (a pipe hangs the open)."""
    path = Path(args.db) if args.db else db_path()
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # not there yet: created on first use
    if not stat.S_ISREG(mode):
        raise CommandRefused(
            _("{file} is not a regular file; --db must name a database file.").format(file=path)
        )


# Commands that only read the database: on a path holding none they would create an empty one
# and print zeros (a mistyped --db reported an empty year with exit code 0).
READ_ONLY: frozenset[str] = frozenset({"report", "uploads", "export-dossiers", "backup"})

# What DuckDB writes at offset 8 of every database file (after its header's checksum).
DUCKDB_MAGIC = b"DUCK"


def _reads_only(args: argparse.Namespace) -> bool:
    return args.command in READ_ONLY or getattr(args, "users_action", None) == "list"


def _refuse_missing_or_foreign_database(args: argparse.Namespace) -> None:
    """Refuse a reading command on a path with no database, and any command but restore on a
    file that is not a DuckDB database (DuckDB opens a .csv as a database in memory: an import
    into it kept nothing)."""
    path = Path(args.db) if args.db else db_path()
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except FileNotFoundError:
        if _reads_only(args):
            raise CommandRefused(
                _("no database at {path}; import a file first or check the path").format(path=path)
            ) from None
        return  # a command that writes creates it
    except OSError:
        return  # unreadable: opening it says why
    if args.command == "restore":
        return  # it replaces a damaged database file, keeping the old one beside it
    if head[8:12] != DUCKDB_MAGIC:
        raise CommandRefused(
            _("{path} is not a KAM Analytics database (not a DuckDB file); check --db.").format(
                path=path
            )
        )


def _fail(args: argparse.Namespace, message: str) -> None:
    if getattr(args, "json", False):
        try:
            json_line({"error": message})
        except (BrokenPipeError, OutputFailed):
            _silence_stdout()
    complain(message)


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at devnull so that flush cannot fail too.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
