"""Workbooks shaped like real exports, with answers computed by hand, for page and browser tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

# A Hebrew quarterly report: title, print date, blank line, Hebrew headers, text dates written
# day first, shekel amounts with thousands separators, a subtotal, a bad date and a grand total.
HEBREW_ROWS = [
    ("15/01/2024", "1001", 'אלקטרה בע"מ', "₪ 12,500.00", "דנה כהן"),
    ("20/01/2024", "1002", "Acme Ltd", "3,000", "דנה כהן"),
    ("05/02/2024", "1001", 'אלקטרה בע"מ', "(500)", "דנה כהן"),
    ("31/02/2024", "1003", "Beta Works", "1,000", "יוסי לוי"),  # no such date: rejected
    ("13/03/2024", "1003", "Beta Works", "7,250.50", "יוסי לוי"),
]
HEBREW_EXPECTED = {
    "rows_imported": 4,
    "rows_rejected": 1,
    "rows_skipped": 3,  # blank row inside the data, subtotal, grand total
    "clients": 3,
    "revenue": 12500.0 + 3000.0 - 500.0 + 7250.5,
    "header_row": 4,
    "bad_row": 9,
}


def hebrew_quarterly_report(path: Path) -> Path:
    """Write the Hebrew quarterly report with an instructions sheet before it."""
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "הוראות"
    info["A1"] = "דוח מכירות רבעוני - נא לא לשנות את המבנה"
    ws = wb.create_sheet("מכירות Q1")
    ws["A1"] = "דוח מכירות רבעון 1 2024"
    ws["A2"] = f"הודפס: {dt.date(2024, 4, 2):%d/%m/%Y}"
    ws.append([])
    ws.append(["תאריך", "מספר לקוח", "שם לקוח", "סכום", "סוכן"])
    for row in HEBREW_ROWS[:3]:
        ws.append(list(row))
    ws.append([None, None, 'סה"כ ינואר-פברואר', "15,000", None])
    ws.append(list(HEBREW_ROWS[3]))
    ws.append([])
    ws.append(list(HEBREW_ROWS[4]))
    ws.append([None, None, 'סה"כ', "23,250.50", None])
    wb.save(path)
    return path
