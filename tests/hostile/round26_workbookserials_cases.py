"""Files of a twenty-sixth round, found by generating workbooks whose date cells hold serials
the reader cannot turn into a date: a serial far below zero (-1e15) stopped the reader's date
arithmetic and the whole file was refused as damaged."""

from __future__ import annotations

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
    ]
