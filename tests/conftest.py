"""Shared fixtures: workbooks and CSV files written the way real exports write them, and a
DuckDB file in a temporary folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import xlwt

from kam_core.store import connect

Row = Sequence[object]
Sheets = dict[str, list[Row]]

SALES_HEADER = ["Order Date", "Customer", "Amount", "Sales Rep"]


def quarter_rows(months: Sequence[int], year: int = 2024) -> list[list[object]]:
    """Three sales lines per month: Acme, Beta and Gamma on days 5, 12 and 20."""
    rows: list[list[object]] = []
    for month in months:
        rows.append([dt.date(year, month, 5), "Acme", 100.0 * month, "Dana"])
        rows.append([dt.date(year, month, 12), "Beta", 10.0 * month, "Ori"])
        rows.append([dt.date(year, month, 20), "Gamma", 1.0 * month, "Dana"])
    return rows


def write_xlsx(
    path: Path,
    sheets: Sheets,
    merged: dict[str, list[str]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """Write sheets of rows (None = empty cell, [] = blank row) as an .xlsx file with openpyxl."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as exports store it
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def write_xls(path: Path, sheets: Sheets) -> Path:
    """Write sheets as a legacy binary .xls file with xlwt; dates get a dd/mm/yyyy format."""
    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: Sheets) -> Path:
    """Write sheets as an OpenDocument spreadsheet with pandas and odfpy (no header row added)."""
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max(len(r) for r in rows)
            padded = [[*r, *[None] * (width - len(r))] for r in rows]
            pd.DataFrame(padded).to_excel(writer, sheet_name=name, index=False, header=False)
    return path


def write_csv(path: Path, rows: list[Row], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """Write rows as delimited text in the given encoding (utf-8-sig adds the BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if v is None else v for v in row] for row in rows
    )
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_xlsx({"Sales": rows}, name="x.xlsx", merged={...}, hidden=[...])."""

    def make(sheets: Sheets, name: str = "sales.xlsx", **kwargs: object) -> Path:
        return write_xlsx(tmp_path / name, sheets, **kwargs)

    return make


@pytest.fixture
def make_xls(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_xls({"Sales": rows}, name="x.xls")."""

    def make(sheets: Sheets, name: str = "sales.xls") -> Path:
        return write_xls(tmp_path / name, sheets)

    return make


@pytest.fixture
def make_ods(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_ods({"Sales": rows}, name="x.ods")."""

    def make(sheets: Sheets, name: str = "sales.ods") -> Path:
        return write_ods(tmp_path / name, sheets)

    return make


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_csv(rows, encoding="cp1255", delimiter=";", name="x.csv")."""

    def make(
        rows: list[Row], encoding: str = "utf-8", delimiter: str = ",", name: str = "sales.csv"
    ) -> Path:
        return write_csv(tmp_path / name, rows, encoding, delimiter)

    return make


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Path of a fresh database file in the test's temporary folder."""
    return tmp_path / "kam.duckdb"


@pytest.fixture
def conn(db_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated connection to a real DuckDB file, closed after the test."""
    connection = connect(db_file)
    yield connection
    connection.close()


@pytest.fixture
def empty_view_cache() -> Iterator[None]:
    """The app's shared view cache empty before and after the test."""
    from ui import cache

    cache.clear()
    yield
    cache.clear()
