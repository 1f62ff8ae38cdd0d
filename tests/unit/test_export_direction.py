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


def test_the_rejected_rows_workbook_in_hebrew_names_its_columns_in_hebrew_right_to_left():
    from kam_core.importing import rejected_workbook

    rejected = pd.DataFrame(
        {
            "sheet": ["מכירות Q1"],
            "row": [9],
            "column": ["A (תאריך)"],
            "value": ["31/02/2024"],
            "reason": ["תאריך ההזמנה אינו תאריך"],
            "תאריך": ["31/02/2024"],
        }
    )
    with use_language("he"):
        (sheet,) = _sheets(rejected_workbook(rejected))
    assert sheet.title == "שורות שנדחו" and sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    # The report's own columns translated; the file's column keeps its name.
    assert rows[0] == ("גיליון", "שורה", "עמודה", "ערך", "סיבה", "תאריך")
    assert rows[1] == (
        "מכירות Q1",
        9,
        "A (תאריך)",
        "31/02/2024",
        "תאריך ההזמנה אינו תאריך",
        "31/02/2024",
    )
    with use_language("en"):
        (english,) = _sheets(rejected_workbook(rejected))
    assert english.title == "Rejected rows" and not english.sheet_view.rightToLeft
    assert next(english.iter_rows(values_only=True))[:5] == (
        "sheet",
        "row",
        "column",
        "value",
        "reason",
    )


def test_a_download_made_outside_the_page_run_keeps_the_pages_language():
    # The browser asks for the file after the page's run: Hebrew must still read right to left.
    from ui.tables import excel_file

    with use_language("en"):
        hebrew = excel_file(lambda: FRAME, "לקוחות", "he")
        english = excel_file(lambda: FRAME, "clients", "en")
    assert _sheets(hebrew)[0].sheet_view.rightToLeft
    assert not _sheets(english)[0].sheet_view.rightToLeft
