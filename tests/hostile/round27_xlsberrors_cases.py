"""Workbooks of a twenty-seventh round, on .xlsb error values: an error Excel 365 writes with a
code after MS-XLSB's table (#SPILL!, #CALC!) refused the whole file as damaged ("Unsupported
Cell Error code 2C"); a formula whose saved result is an error (a VLOOKUP's #N/A) was read as
empty, its amount "missing" and its client name left out of a row imported by its id."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.hostile.case import Case
from tests.hostile.round27_xlsbserials_cases import HEADER, dated_xlsb
from tests.hostile.tenth_cases import _record, _wide


def _cell(col: int, style: int = 0) -> bytes:
    return struct.pack("<II", col, style)


def xlsb_amounts(amounts: list[tuple[str, bytes]]) -> bytes:
    """An .xlsb of sales (client, the amount cell's record) under HEADER, dated from
    2024-01-05 in Excel's short date format (dated_xlsb's styles)."""
    part = _record(0x81) + _record(0x94, struct.pack("<IIII", 0, len(amounts), 0, 2))
    part += _record(0x91) + _record(0x00, struct.pack("<IIH", 0, 0, 300) + bytes(7))
    for col, label in enumerate(HEADER):
        part += _record(0x06, _cell(col) + _wide(label))
    for n, (client, amount) in enumerate(amounts, start=1):
        part += _record(0x00, struct.pack("<IIH", n, 0, 300) + bytes(7))
        part += _record(0x05, _cell(0, 1) + struct.pack("<d", 45295.0 + n))
        part += _record(0x06, _cell(1) + _wide(client)) + amount
    part += _record(0x92) + _record(0x82)
    source = zipfile.ZipFile(io.BytesIO(dated_xlsb([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            body = source.read(member)
            archive.writestr(member.filename, part if member.filename.endswith("1.bin") else body)
    return out.getvalue()


def error_cell(code: int) -> bytes:
    """An amount cell (column C) holding the error of the given code (BrtCellError)."""
    return _record(0x03, _cell(2) + bytes([code]))


def number_cell(value: float) -> bytes:
    return _record(0x05, _cell(2) + struct.pack("<d", value))


def formula_error(col: int, code: int) -> bytes:
    """A cell of the given column holding a formula (=1/0) whose saved result is the error of
    the given code (BrtFmlaError)."""
    formula = struct.pack("<I", 5) + b"\x1e\x01\x00\x00\x00" + struct.pack("<I", 0)
    return _record(0x0B, _cell(col) + bytes([code]) + bytes(2) + formula)


# #SPILL! (0x2C) and #CALC! (0x2D) beside #N/A (0x2A, in MS-XLSB's table) and two sales.
NEWER_ERRORS = [
    ("Spill Ltd", error_cell(0x2C)),
    ("Good Ltd", number_cell(250)),
    ("Calc Ltd", error_cell(0x2D)),
    ("Na Ltd", error_cell(0x2A)),
    ("Better Ltd", number_cell(30)),
]


# Amounts that are formulas whose saved results are errors: #N/A and #DIV/0!.
FORMULA_ERRORS = [
    ("Na Ltd", formula_error(2, 0x2A)),
    ("Good Ltd", number_cell(250)),
    ("Div Ltd", formula_error(2, 0x07)),
    ("Better Ltd", number_cell(30)),
]


def round27_xlsberrors_cases() -> list[Case]:
    return [
        Case(
            "xlsb_formula_error_results_as_amounts.xlsb",
            lambda p: xlsb_amounts(FORMULA_ERRORS),
            rows=2,
            rejected=2,
            revenue=280.0,
            value="#DIV/0!",
            reason="revenue is an Excel error value",
            names=frozenset({"Good Ltd", "Better Ltd"}),
        ),
        Case(
            "xlsb_newer_error_values_as_amounts.xlsb",
            lambda p: xlsb_amounts(NEWER_ERRORS),
            rows=2,
            rejected=3,
            revenue=280.0,
            value="#SPILL!",
            reason="revenue is an Excel error value",
            names=frozenset({"Good Ltd", "Better Ltd"}),
        ),
    ]
