"""The used range of an .xlsb sheet, measured from its records once the reader failed.

The reader builds a sheet's whole range in memory, from its first to its last cell: one stray
value at XFD1048576 beside a small table asked for 17 billion cells, and the read was stopped
at the memory ceiling ("needs more than 2 GB"). An .xlsx sheet is measured by the scan and
refused naming the cell; an .xlsb sheet part is a stream of records (a type and a size, 7 bits
a byte, then the body), walked here in Python, slower than the reader reads them: so an .xlsb
is read beside its scan, and a sheet is walked only when the range its writer declares
(BrtWsDim, Excel's used range) reaches past the bound on cells, or once a read ran out of memory
(zipscan.check_binary_ranges). Cells are placed as the reader places them: a row header
(BrtRowHdr) gives the row, each value record its column; blank cells (formatted, no value) are
skipped, a row past Excel's last or the end of the sheet data ends the cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from struct import unpack_from

from kam_core.ingest.biffserials import no_date, rk_value
from kam_core.ingest.extent import Extent

_ROW = 0x00
_BLANK = 0x01
_LAST_CELL = 0x0A  # 0x02-0x0A: the value records the reader reads (RK to a formula's flag)
_END_DATA = 0x92  # BrtEndSheetData
_LAST_ROW = 0x100000  # the reader stops at a row past this (0-based)
_HEAD = 5 + 4  # a record's type and size at most, and the position its body starts with


class BinaryExtent(Extent):
    """Track the largest row and column an .xlsb sheet's cells reach, piece by piece."""

    def __init__(self) -> None:
        super().__init__(exact=False)
        self.root = "worksheet"
        self._rest = b""  # a record's start cut at the end of the last piece
        self._skip = 0  # bytes of a record's body still to pass over
        self._row = 0
        self._ended = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the sheet part's bytes."""
        if self._ended:
            return
        if self._skip:
            passed = min(self._skip, len(chunk))
            self._skip -= passed
            chunk = chunk[passed:]
            if self._skip:
                return  # the piece lay inside one record's body
        buf = self._rest + chunk if self._rest else chunk
        pos, self._skip, self._ended = self._walk(buf, final)
        self._rest = b"" if self._ended or final else buf[pos:]

    def _walk(self, buf: bytes, final: bool) -> tuple[int, int, bool]:
        """Walk the records of buf; return where a cut record starts, the bytes of a body
        past the end, and whether the cells ended."""
        # One tight loop with locals: a million-row sheet is millions of records.
        n = len(buf)
        stop = n if final else n - _HEAD
        pos, row, max_row, max_col = 0, self._row, self.max_row, self.max_col
        ended = False
        while pos < stop:
            start = pos
            byte = buf[pos]
            pos += 1
            kind = byte & 0x7F
            if byte & 0x80:
                kind |= (buf[pos] & 0x7F) << 7 if pos < n else 0
                pos += 1
            byte = buf[pos] if pos < n else 0
            pos += 1
            size = byte & 0x7F
            shift = 7
            while byte & 0x80 and shift < 28:  # the size takes 4 bytes at most
                byte = buf[pos] if pos < n else 0
                pos += 1
                size |= (byte & 0x7F) << shift
                shift += 7
            if kind <= _LAST_CELL and kind != _BLANK:
                if pos + 4 > n:  # only at the end of the part: a record cut short
                    pos = start if not final else n
                    break
                (number,) = unpack_from("<I", buf, pos)
                if kind == _ROW:
                    row = number
                    if row > _LAST_ROW:
                        ended = True
                        break
                else:
                    if row >= max_row:
                        max_row = row + 1
                    if number >= max_col:
                        max_col = number + 1
            elif kind == _END_DATA:
                ended = True
                break
            pos += size
        self._row, self.max_row, self.max_col = row, max_row, max_col
        if ended:
            return pos, 0, True
        if pos > n:
            return n, pos - n, False
        return pos, 0, False


_BEGIN_DATA = 0x91  # BrtBeginSheetData: the cells follow
_DIMENSION = 0x94  # BrtWsDim: the used range the writer declares (first and last row, column)


def declared_range(head: bytes) -> tuple[int, int] | None:
    """The rows and columns from A1 an .xlsb sheet's used range declares (BrtWsDim), read from
    the part's first bytes; None without one before the cells."""
    pos = 0
    while pos < len(head):
        kind, pos = xlsb_number(head, pos, 2)
        size, pos = xlsb_number(head, pos, 4)
        if kind < 0 or size < 0 or kind == _BEGIN_DATA:
            return None
        if kind == _DIMENSION:
            if size < 16 or pos + 16 > len(head):
                return None
            _first_row, last_row, _first_col, last_col = unpack_from("<IIII", head, pos)
            return last_row + 1, last_col + 1
        pos += size
    return None


_BUNDLE_SH = 0x9C  # a sheet's entry in the workbook part
_END_BUNDLE_SHS = 0x90  # after the last


def xlsb_sheet_entries(book: bytes) -> list[tuple[str, str]]:
    """An .xlsb workbook part's sheet entries: (relationship id, sheet name), for messages."""
    entries: list[tuple[str, str]] = []
    pos = 0
    while pos < len(book):
        kind, pos = xlsb_number(book, pos, 2)
        size, pos = xlsb_number(book, pos, 4)
        if kind < 0 or size < 0 or kind == _END_BUNDLE_SHS:
            break
        if kind == _BUNDLE_SH:
            body = book[pos : pos + size]
            rid, at = _xlsb_text(body, 8)  # after the sheet's state and tab number
            name, _at = _xlsb_text(body, at)
            if rid and name:
                entries.append((rid, name))
        pos += size
    return entries


def _xlsb_text(body: bytes, at: int) -> tuple[str, int]:
    """A count of UTF-16 characters and the characters, from at ('' if cut short or null)."""
    count = int.from_bytes(body[at : at + 4], "little")
    end = at + 4 + 2 * count
    if at + 4 > len(body) or end > len(body):
        return "", len(body)
    return body[at + 4 : end].decode("utf-16-le", "replace"), end


def xlsb_number(data: bytes | bytearray, pos: int, most: int) -> tuple[int, int]:
    """A record's type (2 bytes at most) or size (4): 7 bits a byte, low first (-1: cut short)."""
    value = 0
    for i in range(most):
        if pos >= len(data):
            return -1, pos
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, pos
    return value, pos


_RK_CELL = 0x02  # BrtCellRk
_REAL_CELL = 0x05  # BrtCellReal
_NUMBER_RESULT = 0x09  # BrtFmlaNum: a formula whose saved result is a number
# A style index past any workbook's cell formats: the reader shows the cell's number as it
# is, with no format, so no date (its date arithmetic overflowed on a serial far below zero).
_NO_STYLE = b"\xff\xff\xff"


def plain_where_no_date(part: bytearray) -> int:
    """Give each number cell of an .xlsb sheet part that no date can show no cell format, in
    place; return how many cells changed."""
    pos, n, changed = 0, len(part), 0
    while pos < n:
        kind, pos = xlsb_number(part, pos, 2)
        size, pos = xlsb_number(part, pos, 4)
        if kind < 0 or size < 0 or pos + size > n or kind == _END_DATA:
            break  # cut short, or past the cells: the reader judges the rest
        if kind in (_REAL_CELL, _NUMBER_RESULT) and size >= 16:
            value = unpack_from("<d", part, pos + 8)[0]
        elif kind == _RK_CELL and size >= 12:
            value = rk_value(unpack_from("<I", part, pos + 8)[0])
        else:
            value = 0.0
        if no_date(value):
            part[pos + 4 : pos + 7] = _NO_STYLE
            changed += 1
        pos += size
    return changed


_ERROR_CELL = 0x03  # BrtCellError: an error value, one byte of code
_TEXT_CELL = 0x06  # BrtCellSt: text written in the record
# The error codes the reader knows (MS-XLSB's table); Excel 365 writes its newer errors with
# codes after them, which the reader refuses with the whole file.
_KNOWN_ERRORS = frozenset({0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A, 0x2B})
_NEWER_ERRORS = {
    0x2C: "#SPILL!",
    0x2D: "#CALC!",
    0x2E: "#FIELD!",
    0x2F: "#CONNECT!",
    0x30: "#BLOCKED!",
    0x31: "#UNKNOWN!",
}


def _head(kind: int, size: int) -> bytes:
    """A record's type and size, 7 bits a byte, low first."""
    out = bytearray()
    for number in (kind, size):
        while True:
            out.append((number & 0x7F) | (0x80 if number >= 0x80 else 0))
            number >>= 7
            if not number:
                break
    return bytes(out)


def _errors_as_text(part: bytes, error_text: Callable[[int, int], str | None]) -> bytes:
    """An .xlsb sheet part with each record error_text(kind, code) names written as a text cell
    holding that text (the error as Excel shows it); other records as they were."""
    out: list[bytes] = []
    pos = done = 0
    n = len(part)
    while pos < n:
        start = pos
        kind, pos = xlsb_number(part, pos, 2)
        size, pos = xlsb_number(part, pos, 4)
        if kind < 0 or size < 0 or pos + size > n or kind == _END_DATA:
            break  # cut short, or past the cells: the reader judges the rest
        text = error_text(kind, part[pos + 8]) if size >= 9 else None
        if text is not None:
            body = part[pos : pos + 8] + len(text).to_bytes(4, "little")
            body += text.encode("utf-16-le")
            out += [part[done:start], _head(_TEXT_CELL, len(body)), body]
            done = pos + size
        pos += size
    out.append(part[done:])
    return b"".join(out)


def _unknown_error(kind: int, code: int) -> str | None:
    if kind != _ERROR_CELL or code in _KNOWN_ERRORS:
        return None
    return _NEWER_ERRORS.get(code, f"#ERROR {code}")


def unknown_errors_as_text(part: bytes) -> bytes:
    """An .xlsb sheet part with each error cell of a code the reader does not know written as
    a text cell holding the error as Excel shows it (#SPILL!), so only its row is rejected."""
    return _errors_as_text(part, _unknown_error)


_FORMULA_ERROR = 0x0B  # BrtFmlaError: a formula whose saved result is an error
_CLASSIC_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
# A BrtFmlaError record's start as a writer writes one: its type, its size (a byte, or two
# for a long formula), a column below 16,384, a cell format below 65,536 and its flags, a known
# error's code, the formula's flags and the length of its tokens (below 16,384). The reader
# skips such records, so the cell reads as empty; found while the scan inflates the sheet (a
# byte pattern: 1 false hit in about 5,000 MB of random cells; the rewrite then changes nothing).
_FORMULA_ERROR_START = re.compile(
    rb"\x0b(?:[\x13-\x7f]|[\x80-\xff][\x01-\x7f])[\x00-\xff][\x00-\x3f]\x00\x00"
    rb"[\x00-\xff]{2}\x00[\x00-\xff][\x00\x07\x0f\x17\x1d\x24\x2a-\x31][\x00-\xff]{2}"
    rb"[\x00-\xff][\x00-\x3f]\x00\x00"
)
_PROBE_EDGE = 32  # longer than a match, so one cut between pieces is seen


class FormulaErrorProbe:
    """Whether a binary part may hold formulas whose saved result is an error, piece by piece
    (a pattern over the bytes, no walk: a hit may be a false one; the rewrite walks)."""

    def __init__(self) -> None:
        self.found = False
        self._edge = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the part's bytes."""
        if self.found or not chunk:
            return
        edge = self._edge + chunk[:_PROBE_EDGE]
        self.found = any(_FORMULA_ERROR_START.search(piece) for piece in (chunk, edge))
        self._edge = chunk[-_PROBE_EDGE:]


def _formula_error(kind: int, code: int) -> str | None:
    if kind != _FORMULA_ERROR:
        return None
    return _CLASSIC_ERRORS.get(code) or _NEWER_ERRORS.get(code, f"#ERROR {code}")


def formula_errors_as_text(part: bytes) -> bytes:
    """An .xlsb sheet part with each formula whose saved result is an error (which the reader
    reads as empty) written as a text cell holding the error as Excel shows it (#N/A)."""
    return _errors_as_text(part, _formula_error)
