"""Excel and CSV exports; cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import io
import re

import pandas as pd

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as formulas."""
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


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Write frames as sheets of one .xlsx file, text written as text, never as formulas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=sheet_name(name), index=False)
    return buffer.getvalue()


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Write a frame as UTF-8 CSV with a BOM (Excel then reads Hebrew and Russian correctly)."""
    # CRLF rows, as Excel writes them; it also makes the writer quote any cell holding a
    # carriage return, which a spreadsheet would otherwise read as the start of a new row.
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
