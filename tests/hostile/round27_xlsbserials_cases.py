"""Workbooks of a twenty-seventh round, on serials: an .xlsb date cell whose serial is far below
zero (as a real or an RK number) refused the whole file as damaged."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.hostile.case import Case
from tests.hostile.tenth_cases import _record, _wide, xlsb

HEADER = ["Order Date", "Customer", "Amount"]
_DATE_STYLE = 1  # the second cell format of dated_xlsb's styles: Excel's short date (14)


def _date_cell(value: float, rk: bool) -> bytes:
    """An .xlsb number cell in column A in the short date format: an RK number or a real."""
    cell = struct.pack("<II", 0, _DATE_STYLE)
    if rk:  # a double whose low 32 bits are zero, written as its high bits (flags 0)
        high = struct.unpack("<Q", struct.pack("<d", value))[0] >> 32
        assert high & 3 == 0 and struct.pack("<d", value)[:4] == bytes(4), value
        return _record(0x02, cell + struct.pack("<I", high))
    return _record(0x05, cell + struct.pack("<d", value))


def dated_xlsb(rows: list[tuple[float, str, float, bool]]) -> bytes:
    """An .xlsb of sales (serial, client, amount, serial written as RK) under HEADER, the
    serials in Excel's short date format, which the reader turns into dates."""
    part = _record(0x81) + _record(0x94, struct.pack("<IIII", 0, len(rows), 0, 2)) + _record(0x91)
    part += _record(0x00, struct.pack("<IIH", 0, 0, 300) + bytes(7))
    for col, label in enumerate(HEADER):
        part += _record(0x06, struct.pack("<II", col, 0) + _wide(label))
    for n, (serial, client, amount, rk) in enumerate(rows, start=1):
        part += _record(0x00, struct.pack("<IIH", n, 0, 300) + bytes(7))
        part += _date_cell(serial, rk)
        part += _record(0x06, struct.pack("<II", 1, 0) + _wide(client))
        part += _record(0x05, struct.pack("<II", 2, 0) + struct.pack("<d", amount))
    part += _record(0x92) + _record(0x82)
    styles = _record(0x0269, struct.pack("<I", 2))  # BrtBeginCellXFs: general, short date
    for number_format in (0, 14):
        styles += _record(0x2F, struct.pack("<HH", 0, number_format) + bytes(12))
    styles += _record(0x026A)
    source = zipfile.ZipFile(io.BytesIO(xlsb([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            body = source.read(member)
            archive.writestr(member.filename, part if member.filename.endswith("1.bin") else body)
        archive.writestr("xl/styles.bin", styles)
    return out.getvalue()


# -1e15 as a real, -2**50 as an RK number: each row rejected showing the number.
FAR_BELOW = [
    (-1e15, "Far Ltd", 100.0, False),
    (-float(2**50), "Farther Ltd", 100.0, True),
    (45296.0, "Good Ltd", 250.0, False),
    (45297.0, "Better Ltd", 30.0, True),
]


def round27_xlsbserials_cases() -> list[Case]:
    return [
        Case(
            "xlsb_date_serials_far_below_zero.xlsb",
            lambda p: dated_xlsb(FAR_BELOW),
            rows=2,
            rejected=2,
            revenue=280.0,
            value="-1E+15",
            reason="order date is not a date",
            names=frozenset({"Good Ltd", "Better Ltd"}),
            dates=frozenset({"2024-01-05", "2024-01-06"}),
        ),
    ]
