"""Exit codes and the one-line messages of the command line."""

from __future__ import annotations

import argparse
import json
import re
import sys
from enum import IntEnum

from kam_core.i18n import _, fmt_number
from kam_core.i18n.formats import FSI, PDI
from kam_core.ingest.text import one_line


class ExitCode(IntEnum):
    """What the process returns: 0 done, 1 internal error, 2 refused (nothing was changed)."""

    OK = 0
    INTERNAL = 1
    REFUSED = 2


class CommandRefused(Exception):
    """A command cannot do what was asked; the message says why, for the user."""


class OutputFailed(CommandRefused):
    """Standard output could not be written (a full disk, a terminal gone)."""


def write_out(text: str) -> None:
    """Write text to standard output at once; a failure is the output's, not a file's."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away (head): the command ends quietly
    except OSError as exc:
        # Written later, at exit, the failure named no file and came after the command said
        # nothing of it; `> /dev/full` with --json ended in a traceback.
        raise OutputFailed(
            _("the output could not be written: {error}.").format(error=exc.strerror or exc)
        ) from exc


# C0 and C1 control characters except tab and newline: text from files (sheet names, client
# names, cell values) must not move the cursor, recolour or retitle the user's terminal.
# The zero-width space, word joiner and byte-order mark too: no stored name keeps them, and in
# a refused argument ('a\u200b@b.c' is not an email address) they hid what was wrong.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


# A path whose bytes are not UTF-8 (a file unzipped from a Windows archive) holds them as lone
# surrogates, which no output stream can write: shown as U+FFFD, as the import stores the name.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def is_utf8(text: str) -> bool:
    """True unless text holds bytes that were not UTF-8 (read from argv as lone surrogates)."""
    return _SURROGATES.search(text) is None


def printable(text: str) -> str:
    """Return text with control characters shown as escapes, safe for a terminal."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", _SURROGATES.sub("\ufffd", text))


def say(text: str = "") -> None:
    """Print a line of output with control characters neutralised."""
    write_out(printable(_unisolated(text)) + "\n")


def complain(text: str) -> None:
    """Print one line on standard error, prefixed 'error:' (in the language of the run)."""
    prefix = _("error: {message}").format(message=" ".join(str(text).split()))
    sys.stderr.write(printable(_unisolated(prefix)) + "\n")


def _unisolated(text: str) -> str:
    # Messages isolate file and sheet names for right-to-left screens, and the Hebrew ones
    # mark a parenthesis's direction (LRM, RLM); a terminal does not reorder text, and
    # dropping the marks neutralises them as well as escaping would ('Excel \x200f(XFD)').
    return text.replace(FSI, "").replace(PDI, "").replace("\u200e", "").replace("\u200f", "")


def json_line(obj: object) -> None:
    """Print obj as one JSON line; Hebrew stays readable, control characters become escapes."""
    text = _SURROGATES.sub("\ufffd", json.dumps(obj, ensure_ascii=False, default=str))
    write_out(_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


# A name given on the command line (an author, a manager, a region): as long as any name the
# imports keep.
LONGEST_NAME = 255


def name_argument(text: str) -> str:
    """A name given as an option's value: one line, refused when it names nothing."""
    if not is_utf8(text):
        return text  # refused after parsing, naming it (main._refuse_undecodable)
    name = one_line(text)
    if not name:
        # An empty value (an unset shell variable, spaces, a zero-width space) recorded changes
        # by nobody, or filtered on nothing and printed every row.
        raise argparse.ArgumentTypeError(_("names nothing; write a name"))
    if len(name) > LONGEST_NAME:
        raise argparse.ArgumentTypeError(
            _("a name of at most {limit} characters").format(limit=fmt_number(LONGEST_NAME))
        )
    return name
