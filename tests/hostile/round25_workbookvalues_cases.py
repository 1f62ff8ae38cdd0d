"""Files of a twenty-fifth round, found by generating workbooks whose values or parts are
written in ways the reader did not read as written: a sheet's relationship climbing out of its
folder and back in (refused as damaged), an .ods number cell storing no number beside the text
it shows (read as empty), a number whose value holds an element (read up to it: 12<x/>00 as 12),
a cell of two values (the last read), a date or amount that is no finite number (a NaN serial
shown as 1899-12-30, 1e400 as inf or as a missing date)."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER, text_sales
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet
from tests.hostile.guarded import sheet_at
from tests.hostile.later_cases import STYLES
from tests.hostile.round23_workbook_cases import referenced_numbers
from tests.hostile.round24_fuzz_cases import _ods_cell

DATES = STYLES.replace('numFmtId="31"', 'numFmtId="14"').encode()  # style 1: a short date


def sales_rows() -> str:
    """The header and three sales (Firm 1-3: 10 + 20 + 30) as sheet rows."""
    return rz.rows_xml(list(enumerate([HEADER, *text_sales(3)], start=1)))


# Number cells of an .ods typed as numbers without their stored number, as some generators
# write them (LibreOffice shows the text): 1,200.50 + 12 + 100 (stored 100 before, the two rows
# rejected as missing their revenue).
VALUELESS = [
    ("Acme", '<table:table-cell office:value-type="float"><text:p>1,200.50</text:p>'),
    ("Beta", '<table:table-cell office:value-type="currency" office:currency="USD"><text:p>12'),
    ("Gamma", '<table:table-cell office:value-type="float" office:value="100"><text:p>100'),
]
VALUELESS_REVENUE = 1312.5


def valueless_ods(cells: list[tuple[str, str]] = VALUELESS) -> bytes:
    """An .ods of sales whose amount cells are given as their start tag and text."""
    rows = [[_ods_cell("Date"), _ods_cell("Client"), _ods_cell("Amount")]]
    for n, (client, amount) in enumerate(cells, start=5):
        closed = amount if amount.endswith("</text:p>") else amount + "</text:p>"
        rows.append([_ods_cell(f"2024-01-0{n}"), _ods_cell(client), closed + "</table:table-cell>"])
    return ods_sheet("".join(f"<table:table-row>{''.join(r)}</table:table-row>" for r in rows))


# Number cells whose value holds an element, as a generator's template left it: the rows
# rejected showing the value as written, the plain one stored (stored 12 + 1 + 800 before).
ELEMENTS = [
    ("Element Ltd", "<v>12<x/>00</v>"),
    ("Wrapped Ltd", "<f>B1</f><v>1<span>5</span>00</v>"),
    ("Plain Ltd", "<v>800</v>"),
]


def dated_values(rows: list[tuple[str, str, str]]) -> bytes:
    """Sales (client, order date's serial as written, amount as written), the date cells in
    Excel's short date format, which the reader turns into dates."""
    out = [rz.rows_xml([(1, HEADER)])]
    for n, (client, day, amount) in enumerate(rows, start=2):
        out.append(
            f'<row r="{n}"><c r="A{n}" s="1"><v>{day}</v></c>{rz.cell(f"B{n}", client)}'
            f'<c r="C{n}"><v>{amount}</v></c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))], [rz.deflated("xl/styles.xml", DATES)])


# Dates and amounts that are no finite number: each row rejected with the value as written.
NOT_FINITE = [
    ("Nan Ltd", "NaN", "100"),
    ("Far Ltd", "1e400", "100"),
    ("Huge Ltd", "45296", "1e400"),
    ("Good Ltd", "45296", "250"),
]


def round25_workbookvalues_cases() -> list[Case]:
    return [
        Case(
            "sheet_target_climbing_out_of_its_folder_and_back.xlsx",
            lambda p: sheet_at(
                "xl/worksheets/sheet1.xml", "../xl/worksheets/sheet1.xml", sales_rows()
            ),
            rows=3,
            revenue=60.0,
            names=frozenset({"Firm 1", "Firm 2", "Firm 3"}),
        ),
        Case(
            "sheet_target_climbing_out_of_the_package.xlsx",
            lambda p: sheet_at(
                "xl/worksheets/sheet1.xml", "../../xl/worksheets/sheet1.xml", sales_rows()
            ),
            "damaged",
        ),
        Case(
            "numbers_holding_an_element.xlsx",
            lambda p: referenced_numbers(ELEMENTS),
            rows=1,
            rejected=2,
            revenue=800.0,
            reason="revenue is not an amount",
            value="12<x/>00",
        ),
        Case(
            "cell_with_two_values.xlsx",
            lambda p: referenced_numbers([("Two Ltd", "<v>5</v><v>7</v>"), ("Plain", "<v>8</v>")]),
            "gives cell C2 two values",
        ),
        Case(
            "dates_and_amounts_not_finite.xlsx",
            lambda p: dated_values(NOT_FINITE),
            rows=1,
            rejected=3,
            revenue=250.0,
            value="NaN",
            reason="order date is not a date",
        ),
        Case(
            "opendocument_numbers_storing_no_number.ods",
            lambda p: valueless_ods(),
            rows=3,
            revenue=VALUELESS_REVENUE,
            names=frozenset(client for client, _ in VALUELESS),
        ),
    ]
