"""Errors the importer raises; every message tells the user what is wrong and where.

Messages are built with kam_core.i18n's _() in the language of the run that reads the file (the
reading worker is told that language with each request, see worker.py).
"""

import re

from kam_core.i18n import N_, _, fmt_number, is_rtl, isolate

# A row's reason where a cell holds a formula the writing program never calculated.
FORMULA_WITHOUT_RESULT = N_(
    "the cell holds a formula without a saved result (the file was written by a program, not "
    "saved by Excel); open it in Excel or LibreOffice and save it, then upload it again"
)


class ImportRefused(ValueError):
    """The file cannot be imported at all; nothing was written."""


# A line break inside a sheet or file name would start a line of its own in a message (on a
# terminal, a forged "error:" line): shown as an escape instead.
_BREAKS = re.compile(r"[\n\r\u2028\u2029\x85]")


def readable_name(name: str) -> str:
    """A file name as text: bytes that were not UTF-8 (a name from a Windows zip) as U+FFFD."""
    # Such names arrive with the bytes escaped as lone surrogates, which no text column, JSON
    # or terminal accepts.
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


NAMED_CHARS = 200  # a name is shown in a message up to this many characters


def named(text: object) -> str:
    """A file, sheet or column name inside a message: bidi-isolated in a right-to-left language."""
    value = str(text)
    if len(value) > NAMED_CHARS:  # a 6,000-character header made a message of 180 KB
        value = value[:NAMED_CHARS] + "…"
    value = _BREAKS.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    # File names are data written left to right: inside Hebrew text they keep their own order.
    return isolate(value) if is_rtl() else value


def megabytes(size: float) -> str:
    """A size in whole megabytes for a message: '200 MB'."""
    return _("{size} MB").format(size=fmt_number(size / (1024 * 1024)))


def few_numbers(numbers: list[int]) -> str:
    """The first ten numbers of a list for a message, and how many more there are."""
    shown = ", ".join(fmt_number(n) for n in numbers[:10])
    if len(numbers) <= 10:
        return shown
    return _("{lines} and {count} more").format(lines=shown, count=fmt_number(len(numbers) - 10))
