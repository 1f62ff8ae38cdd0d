"""What an .xls workbook's records say besides its cells' values: cells merged down over
rows, and code columns formatted to show leading zeros.

The reader gives a merged cell's text in its first row only and a code formatted 000000 as
the bare number, as it does for an .xlsx; these facts let the parse treat an .xls the same way
(validate.merged_filled, padded.pad_columns). The records are read from the workbook stream of
the compound file (olefile); a file that cannot be walked gives no facts, and the reader
judges it as before.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import olefile

from kam_core.ingest.grid import column_letter
from kam_core.ingest.padded import CodeColumns, FormatFacts, Shown, padded_format

_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_FORMAT, _XF, _MERGEDCELLS = 0x041E, 0x00E0, 0x00E5
_NUMBER, _RK, _MULRK = 0x0203, 0x027E, 0x00BD
_WORKSHEET = 0x0010  # a BOF's substream type


def biff_facts(data: bytes, most_merges: int) -> FormatFacts:
    """The facts of an .xls (BIFF8) workbook; none for anything else or a stream not walked."""
    try:
        with olefile.OleFileIO(data) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return FormatFacts()
            stream = ole.openstream(name).read()
        return _walk(stream, most_merges)
    except MemoryError:
        raise  # the worker's ceiling: a refusal, not a file read without its facts
    except Exception:  # a container or record not as written: no facts, the reader judges it
        return FormatFacts()


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, body) of each record from start."""
    pos, end = start, len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        yield pos, kind, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _walk(stream: bytes, most_merges: int) -> FormatFacts:
    formats: dict[int, Shown] = {}
    xf_formats: list[int] = []
    sheets: dict[int, str] = {}
    for _pos, kind, body in _records(stream):
        if kind == _FORMAT and len(body) >= 5:
            shown = padded_format(_unicode(body, 2))
            if shown:
                formats[struct.unpack_from("<H", body)[0]] = shown
        elif kind == _XF and len(body) >= 4:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _BOUNDSHEET and len(body) >= 8:
            offset, _state, sheet_type = struct.unpack_from("<IBB", body)
            if sheet_type == 0:  # a worksheet (not a chart or macro sheet)
                sheets[offset] = _short_unicode(body, 6)
        elif kind == _EOF:
            break  # the globals end here
    padded_xf = {i: formats[f] for i, f in enumerate(xf_formats) if f in formats}
    facts = FormatFacts()
    # Sheets whose offsets point into one another's records would walk the stream once each:
    # the walk of all sheets together covers the stream's length once, merges are bounded in
    # all, and each offset is walked once.
    budget = [len(stream), most_merges]
    for offset, name in sheets.items():
        if budget[0] <= 0 or budget[1] <= 0:
            break
        merges, codes = _sheet(stream, offset, padded_xf, budget)
        if merges:
            facts.merges[name] = merges
        if codes:
            facts.padded[name] = codes
    return facts


def _sheet(
    stream: bytes, offset: int, padded_xf: dict[int, Shown], budget: list[int]
) -> tuple[list[tuple[int, int, int]], dict[str, tuple[int, str, int, str]]]:
    """One worksheet's merges down and code columns, from its BOF at offset.

    budget: [bytes, merges] the walk may still take; what this sheet takes is subtracted.
    """
    merges: list[tuple[int, int, int]] = []
    codes = CodeColumns()
    for pos, kind, body in _records(stream, offset):
        budget[0] -= 4 + len(body)
        if budget[0] < 0:
            break
        if pos == offset:
            if kind != _BOF or len(body) < 4 or struct.unpack_from("<H", body, 2)[0] != _WORKSHEET:
                return [], {}
            continue
        if kind == _EOF:
            break
        if kind == _MERGEDCELLS and len(body) >= 2:
            (count,) = struct.unpack_from("<H", body)
            for i in range(min(count, (len(body) - 2) // 8)):
                top, bottom, left, right = struct.unpack_from("<HHHH", body, 2 + 8 * i)
                if left == right and bottom > top and budget[1] > 0:
                    merges.append((left, top, bottom))
                    budget[1] -= 1
        elif padded_xf and not codes.full and kind in (_NUMBER, _RK, _MULRK) and len(body) >= 6:
            row, col = struct.unpack_from("<HH", body)
            # A MULRK holds several cells (style, value) from col on; the others one.
            cells = [(col + i, 4 + 6 * i) for i in range((len(body) - 6) // 6)]
            for at, xf_at in cells if kind == _MULRK else [(col, 4)]:
                shown = padded_xf.get(struct.unpack_from("<H", body, xf_at)[0])
                if shown is not None:
                    codes.add(column_letter(at), row, shown)
    return merges, codes.columns()


def _unicode(body: bytes, at: int) -> str:
    """An XLUnicodeString (16-bit length, flags, characters) at a record's position."""
    (count,) = struct.unpack_from("<H", body, at)
    return _characters(body, at + 2, count)


def _short_unicode(body: bytes, at: int) -> str:
    """A ShortXLUnicodeString (8-bit length, flags, characters), as sheet names are written."""
    return _characters(body, at + 1, body[at])


def _characters(body: bytes, at: int, count: int) -> str:
    wide = body[at] & 1
    start = at + 1
    if wide:
        return body[start : start + 2 * count].decode("utf-16-le")
    return body[start : start + count].decode("latin-1")
