"""An .xlsb's number cells that no date can show lose their date format before the reader
reads them again; every other record stays as written."""

from __future__ import annotations

import struct

from kam_core.ingest.binsheet import plain_where_no_date
from tests.hostile.tenth_cases import _record

_STYLED = struct.pack("<II", 0, 1)  # column A, cell format 1


def _style_of(part: bytes, at: int) -> bytes:
    """The three bytes of the cell format of the record starting at `at` (one-byte header)."""
    return part[at + 2 + 4 : at + 2 + 7]


def test_only_number_cells_no_date_can_show_lose_their_format():
    real = _record(0x05, _STYLED + struct.pack("<d", -1e15))
    fine = _record(0x05, _STYLED + struct.pack("<d", 45296.0))
    rk = _record(0x02, _STYLED + struct.pack("<I", 0xC3100000))  # -2**50
    result = _record(0x09, _STYLED + struct.pack("<d", float("-inf")) + bytes(10))
    part = bytearray(real + fine + rk + result + _record(0x92) + real)
    assert plain_where_no_date(part) == 3
    starts = [0, len(real), len(real + fine), len(real + fine + rk)]
    assert [_style_of(part, at) for at in starts] == [
        b"\xff" * 3,
        b"\1\0\0",
        b"\xff" * 3,
        b"\xff" * 3,
    ]
    assert part.endswith(real), "records after the sheet data are left as they are"


def test_a_cut_record_ends_the_walk_without_an_error():
    part = bytearray(_record(0x05, _STYLED + struct.pack("<d", -1e15))[:-3])
    assert plain_where_no_date(part) == 0
