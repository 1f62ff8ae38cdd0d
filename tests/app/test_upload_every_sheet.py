"""The Upload page: a workbook of a sheet a month, every sheet imported at once."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import xlsxwriter

from tests.support.apptest import app_at, texts

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def month_workbook() -> tuple[bytes, float]:
    """Jan, Feb and Mar: a title, the header on row 3, five sales and a total each; the sum."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    days = book.add_format({"num_format": "dd/mm/yyyy"})
    total = 0.0
    for month, name in ((1, "Jan"), (2, "Feb"), (3, "Mar")):
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, f"Sales {name} 2026")
        sheet.write_row(2, 0, ["Date", "Customer", "Amount"])
        for day in range(1, 6):
            amount = 100.0 * month + day
            total += amount
            sheet.write_datetime(2 + day, 0, dt.datetime(2026, month, day), days)
            sheet.write_row(2 + day, 1, [f"Client {day % 2}", amount])
        sheet.write_row(8, 0, ["Total", None, sum(100.0 * month + d for d in range(1, 6))])
    book.add_worksheet("Notes").write(0, 0, "nothing to import here")
    book.close()
    return buffer.getvalue(), total  # 3,045 by hand: 5 x (100 + 200 + 300) + 3 x 15


def test_every_month_sheet_is_imported_at_once_each_as_its_own_import(fresh_db):
    data, total = month_workbook()
    assert total == 3_045.0
    at = app_at("upload")
    at.file_uploader[0].set_value(("q1.xlsx", data, MIME))
    at.run()
    assert not at.exception
    assert any("2 other sheets hold sales columns too" in w.value for w in at.warning)
    (box,) = [c for c in at.checkbox if "other sheets with sales columns" in c.label]
    box.check()
    at.run()
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    shown = texts(at).replace("\\", "")  # the result is shown escaped, as typed
    assert "Sheet 'Jan': Import #1: 5 new rows" in shown
    assert "Sheet 'Feb': Import #2: 5 new rows" in shown
    assert "Sheet 'Mar': Import #3: 5 new rows" in shown
    # The months of every sheet are reconciled, not the first sheet's alone.
    (months,) = [d.value for d in at.dataframe if "file_revenue" in d.value.columns]
    assert list(months["file_revenue"]) == [515.0, 1_015.0, 1_515.0]
    conn = duckdb.connect(str(fresh_db))
    try:
        rows, revenue, sheets = conn.execute(
            "SELECT count(*), sum(revenue), (SELECT count(*) FROM uploads) FROM sales"
        ).fetchone()
    finally:
        conn.close()
    assert (rows, revenue, sheets) == (15, total, 3)
