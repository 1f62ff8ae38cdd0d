"""Hostile files of a sixth round: shared text named by values that are not numbers, or in
single quotes; a header repeated with its columns in another order."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.case import Case
from tests.hostile.later_cases import HEADER


def shared_by(indexes: list[str], quote: str = '"', length: int = 0) -> bytes:
    """One row per index: a date, the client as shared text named by that index, an amount.

    Shared string 0 is "500" (or `length` characters when given), 1 "Beta", 2 "Gamma".
    """
    rows = [rz.rows_xml([(1, HEADER)])]
    for i, index in enumerate(indexes):
        r = i + 2
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-01-05</t></is></c>'
            f'<c r="B{r}" t={quote}s{quote}><v>{index}</v></c><c r="C{r}"><v>{r}</v></c></row>'
        )
    first = "N" * length if length else "500"
    strings = rz.shared_strings([first, "Beta", "Gamma"])
    return rz.xlsx([("Sales", rz.sheet_xml("".join(rows)))], [strings])


def wider_after_the_sample(rows: int, extra: str) -> bytes:
    """60 rows as wide as the header, then rows ending in one more field (extra: its value)."""
    lines = ["Order Date,Client ID,Client Name,Revenue"]
    lines += [f"2024-01-05,C{k},Name {k},{k}" for k in range(60)]
    lines += [
        f"2024-01-{k % 28 + 1:02d},C{k % 900},Name {k % 900},{k % 1000},{extra}"
        for k in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def sixth_cases() -> list[Case]:
    """Cases found by attacking the import with files of a sixth kind."""
    return [
        # The reader takes any shared-text index but digits as string 0, without a word: a
        # client "500" stored for Beta, and a bound on repeated text bypassed (3 GB).
        Case(
            "shared_index_not_a_number.xlsx",
            lambda p: shared_by(["1", "1.0", "+2"]),
            "cell B3 refers to shared text by '1.0'",
        ),
        Case(
            "shared_index_x_in_25000_cells.xlsx",
            lambda p: shared_by(["x"] * 25_000, length=30_000),
            "refers to shared text by 'x'",
        ),
        Case(
            "shared_text_in_single_quotes_15000_cells.xlsx",
            lambda p: shared_by(["0"] * 15_000, quote="'", length=30_000),
            "repeat shared text",
        ),
        Case("shared_index_digits.xlsx", lambda p: shared_by(["1", "2", "01"]), rows=3),
        # Past the sample of the first lines, rows with one field more (a trailing separator,
        # a column without a header) were split by hand: a million filled 2 GB and were refused.
        Case(
            "trailing_separator_after_the_sample.csv",
            lambda p: wider_after_the_sample(30_000, ""),
            rows=30_060,
        ),
        Case(
            "unlabelled_value_after_the_sample.csv",
            lambda p: wider_after_the_sample(100_000, "x"),
            rows=60,
            rejected=100_000,
            reason="beyond the header's last column",
        ),
    ]
