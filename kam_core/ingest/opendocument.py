"""OpenDocument spreadsheets: cell text read as LibreOffice shows it."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from kam_core.ingest.guard import archive_kind

_CONTENT = "content.xml"
# A tab and a line break inside a cell's paragraph: the reader drops them, gluing the words on
# either side ('Gamma<tab/>Co' read 'GammaCo', where the same name from an .xlsx reads
# 'Gamma Co'); written as a space they read as the space they show.
_BREAKS = re.compile(rb"<text:(?:tab|line-break)\s*/>")
_NEEDLES = (b"<text:tab", b"<text:line-break")
_CHUNK = 1 << 20


def breaks_as_spaces(data: bytes) -> bytes:
    """The archive with each tab or line break in a cell written as a space, when it has any."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if archive_kind(set(archive.namelist())) != "ods" or not _has_breaks(archive):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as copy:
            for member in archive.infolist():
                body = archive.read(member)
                if member.filename == _CONTENT:
                    body = _BREAKS.sub(b"<text:s/>", body)
                copy.writestr(member, body, compress_type=member.compress_type)
        return out.getvalue()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, zlib.error):
        return data  # the reader says what is wrong with it


def _has_breaks(archive: zipfile.ZipFile) -> bool:
    """True when the content part holds a tab or line-break element (read a chunk at a time)."""
    tail = b""
    with archive.open(_CONTENT) as content:
        while chunk := content.read(_CHUNK):
            window = tail + chunk
            if any(needle in window for needle in _NEEDLES):
                return True
            tail = window[-32:]
    return False
