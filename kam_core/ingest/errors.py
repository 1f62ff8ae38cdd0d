"""Errors the importer raises; every message tells the user what is wrong and where.

Messages are built with kam_core.i18n's _() in the language of the run that reads the file (the
reading worker is told that language with each request, see worker.py).
"""

from kam_core.i18n import _, fmt_number, is_rtl, isolate


class ImportRefused(ValueError):
    """The file cannot be imported at all; nothing was written."""


def named(text: object) -> str:
    """A file, sheet or column name inside a message: bidi-isolated in a right-to-left language."""
    value = str(text)
    # File names are data written left to right: inside Hebrew text they keep their own order.
    return isolate(value) if is_rtl() else value


def megabytes(size: float) -> str:
    """A size in whole megabytes for a message: '200 MB'."""
    return _("{size} MB").format(size=fmt_number(size / (1024 * 1024)))
