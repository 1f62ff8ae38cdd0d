"""Workbooks of a twenty-sixth round, generated in shapes not tried before: numbers written
with an exponent of three digits, shown in the reader's figures (1E+100 as 101 of them) or as
inf (an .ods's 1e400), which the user cannot find in the file; an .xls date cell whose number
no date can be (-1e15, -inf), which refused the whole file."""

from __future__ import annotations

import olefile

from kam_core.importing import import_file
from kam_core.ingest.biffserials import general_where_no_date
from kam_core.store import connect
from tests.hostile.round25_workbookvalues_cases import dated_values, valueless_ods
from tests.hostile.round26_workbookfuzz_cases import (
    LEGACY_FAR,
    LEGACY_NOT_FINITE,
    ODS_EXPONENTS,
    WRITTEN_OUT,
    legacy_dates,
)

_OUT_OF_RANGE = "revenue is out of range (beyond 1,000,000,000,000 per line)"


def _rejected(parsed: object) -> list[list[object]]:
    return parsed.rejected[["row", "column", "value", "reason"]].values.tolist()


def test_an_xlsx_amount_of_three_exponent_digits_rejects_its_row_as_written(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, dated_values(WRITTEN_OUT), "far.xlsx")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (1, 2, 250)
    # By hand: the values as Excel shows them (1E+100 was shown in its 101 figures).
    assert _rejected(parsed) == [
        [2, "C (Amount)", "1E+100", _OUT_OF_RANGE],
        [3, "C (Amount)", "-2.5e+250", _OUT_OF_RANGE],
    ]


def test_an_ods_amount_of_three_exponent_digits_rejects_its_row_as_written(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, valueless_ods(ODS_EXPONENTS), "far.ods")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (1, 2, 250)
    # 1e400 was read as inf and rejected as "not an amount ('inf')".
    assert _rejected(parsed) == [
        [2, "C (Amount)", "1e400", _OUT_OF_RANGE],
        [3, "C (Amount)", "1E+100", _OUT_OF_RANGE],
    ]
    assert conn.execute("SELECT client_name, revenue FROM sales").fetchall() == [("Good Ltd", 250)]


def test_an_xls_date_cell_no_date_can_be_rejects_its_row_not_the_file(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, legacy_dates(LEGACY_FAR), "far.xls")
    # The file was refused as damaged (the reader's date arithmetic overflowed).
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (1, 2, 250)
    assert _rejected(parsed) == [
        [2, "A (Order Date)", "-1E+15", "order date is not a date"],
        [3, "A (Order Date)", "-inf", "order date is not a date"],
    ]


def test_an_xls_date_cell_of_nan_or_infinity_shows_it(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, legacy_dates(LEGACY_NOT_FINITE), "nan.xls")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (1, 2, 250)
    # NaN was shown as the reader's 1899-12-30 and infinity as a missing date.
    assert _rejected(parsed) == [
        [2, "A (Order Date)", "NaN", "order date is not a date"],
        [3, "A (Order Date)", "inf", "order date is not a date"],
    ]


def test_an_xls_stream_keeps_its_size_and_plain_dates_their_format():
    stream = _stream(legacy_dates([(-1e15, "Far", 1), (45296, "Good", 2)]))
    fixed = general_where_no_date(stream)
    assert len(fixed) == len(stream)
    # Only the far serial's two bytes of format change.
    assert sum(a != b for a, b in zip(stream, fixed, strict=True)) in (1, 2)
    assert general_where_no_date(fixed) == fixed


def _stream(data: bytes) -> bytes:
    with olefile.OleFileIO(data) as ole:
        return ole.openstream("Workbook").read()
