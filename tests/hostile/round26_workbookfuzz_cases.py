"""Files of a twenty-sixth round, found by generating workbooks of shapes not tried before
(odd styles and formats, cached errors, rich inline text, booleans as amounts, rows going
backwards, serials at Excel's edges, sheet names alike but for case): the values the reader
writes otherwise than they are written or shown."""

from __future__ import annotations

import io

import xlwt

from tests.hostile.builders import HEADER
from tests.hostile.case import Case
from tests.hostile.round25_workbookvalues_cases import dated_values, valueless_ods

# Amounts written with an exponent of three digits: Excel shows 1E+100; the reader wrote the
# value out in its figures ('10000000000000000159...', 101 of them), which the user cannot find
# in the file. Each row now rejected showing the value as written.
WRITTEN_OUT = [
    ("Far Ltd", "45296", "1E+100"),
    ("Farther Ltd", "45296", "-2.5e+250"),
    ("Good Ltd", "45297", "250"),
]


# .ods number cells storing a value of an exponent of three digits, shown as written: 1e400
# was read as inf ("not an amount ('inf')"), 1E+100 in its 101 figures. The plain one stored.
ODS_EXPONENTS = [
    ("Far Ltd", '<table:table-cell office:value-type="float" office:value="1e400"><text:p>1e400'),
    ("Big Ltd", '<table:table-cell office:value-type="float" office:value="1E+100"><text:p>1E+100'),
    ("Good Ltd", '<table:table-cell office:value-type="float" office:value="250"><text:p>250'),
]


# .xls date cells (dd/mm/yyyy) whose number no date can be: the reader's date arithmetic
# overflowed and the whole file was refused as damaged. Each row now rejected with the number.
LEGACY_FAR = [(-1e15, "Far Ltd", 100), (float("-inf"), "Minus Ltd", 100), (45296, "Good Ltd", 250)]
# NaN and infinity there: shown as 1899-12-30 (then as the serial -1) and as a missing date.
LEGACY_NOT_FINITE = [(float("nan"), "Nan Ltd", 100), (float("inf"), "Inf Ltd", 100)]
LEGACY_NOT_FINITE += [(45296, "Good Ltd", 250)]


def legacy_dates(rows: list[tuple[float, str, float]]) -> bytes:
    """An .xls of sales (serial, client, amount), the serials in a date format."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sales")
    day = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for col, label in enumerate(HEADER):
        sheet.write(0, col, label)
    for row, (serial, client, amount) in enumerate(rows, start=1):
        sheet.write(row, 0, serial, day)
        sheet.write(row, 1, client)
        sheet.write(row, 2, amount)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def round26_workbookfuzz_cases() -> list[Case]:
    return [
        Case(
            "amounts_past_1e100_written_with_an_exponent.xlsx",
            lambda p: dated_values(WRITTEN_OUT),
            rows=1,
            rejected=2,
            revenue=250.0,
            value="1E+100",
            reason="revenue is out of range",
            names=frozenset({"Good Ltd"}),
        ),
        Case(
            "opendocument_numbers_of_three_digit_exponents.ods",
            lambda p: valueless_ods(ODS_EXPONENTS),
            rows=1,
            rejected=2,
            revenue=250.0,
            value="1e400",
            reason="revenue is out of range",
            names=frozenset({"Good Ltd"}),
        ),
        Case(
            "legacy_date_serials_no_date_can_be.xls",
            lambda p: legacy_dates(LEGACY_FAR),
            rows=1,
            rejected=2,
            revenue=250.0,
            value="-inf",
            reason="order date is not a date",
            names=frozenset({"Good Ltd"}),
        ),
        Case(
            "legacy_date_cells_not_finite.xls",
            lambda p: legacy_dates(LEGACY_NOT_FINITE),
            rows=1,
            rejected=2,
            revenue=250.0,
            value="NaN",
            reason="order date is not a date",
            names=frozenset({"Good Ltd"}),
        ),
    ]
