"""Excel 97-2003 (.xls) workbooks: text read as Excel reads it, whatever code page is declared."""

from __future__ import annotations

from kam_core.ingest.binsheet import xlsb_number
from kam_core.ingest.guard import OLE_MAGIC

# The workbook's first record: BOF of BIFF8 (version 0x0600) for the workbook globals (0x0005).
_BIFF8_GLOBALS = b"\x09\x08\x10\x00\x00\x06\x05\x00"
# Excel 5/95's (BIFF5, version 0x0500): its date mode is the same record.
_BIFF5_GLOBALS = b"\x09\x08\x08\x00\x00\x05\x05\x00"
_CODEPAGE = 0x0042
_DATEMODE = 0x0022  # 1: serials count from 1904-01-01
_BOUNDSHEET = 0x0085  # the sheets' list, after the date mode
_EOF = 0x000A
_UTF16 = (1200).to_bytes(2, "little")
_SECTOR = 512  # the container's sectors: the stream's first records lie in its first one
# A stream under 4,096 bytes lies in the container's mini stream, in sectors of 64 bytes.
_MINI_SECTOR = 64


def biff8_as_unicode(data: bytes) -> bytes:
    """The workbook with its declared code page set to UTF-16 when it is BIFF8.

    BIFF8 writes every text in UTF-16 (or its compressed Latin-1 form), and Excel ignores the
    code page record; the reader decodes by it, so a workbook declaring 1252 (as some report
    writers do) read with a NUL between letters, and Hebrew as Latin junk. Anything else, or a
    record not where a workbook puts it, leaves the bytes as they are.
    """
    at = _globals(data)
    if at < 0:
        return data
    end, pos = at + _SECTOR, at
    while pos + 4 <= end:
        kind = int.from_bytes(data[pos : pos + 2], "little")
        size = int.from_bytes(data[pos + 2 : pos + 4], "little")
        if kind == _CODEPAGE and size == 2 and pos + 6 <= end:
            if data[pos + 4 : pos + 6] == _UTF16:
                return data
            return data[: pos + 4] + _UTF16 + data[pos + 6 :]
        pos += 4 + size
    return data


def biff8_counts_from_1904(data: bytes) -> bool:
    """True for an .xls whose globals set the 1904 date system (the DATEMODE record)."""
    at = _globals(data, (_BIFF8_GLOBALS, _BIFF5_GLOBALS))
    if at < 0:
        return False
    # The record comes before the sheets' list, a few hundred bytes in; the stream is read on
    # as written, which is how Excel and other writers lay out its first sectors.
    pos, end = at, min(at + 8 * _SECTOR, len(data))
    while pos + 4 <= end:
        kind = int.from_bytes(data[pos : pos + 2], "little")
        size = int.from_bytes(data[pos + 2 : pos + 4], "little")
        if kind == _DATEMODE and size == 2:
            return data[pos + 4 : pos + 6] == b"\x01\x00"
        if kind in (_BOUNDSHEET, _EOF) or size > 8224:  # past it, or not a record at all
            return False
        pos += 4 + size
    return False


def _globals(data: bytes, kinds: tuple[bytes, ...] = (_BIFF8_GLOBALS,)) -> int:
    """Where the workbook globals of one of kinds start (at a sector's start), or -1."""
    if data[:8] != OLE_MAGIC:
        return -1
    found = []
    for kind in kinds:
        at = data.find(kind)
        while at >= 0 and at % _MINI_SECTOR:
            at = data.find(kind, at + 1)
        if at >= 0:
            found.append(at)
    return min(found, default=-1)


_BRT_WB_PROP = 0x99  # an .xlsb workbook's properties: bit 0 of its flags is the 1904 system
_BRT_BUNDLE_SH = 0x9C  # a sheet's entry: the properties come before the first
_XLSB_HEAD = 1 << 16  # the records looked at, from the part's start


def xlsb_counts_from_1904(book: bytes) -> bool:
    """True for an .xlsb whose workbook part (xl/workbook.bin) sets the 1904 date system."""
    pos, end = 0, min(len(book), _XLSB_HEAD)
    while pos < end:
        kind, pos = xlsb_number(book, pos, 2)
        size, pos = xlsb_number(book, pos, 4)
        if kind < 0 or size < 0 or kind == _BRT_BUNDLE_SH:
            return False
        if kind == _BRT_WB_PROP:
            return size >= 4 and bool(book[pos] & 1) if pos < len(book) else False
        pos += size
    return False
