"""Files of a twenty-fifth round, found by generating workbooks whose values or parts are
written in ways the reader did not read as written: a sheet's relationship climbing out of its
folder and back in (refused as damaged), an .ods number cell storing no number beside the text
it shows (read as empty)."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER, text_sales
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet
from tests.hostile.guarded import sheet_at
from tests.hostile.round24_fuzz_cases import _ods_cell


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
            "opendocument_numbers_storing_no_number.ods",
            lambda p: valueless_ods(),
            rows=3,
            revenue=VALUELESS_REVENUE,
            names=frozenset(client for client, _ in VALUELESS),
        ),
    ]
