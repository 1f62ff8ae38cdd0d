"""Files of a twenty-fifth round, found by generating workbooks whose values or parts are
written in ways the reader did not read as written: a sheet's relationship climbing out of its
folder and back in (refused as damaged)."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER, text_sales
from tests.hostile.case import Case
from tests.hostile.guarded import sheet_at


def sales_rows() -> str:
    """The header and three sales (Firm 1-3: 10 + 20 + 30) as sheet rows."""
    return rz.rows_xml(list(enumerate([HEADER, *text_sales(3)], start=1)))


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
    ]
