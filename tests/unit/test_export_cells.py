"""Excel exports keep real values intact: formula-looking text is a string cell, as written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kam_core.export import to_csv_bytes, to_excel_bytes


def cells_of(frame: pd.DataFrame) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Contacts": frame})))
    return list(book.active["A"][1:])


@pytest.mark.parametrize(
    "text",
    ["+972-50-1111111", "-5%", "=SUM(A1:A3)", "@home", "=cmd|' /C calc'!A0", "- a dash list"],
)
def test_formula_looking_text_is_a_string_cell_with_the_exact_value(text):
    (cell,) = cells_of(pd.DataFrame({"phone": [text]}))
    assert cell.data_type == "s"
    assert cell.value == text


def test_a_phone_number_in_csv_keeps_the_apostrophe_a_spreadsheet_needs():
    lines = to_csv_bytes(pd.DataFrame({"phone": ["+972-50-1111111"]})).decode("utf-8-sig")
    assert lines.splitlines()[1] == "'+972-50-1111111"


def test_values_of_every_kind_keep_their_cell_type():
    frame = pd.DataFrame(
        {
            "value": pd.Series(
                [
                    12.5,
                    np.int64(-3),
                    Decimal("1.25"),
                    True,
                    dt.date(2026, 11, 30),
                    pd.Timestamp("2026-11-30 14:05:00"),
                    pd.Timestamp("2026-11-30 14:05:00", tz="UTC"),
                    None,
                    float("nan"),
                    pd.NaT,
                    "text",
                ],
                dtype=object,
            )
        }
    )
    cells = cells_of(frame)
    assert [c.value for c in cells[:4]] == [12.5, -3, 1.25, True]
    assert [c.data_type for c in cells[:4]] == ["n", "n", "n", "b"]
    assert cells[4].value == dt.datetime(2026, 11, 30)
    assert cells[5].value == cells[6].value == dt.datetime(2026, 11, 30, 14, 5)
    assert [c.value for c in cells[7:10]] == [None, None, None]
    assert cells[10].value == "text"


def test_a_string_column_with_missing_values_leaves_them_empty():
    cells = cells_of(pd.DataFrame({"phone": pd.array(["+1", None, "-2"], dtype="string")}))
    assert [c.value for c in cells] == ["+1", None, "-2"]
