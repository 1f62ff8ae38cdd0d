"""Workbooks of a twenty-third round: numbers whose value holds character references, an .xlsb
whose used range reaches a little past the bound on cells, an OpenDocument sheet's failing
formulas stored as bare numbers without LibreOffice's mark."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet
from tests.hostile.round22_workbook_cases import HEADER, SALES, _ods_text
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


def _unmarked(shown: str, value: str = "0", kind: str = "float", formula: bool = True) -> str:
    """A number cell showing text, as writers without LibreOffice's error mark save a formula
    whose result is an error: the number stored beside the error shown, no calcext type."""
    made = ' table:formula="of:=[.C2]/0"' if formula else ""
    return (
        f'<table:table-cell{made} office:value-type="{kind}" office:value="{value}">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


def ods_unmarked_errors() -> bytes:
    """One sale, three formulas failing (#DIV/0!, Err:502, #N/A as a currency), a formula whose
    number shows as a number, and a number without a formula showing '#N/A' (a format's text)."""
    amounts = [
        _unmarked("1200", "1200", formula=False),
        _unmarked("#DIV/0!"),
        _unmarked("Err:502"),
        _unmarked("#N/A", kind="currency"),
        _unmarked("300.00", "300"),
        _unmarked("#N/A", "50", formula=False),
    ]
    rows = "<table:table-row>" + "".join(_ods_text(h) for h in HEADER) + "</table:table-row>"
    for n, amount in enumerate(amounts):
        day, client = f"2024-01-{15 + n:02d}", f"Client {n}"
        rows += f"<table:table-row>{_ods_text(day)}{_ods_text(client)}{amount}</table:table-row>"
    return ods_sheet(rows)


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
        Case(
            "formulas_failing_in_opendocument_unmarked.ods",
            lambda p: ods_unmarked_errors(),
            rows=3,
            rejected=3,
            revenue=1550.0,
            reason="revenue is an Excel error value",
            value="Err:502",
        ),
    ]
