"""Workbooks of a twenty-seventh round, on cell positions: rows and cells whose positions no
sheet can have (`<row r="-1">`, `<c r="C-4">`) were refused in the reader's words ("Expecting
alphanumeric character, got 2D"), and positions written absolute (`$A$2`) refused so too."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.case import Case

HEADER = ["Order Date", "Customer", "Amount"]


def _sales_rows(last: str) -> str:
    """The header and two sales as sheet rows, then the row given as XML."""
    rows = rz.rows_xml(
        [(1, HEADER), (2, ["2024-01-05", "Acme", 100]), (3, ["2024-01-06", "Beta", 5])]
    )
    return rows + last


def sheet_with(last: str) -> bytes:
    """An .xlsx of the two sales and a last row written as given."""
    return rz.xlsx([("Sales", rz.sheet_xml(_sales_rows(last)))])


def _row(number: str, refs: tuple[str, str, str] = ("A4", "B4", "C4")) -> str:
    values = ("2024-01-07", "Gamma", 7)
    cells = "".join(rz.cell(ref, value) for ref, value in zip(refs, values, strict=True))
    return f'<row r="{number}">{cells}</row>'


def absolute_positions(far: bool = False) -> bytes:
    """Every cell's position written absolute, as a formula writes a reference ($A$2, $B2);
    far: one more cell at $XFD$1048576."""
    out = [rz.rows_xml([(1, HEADER)])]
    for n, (day, client, amount) in enumerate(
        [("2024-01-05", "Acme", 100), ("2024-01-06", "Beta", 5)], 2
    ):
        cells = rz.cell(f"$A${n}", day) + rz.cell(f"$B{n}", client) + rz.cell(f"C${n}", amount)
        out.append(f'<row r="{n}">{cells}</row>')
    if far:
        out.append('<row r="1048576"><c r="$XFD$1048576"><v>1</v></c></row>')
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))])


def round27_positions_cases() -> list[Case]:
    return [
        Case(
            "row_numbered_minus_one.xlsx",
            lambda p: sheet_with(_row("-1")),
            "the row after row 3 is numbered '-1'",
        ),
        Case(
            "first_row_numbered_zero.xlsx",
            lambda p: rz.xlsx([("Sales", rz.sheet_xml(_row("0", ("A1", "B1", "C1"))))]),
            "its first row is numbered '0'",
        ),
        Case(
            "row_numbered_in_letters.xlsx",
            lambda p: sheet_with(_row("abc")),
            "the row after row 3 is numbered 'abc'",
        ),
        Case(
            "cell_position_with_a_negative_row.xlsx",
            lambda p: sheet_with(_row("4", ("A4", "B4", "C-4"))),
            "a cell of row 4 has its place written 'C-4'",
        ),
        Case(
            "cell_positions_written_absolute.xlsx",
            lambda p: absolute_positions(),
            rows=2,
            revenue=105.0,
            names=frozenset({"Acme", "Beta"}),
        ),
        Case(
            "cell_position_written_absolute_far_away.xlsx",
            lambda p: absolute_positions(far=True),
            "its cells reach XFD1048576",
        ),
    ]
