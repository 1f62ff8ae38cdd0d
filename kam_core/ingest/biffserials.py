"""Numbers of an .xls that no date format can show, given the general format before a read.

The reader turns a number in a date format into a date; a serial far below zero (-1e15) or no
finite number (-inf) overflowed its date arithmetic, and its panic refused the whole file as
damaged. Excel shows ##### for such a cell. Each such number (a NUMBER, RK or MULRK cell, or a
formula's saved result) is given cell format 0, the general one, in the workbook stream, so
the reader shows the number and only its row is rejected. The stream keeps its size: it is
written back in place in its container (olefile), after the reader failed so, or before it
reads a file holding a number that is no finite one (NaN shown as 1899-12-30).
"""

from __future__ import annotations

import io
import math
import re
import struct

import olefile

_NUMBER = 0x0203
_RK = 0x027E
_MULRK = 0x00BD
_FORMULA = 0x0006
_STREAMS = ("Workbook", "Book")
# The reader's date arithmetic overflows at about -1.07e11 days (in an .xls as in an .xlsx,
# read.py); no date, and no amount a bound lets through, lies near it.
FAR_BELOW = -1e11
_GENERAL = b"\x00\x00"  # cell format 0: the workbook's general number format


def no_date(value: float) -> bool:
    """True for a number no date format can show (the reader's date arithmetic overflows)."""
    return not math.isfinite(value) or value <= FAR_BELOW


def rk_value(raw: int) -> float:
    """The number an RK value encodes (an integer or a double's high bits, maybe / 100)."""
    if raw & 2:
        value = float(raw >> 2 if raw < 1 << 31 else (raw >> 2) - (1 << 30))
    else:
        value = struct.unpack("<d", struct.pack("<Q", (raw & 0xFFFFFFFC) << 32))[0]
    return value / 100 if raw & 1 else value


def general_where_no_date(stream: bytes) -> bytes:
    """The workbook stream with each cell holding a number no date can be in format 0."""
    out = bytearray(stream)
    pos = 0
    while pos + 4 <= len(out):
        kind, size = struct.unpack_from("<HH", out, pos)
        body = pos + 4
        if body + size > len(out):
            break
        if kind in (_NUMBER, _FORMULA) and size >= 14:
            # A formula's result is a number unless its last two bytes are 0xFFFF.
            number = kind == _NUMBER or out[body + 12 : body + 14] != b"\xff\xff"
            if number and no_date(struct.unpack_from("<d", out, body + 6)[0]):
                out[body + 4 : body + 6] = _GENERAL
        elif kind == _RK and size >= 10:
            if no_date(rk_value(struct.unpack_from("<I", out, body + 6)[0])):
                out[body + 4 : body + 6] = _GENERAL
        elif kind == _MULRK and size >= 12:
            for at in range(body + 4, body + size - 2 - 5, 6):  # (format, RK) pairs
                if no_date(rk_value(struct.unpack_from("<I", out, at + 2)[0])):
                    out[at : at + 2] = _GENERAL
        pos = body + size
    return bytes(out)


# A NUMBER or RK cell whose number is no finite one (its exponent's bits all set): the reader
# shows a NaN in a date format as 1899-12-30 and infinity as nothing. Found by one search of the
# container's bytes, so other files pay nothing more; a record cut by a sector is missed.
_NOT_FINITE = re.compile(
    rb"(?:\x03\x02\x0e\x00[\x00-\xff]{12}|\x7e\x02\x0a\x00[\x00-\xff]{8})[\xf0-\xff][\x7f\xff]"
)


def holds_no_finite_number(data: bytes) -> bool:
    """True when an .xls holds a NUMBER or RK cell that is no finite number."""
    return _NOT_FINITE.search(data) is not None


def legacy_serials_general(data: bytes) -> bytes:
    """The .xls with its numbers no date can be in the general format; the same bytes when
    its container cannot be rewritten (the reader's refusal then stands)."""
    buffer = io.BytesIO(data)
    try:
        ole = olefile.OleFileIO(buffer, write_mode=True)
        try:
            name = next((s for s in _STREAMS if ole.exists(s)), None)
            if name is None:
                return data
            stream = ole.openstream(name).read()
            fixed = general_where_no_date(stream)
            if fixed == stream:
                return data
            ole.write_stream(name, fixed)
        finally:
            ole.close()
    except Exception:  # a container olefile cannot walk or write: left to the reader
        return data
    return buffer.getvalue()
