"""An OpenDocument sheet's formulas whose results are errors reject their rows naming the error,
as an .xlsx's error cells do; LibreOffice stores 0 beside the error it shows, and those amounts
were stored as 0 (or read as missing) without a word."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from tests.hostile import rawzip as rz
from tests.hostile.round22_workbook_cases import HEADER, ods_error_results


def test_each_failed_formula_rejects_its_row_with_the_error_it_shows(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, ods_error_results(), "errors.ods")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 5)
    assert counts.revenue == 1200.0
    rejected = parsed.rejected.sort_values("row")
    assert list(rejected["row"]) == [3, 4, 5, 6, 7]
    assert list(rejected["value"]) == ["#DIV/0!", "#VALUE!", "Err:502", "#N/A", "#DIV/0!"]
    assert set(rejected["reason"]) == {"revenue is an Excel error value; fix the formula"}
    stored = conn.execute("SELECT count(*) FROM sales WHERE revenue = 0").fetchone()[0]
    assert stored == 0


@pytest.mark.parametrize("code", ["#DIV/0!", "#N/A"])
def test_the_xlsx_of_the_same_errors_gives_the_same_rows(tmp_path, code):
    rows = rz.rows_xml([(1, HEADER), (2, ["2024-01-15", "Client 0", 1200])])
    rows += rz.rows_xml([(3, ["2024-01-16", "Client 1", code])])  # t="e", as Excel writes it
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _ = import_file(conn, rz.xlsx([("Sales", rz.sheet_xml(rows))]), "e.xlsx")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)
    assert list(parsed.rejected["value"]) == [code]
    assert list(parsed.rejected["reason"]) == ["revenue is an Excel error value; fix the formula"]


def test_libreoffice_error_numbers_in_a_csv_are_named_as_errors(tmp_path):
    data = b"Order Date,Customer,Amount\n2024-01-15,Acme,10\n2024-01-16,Beta,Err:504\n"
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _ = import_file(conn, data, "lo.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)
    assert list(parsed.rejected["reason"]) == ["revenue is an Excel error value; fix the formula"]
