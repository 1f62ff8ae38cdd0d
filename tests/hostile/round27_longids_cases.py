"""Files of a twenty-seventh round: client codes of more than 15 figures. A workbook's number
cell holds a double, whose figures the reader wrote out in full (a code
123456789012345678901234567890 typed as a number was stored as 123456789012345695469905641472,
digits the file never held); the same code typed as text, or written in a CSV, is kept."""

from __future__ import annotations

import datetime as dt

from tests.conftest import write_ods, write_xls
from tests.hostile import builders as b
from tests.hostile.case import Case

LONG = "123456789012345678901234567890"
HEADER = ["Order Date", "Customer ID", "Customer", "Amount"]
DAY = dt.date(2024, 1, 5)
ROWS = [
    HEADER,
    [DAY, int(LONG), "Number cell", 100.0],  # a number: its last digits are lost
    [DAY, LONG, "Text cell", 200.0],  # typed as text: kept
    [DAY, 123456789012345, "Fifteen figures", 300.0],  # a double holds it whole
]
KEPT = frozenset({LONG, "123456789012345"})
# Sixteen figures below 2**53: every whole number there is a double's exact value, so the
# figures are the file's own (written by a program, not typed into Excel): kept.
SIXTEEN = "1234567890123456"
ROWS_AND_SIXTEEN = [*ROWS, [DAY, int(SIXTEEN), "Sixteen figures", 400.0]]


def round27_longids_cases() -> list[Case]:
    return [
        Case(
            "round27_long_code_as_a_number.xlsx",
            lambda p: b.xlsx_of(ROWS_AND_SIXTEEN),
            rows=3,
            rejected=1,
            reason="client id was rounded by Excel",
            value="1.234567890123457E+29",
            ids=KEPT | {SIXTEEN},
            revenue=900.0,
        ),
        *(
            Case(
                f"round27_long_code_as_a_number.{suffix}",
                b.via(write, {"Sales": ROWS}),
                rows=2,
                rejected=1,
                reason="client id was rounded by Excel",
                value="1.2345678901234568E+29",
                ids=KEPT,
                revenue=500.0,
            )
            for suffix, write in (("xls", write_xls), ("ods", write_ods))
        ),
        Case(
            "round27_long_code_as_text.csv",
            lambda p: (
                f"Order Date,Customer ID,Customer,Amount\n2024-01-05,{LONG},Acme,100\n".encode()
            ),
            rows=1,
            ids=frozenset({LONG}),
        ),
    ]
