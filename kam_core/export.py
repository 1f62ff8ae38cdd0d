"""Excel and CSV exports that no spreadsheet runs as formulas: string cells in Excel, an
apostrophe in front of formula-like text in CSV.

The frames are written as given: the caller names the sheets and headers in the user's language.
In a right-to-left language the Excel sheets read from the right (column A on the right).
"""

from __future__ import annotations

import io
import numbers
import re
import tempfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from kam_core.i18n import _, fmt_number, is_rtl

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Rows of one sheet in an Excel download: the writer takes about 10-20 microseconds a cell, so
# a million rejected rows of six columns held the process for two minutes. CSV has every row.
EXCEL_ROWS = 100_000


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe (CSV only)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as formulas when read as CSV."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def sheet_name(text: str) -> str:
    """Make a valid Excel sheet name: no [ ] : * ? / \\, no edge apostrophes, 31 characters."""
    cleaned = _SHEET_FORBIDDEN.sub("-", str(text))[:31].strip("'")
    return cleaned or "Sheet"


def _write_cell(sheet: Any, row: int, col: int, value: object, formats: dict[str, Any]) -> None:
    """Write one value with the cell type that keeps it exactly: text always as a string cell."""
    if isinstance(value, str):
        # A string cell is never evaluated, so "+972-50-1111111" or "=1+1" stay as written.
        sheet.write_string(row, col, value)
    elif value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return
    elif isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value))
    elif isinstance(value, numbers.Real | Decimal):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        sheet.write_datetime(row, col, stamp.to_pydatetime(), formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    else:
        sheet.write_string(row, col, str(value))


def to_excel_bytes(
    sheets: dict[str, pd.DataFrame], rtl: bool | None = None, max_rows: int | None = None
) -> bytes:
    """Write frames as sheets of one .xlsx file: text as string cells, never as formulas.

    Text is written exactly as it is (no apostrophe in front): a string cell is never
    evaluated, so a phone number such as +972-50-1111111 survives. CSV has no cell types and
    keeps the apostrophe (to_csv_bytes). rtl (by default: the current language reads right to
    left) makes every sheet right to left. With max_rows (downloads that have a CSV beside
    them: EXCEL_ROWS) a sheet holds its first max_rows rows and a last line says how many more
    the CSV has.
    """
    if rtl is None:
        rtl = is_rtl()
    buffer = io.BytesIO()
    # Row by row, each row written out as it is done: memory stays flat whatever the size.
    options = {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "nan_inf_to_errors": True}
    book = xlsxwriter.Workbook(buffer, options)
    formats = {
        "header": book.add_format({"bold": True}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    }
    for name, frame in sheets.items():
        sheet = book.add_worksheet(sheet_name(name))
        if rtl:
            sheet.right_to_left()
        for col, label in enumerate(frame.columns):
            sheet.write_string(0, col, str(label), formats["header"])
        shown = frame if max_rows is None else frame.iloc[:max_rows]
        columns = [shown.iloc[:, i].astype(object).tolist() for i in range(shown.shape[1])]
        for row, values in enumerate(zip(*columns, strict=True), start=1):
            for col, value in enumerate(values):
                _write_cell(sheet, row, col, value, formats)
        if max_rows is not None and len(frame) > max_rows:
            more = _(
                "{count} more rows are not in this file (it holds the first {limit}); the CSV "
                "download has every row."
            ).format(count=fmt_number(len(frame) - max_rows), limit=fmt_number(max_rows))
            sheet.write_string(max_rows + 1, 0, more)
    book.close()
    return buffer.getvalue()


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Write a frame as UTF-8 CSV with a BOM (Excel then reads Hebrew and Russian correctly)."""
    # CRLF rows, as Excel writes them; it also makes the writer quote any cell holding a
    # carriage return, which a spreadsheet would otherwise read as the start of a new row.
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
