"""Files of a twenty-third round, on the import's speed: a sheet large enough to be mapped
back from the reading worker, whose pages are let go before its rows are taken (the rows and
the rejected ones' lines are the file's all the same), and amounts whose doubt about a point
grouping thousands is settled past the first few thousand cells."""

from __future__ import annotations

from tests.hostile.case import Case

_ROWS = 150_000  # a sheet of over 4 MB: mapped from the worker's file, not read into memory


def _mapped_with_rejected_lines() -> bytes:
    """150,000 sales (client i % 50 + 1, 1.00 each), line 100,001 an unreadable amount."""
    lines = ["Order Date,Customer,Amount"]
    lines += [
        f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d},Client {i % 50 + 1},1.00" for i in range(_ROWS)
    ]
    lines[100_000] = "2024-03-05,Client 7,twelve"
    return ("\n".join(lines) + "\n").encode()


def _three_decimals(odd: str | None) -> bytes:
    """6,000 amounts of 1.500 (three digits after the point), one odd amount near the end."""
    lines = ["Order Date,Customer,Amount"]
    lines += [f"2024-01-{i % 28 + 1:02d},Client {i % 9},1.500" for i in range(6_000)]
    if odd is not None:
        lines[5_500] = f"2024-01-05,Client 3,{odd}"
    return ("\n".join(lines) + "\n").encode()


def round23_speed_cases() -> list[Case]:
    return [
        Case(
            "large_mapped_sheet_one_unreadable_amount.csv",
            lambda p: _mapped_with_rejected_lines(),
            rows=_ROWS - 1,
            rejected=1,
            reason="amount",
            value="twelve",
            revenue=float(_ROWS - 1),
        ),
        Case(
            "six_thousand_amounts_three_decimals_each.csv",
            lambda p: _three_decimals(None),
            rows=6_000,
            revenue=9_000.0,
            note="three digits after it (such as '1.500')",
        ),
        Case(
            "three_decimals_but_two_past_the_first_cells.csv",
            lambda p: _three_decimals("2.25"),
            rows=6_000,
            revenue=5_999 * 1.5 + 2.25,
        ),
    ]
