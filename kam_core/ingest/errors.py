"""Errors the importer raises; every message tells the user what is wrong and where."""


class ImportRefused(ValueError):
    """The file cannot be imported at all; nothing was written."""
