"""Files the command line writes for the user: a regular file, never the database or an input."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from kam_core.cli.errors import CommandRefused
from kam_core.cli.handoff import database_of
from kam_core.i18n import _


def _same(a: Path, b: Path) -> bool:
    try:
        return (a.exists() and b.exists() and os.path.samefile(a, b)) or a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link that leads back to itself
        return False


def check_output(name: str, args: argparse.Namespace, inputs: tuple[Path, ...] = ()) -> Path:
    """The path to write, refused when it is a folder, a device, the database or a file read."""
    if not name.strip():
        raise CommandRefused(_("no file named to write to."))
    path = Path(name)
    if path.is_dir():
        raise CommandRefused(_("{file} is a folder; name a file in it.").format(file=path))
    if path.exists() and not path.is_file():
        raise CommandRefused(_("{file} is not a regular file.").format(file=path))
    if not path.parent.is_dir():
        raise CommandRefused(_("{folder}: no such folder.").format(folder=path.parent))
    db = database_of(args)
    # Writing over the database (or its write-ahead log) or the file being read would lose it.
    for kept in (db, db.with_name(db.name + ".wal"), *inputs):
        if _same(path, kept):
            raise CommandRefused(
                _("{file} is the database or a file this command reads; name another file.").format(
                    file=path
                )
            )
    return path


def write_output(path: Path, data: bytes) -> None:
    """Write data to path whole or not at all (a partial file is removed after a failure)."""
    # The partial file has a fresh name of its own (created, never opened): a file, link or
    # folder already there under any name we might pick is never written through.
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise CommandRefused(
            _("{file} could not be written: {error}.").format(file=path, error=exc.strerror or exc)
        ) from exc
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CommandRefused(
            _("{file} could not be written: {error}.").format(file=path, error=exc.strerror or exc)
        ) from exc
