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


def _column_book(values: list[int], formatted: set[int], code: str) -> bytes:
    """Column B of values, the rows (from 0) in formatted under code, the others plain."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Order Date", "Client ID", "Revenue"])
    for i, value in enumerate(values):
        sheet.append([dt.date(2024, 1, 1) + dt.timedelta(days=i), value, 10])
        if i in formatted:
            sheet.cell(row=i + 2, column=2).number_format = code
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_one_formatted_cell_in_a_column_of_plain_numbers_keeps_its_number():
    # Excel shows 'No. 100' in that one cell and sums it as 100: the column is amounts.
    data = _column_book([100, 200, 300, 400, 500], {0}, '"No. "000')
    assert cells(data, 1) == ["100", "200", "300", "400", "500"]


def test_a_code_column_with_a_few_plain_cells_is_still_padded():
    # 19 of 20 cells formatted "C"0000 (95%, over the 90% a code column needs).
    values = list(range(1, 21))
    data = _column_book(values, set(range(20)) - {7}, '"C"0000')
    assert cells(data, 1) == [f"C{v:04d}" for v in values]


def test_a_column_formatted_below_a_plain_start_is_padded_from_there():
    # The first cells plain (a header block), then every cell formatted 000000.
    data = _column_book([5, 6, 7, 8, 9, 10], {2, 3, 4, 5}, "000000")
    assert cells(data, 1) == ["5", "6", "000007", "000008", "000009", "000010"]


def test_a_code_column_of_a_sheet_larger_than_the_first_chunk_is_padded():
    # 15,000 rows: several megabytes of XML, more than the first chunk the formatted cells are
    # sampled from (the column was judged over four chunks against one: read as plain).
    values = list(range(1, 15_001))
    data = _column_book(values, set(range(15_000)), "000000")
    read = cells(data, 1)
    assert read[:2] == ["000001", "000002"] and read[-1] == "015000"
