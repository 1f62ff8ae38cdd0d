"""What an .xls workbook's records say besides its cells' values: cells merged down over
rows, and code columns formatted to show leading zeros.

The reader gives a merged cell's text in its first row only and a code formatted 000000 as
the bare number, as it does for an .xlsx; these facts let the parse treat an .xls the same way
(validate.merged_filled, padded.pad_columns). The records are read from the workbook stream of
the compound file (olefile); a file that cannot be walked gives no facts, and the reader
judges it as before.
"""

from __future__ import annotations

import re
import struct
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import olefile

_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_FORMAT, _XF, _MERGEDCELLS = 0x041E, 0x00E0, 0x00E5
_NUMBER, _RK, _MULRK = 0x0203, 0x027E, 0x00BD
_WORKSHEET = 0x0010  # a BOF's substream type
# Zeros only, with a quoted prefix or suffix: 000000, "C"00000 (as padded.py reads .xlsx).
_PADDED = re.compile(r'^(?:"([^"]*)")?(0{2,})(?:"([^"]*)")?$')
_SAMPLE = 1_000  # formatted number cells per sheet looked at to find the code columns


@dataclass
class BiffFacts:
    """Per sheet name: merges one column wide over rows (column, top, bottom from 0), and the
    code columns (column -> (first row from 0, prefix, width, suffix))."""

    merges: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    padded: dict[str, dict[int, tuple[int, str, int, str]]] = field(default_factory=dict)


def biff_facts(data: bytes, most_merges: int) -> BiffFacts:
    """The facts of an .xls (BIFF8) workbook; none for anything else or a stream not walked."""
    try:
        with olefile.OleFileIO(data) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return BiffFacts()
            stream = ole.openstream(name).read()
        return _walk(stream, most_merges)
    except MemoryError:
        raise  # the worker's ceiling: a refusal, not a file read without its facts
    except Exception:  # a container or record not as written: no facts, the reader judges it
        return BiffFacts()


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, body) of each record from start."""
    pos, end = start, len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        yield pos, kind, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _walk(stream: bytes, most_merges: int) -> BiffFacts:
    formats: dict[int, tuple[str, int, str]] = {}
    xf_formats: list[int] = []
    sheets: dict[int, str] = {}
    for _pos, kind, body in _records(stream):
        if kind == _FORMAT and len(body) >= 5:
            found = _PADDED.match(_unicode(body, 2))
            if found:
                prefix, zeros, suffix = found.groups()
                formats[struct.unpack_from("<H", body)[0]] = (
                    prefix or "",
                    len(zeros),
                    suffix or "",
                )
        elif kind == _XF and len(body) >= 4:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _BOUNDSHEET and len(body) >= 8:
            offset, _state, sheet_type = struct.unpack_from("<IBB", body)
            if sheet_type == 0:  # a worksheet (not a chart or macro sheet)
                sheets[offset] = _short_unicode(body, 6)
        elif kind == _EOF:
            break  # the globals end here
    padded_xf = {i: formats[f] for i, f in enumerate(xf_formats) if f in formats}
    facts = BiffFacts()
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
    stream: bytes, offset: int, padded_xf: dict[int, tuple[str, int, str]], budget: list[int]
) -> tuple[list[tuple[int, int, int]], dict[int, tuple[int, str, int, str]]]:
    """One worksheet's merges down and code columns, from its BOF at offset.

    budget: [bytes, merges] the walk may still take; what this sheet takes is subtracted.
    """
    merges: list[tuple[int, int, int]] = []
    seen: dict[int, tuple[int, Counter]] = {}
    cells = 0
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
        elif padded_xf and cells < _SAMPLE and kind in (_NUMBER, _RK) and len(body) >= 6:
            row, col, xf = struct.unpack_from("<HHH", body)
            cells += _code_cell(seen, padded_xf, row, col, xf)
        elif padded_xf and cells < _SAMPLE and kind == _MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            for i in range((len(body) - 6) // 6):
                (xf,) = struct.unpack_from("<H", body, 4 + 6 * i)
                cells += _code_cell(seen, padded_xf, row, first + i, xf)
    codes = {}
    for col, (first, kinds) in seen.items():
        prefix, width, suffix = padded_xf[kinds.most_common(1)[0][0]]
        codes[col] = (first, prefix, width, suffix)
    return merges, codes


def _code_cell(
    seen: dict[int, tuple[int, Counter]],
    padded_xf: dict[int, tuple[str, int, str]],
    row: int,
    col: int,
    xf: int,
) -> int:
    """Count a number cell shown with leading zeros in its column; 1 when it is one."""
    if xf not in padded_xf:
        return 0
    first, kinds = seen.setdefault(col, (row, Counter()))
    kinds[xf] += 1
    seen[col] = (min(first, row), kinds)
    return 1


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
