"""The demo sales as an ERP-style workbook export: a title, a print line, totals, three sheets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from kam_core.demo.sales import COLUMNS, HEADERS, REGION_MANAGERS, demo_sales

DEMO_WORKBOOK_NAME = "kam-demo-sales.xlsx"
EXCEL_EPOCH = np.datetime64("1899-12-30")  # Excel's day 0 (it counts 1900 as a leap year)
INSTRUCTIONS = (
    "KAM Analytics demo data",
    "An imitation of an ERP sales export: invented clients, products and people.",
    "Orders: one row per order line; returns are separate rows with negative amounts.",
    "People: the account managers who cover each region.",
    "Import this workbook in KAM Analytics to explore the dashboard.",
)


def _excel_serial(dates: pd.Series) -> list[float | None]:
    """Return Excel day serials (None for missing) so cells hold real dates cheaply."""
    days = (dates - pd.Timestamp(EXCEL_EPOCH)).dt.days
    return [None if pd.isna(d) else float(d) for d in days]


def _write_orders(wb: xlsxwriter.Workbook, df: pd.DataFrame) -> None:
    """Write the Orders sheet: title, print line, blank row, header, lines and a grand total."""
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0.00"})
    total = wb.add_format({"num_format": "#,##0.00", "bold": True})
    date_f = wb.add_format({"num_format": "dd/mm/yyyy"})
    fmts = {"revenue": money, "profit": money, "quantity": wb.add_format({"num_format": "#,##0"})}
    fmts |= dict.fromkeys(("order_date", "due_date", "ship_date"), date_f)
    ws = wb.add_worksheet("Orders")
    ws.write_string(0, 0, "Sales report 2023-2025", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, "Printed: 02/01/2026 08:15")  # fixed, so the file never changes
    ws.write_row(3, 0, [h for _, h in HEADERS], bold)
    cols = {c: df[c].tolist() for c in COLUMNS}
    for c in ("order_date", "due_date", "ship_date"):
        cols[c] = _excel_serial(df[c])
    for j, c in enumerate(COLUMNS):
        for i, v in enumerate(cols[c]):
            if v is None:
                continue  # blank cell: not shipped yet, or a return without delivery dates
            if isinstance(v, bool):
                ws.write_boolean(4 + i, j, v)
            elif isinstance(v, str):
                ws.write_string(4 + i, j, v)
            else:
                ws.write_number(4 + i, j, v, fmts.get(c))
    last = 4 + len(df)
    ws.write_string(last, 0, "Grand Total", bold)
    ws.write_number(last, COLUMNS.index("revenue"), round(df["revenue"].sum(), 2), total)
    ws.write_number(last, COLUMNS.index("profit"), round(df["profit"].sum(), 2), total)
    ws.write_number(last, COLUMNS.index("quantity"), float(df["quantity"].sum()), bold)
    ws.freeze_panes(4, 0)
    ws.set_column(0, len(COLUMNS) - 1, 14)
    ws.set_column(3, 3, 28)
    ws.set_column(7, 9, 22)


def in_language(frame: pd.DataFrame) -> pd.DataFrame:
    """The demo lines with their regions, segments and categories in the run's language."""
    from kam_core.demo.texts import DIMENSIONS, dimension_word

    out = frame.copy()
    for column in DIMENSIONS:
        words = {v: dimension_word(column, v) for v in out[column].unique()}
        out[column] = out[column].map(words)
    return out


def write_demo_workbook(path: str | Path) -> Path:
    """Write the demo dataset as an ERP-style .xlsx export and return its path; regions,
    segments and categories in the run's language (names of clients, people and products are
    data and stay)."""
    from kam_core.demo.texts import dimension_word

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    # A fixed creation time keeps the file byte-identical from run to run.
    wb.set_properties({"title": "Sales report 2023-2025", "created": datetime(2026, 1, 2, 8, 15)})
    bold = wb.add_format({"bold": True})
    info = wb.add_worksheet("Instructions")
    for r, text in enumerate(INSTRUCTIONS):
        info.write_string(r, 0, text, bold if r == 0 else None)
    _write_orders(wb, in_language(demo_sales()))
    people = wb.add_worksheet("People")
    people.write_row(0, 0, ("Region", "Manager"), bold)
    for r, (region, manager) in enumerate(REGION_MANAGERS, start=1):
        people.write_row(r, 0, (dimension_word("region", region), manager))
    people.set_column(0, 1, 18)
    wb.close()
    return path
