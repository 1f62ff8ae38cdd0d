"""Workbooks of a twenty-second round on workbooks: inline text written as a value, numbers
written with spaces after a formula or with attributes of their own."""

from __future__ import annotations

from xml.sax.saxutils import escape

from tests.hostile import rawzip as rz
from tests.hostile.case import Case

HEADER = ["Order Date", "Customer", "Amount"]
# Three sales: 1,200 + 0 + 123.50 = 1,323.50.
SALES = [
    ("2024-01-15", "Smith & Sons <Ltd>", "1200"),
    ("2024-02-20", "Beta GmbH", "0"),
    ("2024-03-05", "Gamma Co", "123.5"),
]
NAMES = frozenset(client for _, client, _ in SALES)


def _inline_value(ref: str, text: str, quote: str = '"') -> str:
    return f"<c r={quote}{ref}{quote} t={quote}inlineStr{quote}><v>{escape(text)}</v></c>"


def inline_text_as_values(rows: list[tuple[str, str, str]] = SALES) -> bytes:
    """Every text cell typed inline text with its text in <v> (no <is>), as some generators
    write it; the header in single quotes."""
    head = "".join(_inline_value(f"{rz.column(i)}1", h, "'") for i, h in enumerate(HEADER))
    out = [f'<row r="1">{head}</row>']
    for n, (day, client, amount) in enumerate(rows, start=2):
        out.append(
            f'<row r="{n}">{_inline_value(f"A{n}", day)}'
            f'<c r="B{n}" s="0" t="inlineStr" ><v xml:space="preserve">{escape(client)}</v></c>'
            f'<c r="C{n}"><v>{amount}</v></c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))])


def spaced_numbers() -> bytes:
    """Number cells typed as such (t="n", as openpyxl writes them) whose amounts have spaces
    around them: after the cell's formula (a saved result, a shared formula) and in a value
    keeping its spaces (xml:space)."""
    values = [
        "<f>SUM(D2:E2)</f><v> 1200 </v>",
        '<f t="shared" ref="C3:C4" si="0">SUM(D3:E3)</f><v> 0 </v>',
        '<f t="shared" si="0"/><v xml:space="preserve">\n123.5\n</v>',
    ]
    out = [rz.rows_xml([(1, HEADER)])]
    for n, ((day, client, _), value) in enumerate(zip(SALES, values, strict=True), start=2):
        out.append(
            f'<row r="{n}">{rz.cell(f"A{n}", day)}{rz.cell(f"B{n}", client)}'
            f'<c r="C{n}" t="n">{value}</c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))])


def round22_workbook_cases() -> list[Case]:
    return [
        Case(
            "inline_text_written_as_values.xlsx",
            lambda p: inline_text_as_values(),
            rows=3,
            revenue=1323.5,
            names=NAMES,
        ),
        Case(
            "numbers_with_spaces_after_formulas.xlsx",
            lambda p: spaced_numbers(),
            rows=3,
            revenue=1323.5,
            names=NAMES,
        ),
    ]
