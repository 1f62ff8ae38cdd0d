"""Workbooks of a twenty-third round: numbers whose value holds character references, an .xlsb
whose used range reaches a little past the bound on cells."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.case import Case
from tests.hostile.round22_workbook_cases import HEADER, SALES
from tests.hostile.tenth_cases import XlsbRow, xlsb

# Amounts as some generators escape them: spaces, a no-break space grouping thousands, digits
# written as references, after a formula too. By hand: 1,200 + 1,200 + 123.5 + 12 + 1,000.
REFERENCED = [
    ("Acme", "<v>&#32;1200&#32;</v>"),
    ("Beta", "<v>1&#160;200</v>"),
    ("Gamma", '<f>SUM(D4:E4)</f><v xml:space="preserve">&#x20;123.5</v>'),
    ("Delta", "<v>&#49;&#50;</v>"),
    ("Epsilon", "<v>1&#32;000</v>"),
]
REFERENCED_REVENUE = 1200 + 1200 + 123.5 + 12 + 1000


def referenced_numbers(rows: list[tuple[str, str]] = REFERENCED, typed: str = "") -> bytes:
    """Number cells (typed t="n" when typed says so) whose values hold character references."""
    out = [rz.rows_xml([(1, HEADER)])]
    for n, (client, value) in enumerate(rows, start=2):
        out.append(
            f'<row r="{n}">{rz.cell(f"A{n}", "2024-01-15")}{rz.cell(f"B{n}", client)}'
            f'<c r="C{n}"{typed}>{value}</c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))])


def declared_xlsb(far: list[XlsbRow] = ()) -> bytes:
    """The three sales in an .xlsb, the given rows after them, the used range declared as a
    writer declares it: from A1 to the last row and column holding a cell."""
    rows: list[XlsbRow] = [(0, list(enumerate(HEADER)))]
    for n, (day, client, amount) in enumerate(SALES, start=1):
        rows.append((n, [(0, day), (1, client), (2, float(amount))]))
    rows += far
    last_row = max(row for row, _ in rows)
    last_col = max(col for _, cells in rows for col, _ in cells)
    return xlsb(rows, dimension=(0, last_row, 0, last_col))


# A stray value at DKJ17001: 17,001 rows x 3,000 columns = 51,003,000 cells, past the bound of
# 50,000,000 but within the reader's memory (read in 4.7 s).
FAR_ROW, FAR_COL = 17_000, 2_999


def round23_workbook_cases() -> list[Case]:
    return [
        Case(
            "numbers_with_character_references.xlsx",
            lambda p: referenced_numbers(),
            rows=5,
            revenue=REFERENCED_REVENUE,
            names=frozenset(client for client, _ in REFERENCED),
        ),
        Case(
            "xlsb_range_a_little_past_the_bound.xlsb",
            lambda p: declared_xlsb([(FAR_ROW, [(FAR_COL, 1.0)])]),
            "its cells reach DKJ17001",
        ),
    ]
