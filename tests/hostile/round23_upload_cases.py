"""Upload files of a twenty-third round: order dates that leave the order of day and month open
(the Upload page asks), and ISO or deciding ones (it does not: the choice would change
nothing)."""

from __future__ import annotations

from tests.hostile.case import Case

_HEADER = "Order Date,Client,Amount\r\n"


def round23_upload_cases() -> list[Case]:
    return [
        Case(
            "order_dates_iso_no_order_to_ask.csv",
            lambda p: (
                _HEADER + "2025-04-01,Acme Ltd,1200\r\n2025-01-02,Beta GmbH,800\r\n"
            ).encode(),
            rows=2,
            revenue=2000.0,
            dates=frozenset({"2025-04-01", "2025-01-02"}),
            order_asked=False,
        ),
        Case(
            "order_dates_either_way_read_day_first.csv",
            lambda p: (
                _HEADER + "01/02/2025,Acme Ltd,1200\r\n03/04/2025,Beta GmbH,800\r\n"
            ).encode(),
            rows=2,
            revenue=2000.0,
            dates=frozenset({"2025-02-01", "2025-04-03"}),
            order_asked=True,
            note="no date in the column tells whether the day or the month comes first",
        ),
        Case(
            "order_dates_one_says_day_first.csv",
            lambda p: (
                _HEADER + "25/03/2024,Acme Ltd,1200\r\n05/03/2024,Beta GmbH,800\r\n"
            ).encode(),
            rows=2,
            revenue=2000.0,
            dates=frozenset({"2024-03-25", "2024-03-05"}),
            order_asked=False,
        ),
    ]
