"""Excel exports read right to left in Hebrew (the language current when they are built)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from kam_core.export import to_excel_bytes
from kam_core.i18n import use_language

FRAME = pd.DataFrame({"לקוח": ['אלפא בע"מ', "Beta Ltd"], "הכנסות": [1200.5, 30.0]})


def _sheets(data: bytes) -> list:
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets


def test_in_hebrew_every_sheet_is_right_to_left():
    with use_language("he"):
        data = to_excel_bytes({"לקוחות": FRAME, "סיכום": FRAME.head(1)})
    sheets = _sheets(data)
    assert [ws.title for ws in sheets] == ["לקוחות", "סיכום"]
    assert all(ws.sheet_view.rightToLeft for ws in sheets)
    # The frame is written as given: headers and text cells unchanged, text as string cells.
    first = sheets[0]
    assert [c.value for c in first[1]] == ["לקוח", "הכנסות"]
    assert first["A2"].value == 'אלפא בע"מ' and first["A2"].data_type == "s"
    assert first["B2"].value == 1200.5


def test_in_english_sheets_are_left_to_right():
    with use_language("en"):
        data = to_excel_bytes({"Clients": FRAME})
    assert not _sheets(data)[0].sheet_view.rightToLeft


def test_the_caller_can_choose_the_direction_whatever_the_language():
    with use_language("en"):
        assert _sheets(to_excel_bytes({"Clients": FRAME}, rtl=True))[0].sheet_view.rightToLeft
    with use_language("he"):
        assert not _sheets(to_excel_bytes({"Clients": FRAME}, rtl=False))[0].sheet_view.rightToLeft
