"""Files of a twenty-fourth round, on the CSV import's speed: a column of clients long enough
to be searched for total labels value by value, whose dated monthly totals are still left out
(each sums the block it closes)."""

from __future__ import annotations

from tests.hostile.case import Case

_BLOCKS = 70  # 70,000 lines: past the length from which a repeating column is matched by value
_LINES = 999  # sales of 1.00 in each block, closed by a dated total of 999.00


def _dated_monthly_totals() -> bytes:
    """70 blocks of 999 sales of 1.00 to 50 clients, each closed by a dated 'Total'."""
    lines = ["Order Date,Customer,Amount"]
    for block in range(_BLOCKS):
        month = block % 12 + 1
        for i in range(_LINES):
            lines.append(f"2024-{month:02d}-{i % 28 + 1:02d},Client {(block + i) % 50 + 1},1.00")
        lines.append(f"2024-{month:02d}-28,Total,{_LINES}.00")
    return ("\n".join(lines) + "\n").encode()


def round24_csvspeed_cases() -> list[Case]:
    return [
        Case(
            "seventy_thousand_lines_dated_monthly_totals.csv",
            lambda p: _dated_monthly_totals(),
            rows=_BLOCKS * _LINES,
            revenue=float(_BLOCKS * _LINES),
            names=frozenset(f"Client {k}" for k in range(1, 51)),
        ),
    ]
