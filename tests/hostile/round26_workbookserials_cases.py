"""Files of a twenty-sixth round, found by generating workbooks whose date cells hold serials
the reader cannot turn into a date: a serial far below zero (-1e15) stopped the reader's date
arithmetic and the whole file was refused as damaged; a negative serial, 0 or one past
9999-12-31, which Excel shows as ##### or 1900-01-00, was shown as the reader's date
(1899-12-26, 1899-12-31, +10000-01-01 00:00:00)."""

from __future__ import annotations

import io
import zipfile

from tests.hostile.case import Case
from tests.hostile.round25_workbookvalues_cases import dated_values

# Date cells (Excel's short date) whose serial is far below zero: each row rejected with the
# value as written, the others stored (the file was refused as damaged).
FAR_BELOW = [
    ("Far Ltd", "-1e15", "100"),
    ("Farther Ltd", "-1.7976931348623157E+308", "100"),
    ("Good Ltd", "45296", "250"),
    ("Better Ltd", "45297", "30"),
]


# Date cells whose serial Excel shows as no date: each row rejected showing the serial.
NO_DATE = [
    ("Minus Ltd", "-5", "100"),
    ("Zero Ltd", "0", "100"),
    ("Time Ltd", "0.5", "100"),
    ("Past Ltd", "2958466", "100"),
    ("Good Ltd", "45296", "250"),
]


# A far serial beside cells the reader refuses for other reasons (a number that is no number,
# an error it does not know): each rewrite is made once and every row judged on its own.
BESIDE_OTHERS = [
    ("Far Ltd", "-1e15", "100"),
    ("Nan Ltd", "NaN", "100"),
    ("Word Ltd", "45296", "abc"),
    ("Good Ltd", "45296", "250"),
]


def in_1904(data: bytes) -> bytes:
    """The workbook saved with the 1904 date system (Excel for Mac's option)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "xl/workbook.xml":
                body = body.replace(b"<sheets>", b'<workbookPr date1904="1"/><sheets>')
            copy.writestr(member.filename, body)
    return out.getvalue()


def round26_workbookserials_cases() -> list[Case]:
    return [
        Case(
            "date_serials_far_below_zero.xlsx",
            lambda p: dated_values(FAR_BELOW),
            rows=2,
            rejected=2,
            revenue=280.0,
            value="-1e15",
            reason="order date is not a date",
            names=frozenset({"Good Ltd", "Better Ltd"}),
        ),
        Case(
            "date_serials_excel_shows_as_no_date.xlsx",
            lambda p: dated_values(NO_DATE),
            rows=1,
            rejected=4,
            revenue=250.0,
            value="-5",
            reason="order date is not a date",
        ),
        Case(
            "date_serial_negative_in_the_1904_system.xlsx",
            lambda p: in_1904(dated_values([("Minus Ltd", "-5", "100"), ("Good", "43834", "7")])),
            rows=1,
            rejected=1,
            revenue=7.0,
            value="-5",
            reason="order date is not a date",
            dates=frozenset({"2024-01-05"}),
        ),
        Case(
            "date_serial_far_below_zero_beside_other_odd_cells.xlsx",
            lambda p: dated_values(BESIDE_OTHERS),
            rows=1,
            rejected=3,
            revenue=250.0,
            value="abc",
            reason="revenue is not an amount",
        ),
    ]
