"""Codes an .xlsx stores as numbers and shows with leading zeros are read as shown."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from kam_core.config import ImportLimits
from kam_core.ingest.read import read_here


def workbook(formats: dict[str, str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Order Date", "Client ID", "Client Name", "Order", "Revenue"])
    sheet.append([dt.date(2024, 1, 5), 123, "Acme", 45, 100])
    sheet.append([dt.date(2024, 1, 6), 77, "Beta", 46, 123])
    for column, code in formats.items():
        for row in (2, 3):
            sheet[f"{column}{row}"].number_format = code
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes, column: int) -> list[str]:
    grid = read_here(data, "erp.xlsx", ImportLimits()).sheets[0]
    return grid.table.column(column).to_pylist()[1:]


def test_a_code_formatted_with_zeros_reads_as_excel_shows_it():
    data = workbook({"B": "000000", "D": '"SO-"0000'})
    assert cells(data, 1) == ["000123", "000077"]
    assert cells(data, 3) == ["SO-0045", "SO-0046"]
    assert cells(data, 4) == ["100", "123"]  # amounts keep their number


def test_a_workbook_without_such_a_format_is_read_as_before():
    data = workbook({"E": "#,##0.00"})
    assert cells(data, 1) == ["123", "77"]
    assert cells(data, 4) == ["100", "123"]


def test_the_same_sales_from_the_workbook_and_its_csv_are_stored_once(tmp_path, capsys):
    import json

    from tests.integration.commands import kam_here

    book = tmp_path / "erp.xlsx"
    book.write_bytes(workbook({"B": "000000", "D": "0000"}))
    text = tmp_path / "erp.csv"
    text.write_text(
        "Order Date,Client ID,Client Name,Order,Revenue\n"
        "05/01/2024,000123,Acme,0045,100\n06/01/2024,000077,Beta,0046,123\n"
    )
    db = tmp_path / "kam.duckdb"
    code, out, err = kam_here(capsys, db, "import", str(book), "--json")
    assert code == 0, err
    assert json.loads(out)["rows_imported"] == 2
    code, out, err = kam_here(capsys, db, "import", str(text), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["rows_imported"] == 0 and report["rows_duplicate"] == 2


def test_a_workbook_read_beside_the_scan_is_padded_too():
    from kam_core.ingest import read_file

    # Workbooks from a few megabytes on are scanned and read by two children side by side.
    limits = ImportLimits(read_beside_bytes=1_000)
    grid = read_file(workbook({"B": "000000"}), "erp.xlsx", limits).sheets[0]
    assert grid.table.column(1).to_pylist()[1:] == ["000123", "000077"]
