"""Workbooks of a twenty-sixth round, generated in shapes not tried before: numbers written
with an exponent of three digits, shown in the reader's figures (1E+100 as 101 of them) or as
inf (an .ods's 1e400), which the user cannot find in the file."""

from __future__ import annotations

from kam_core.importing import import_file
from kam_core.store import connect
from tests.hostile.round25_workbookvalues_cases import dated_values, valueless_ods
from tests.hostile.round26_workbookfuzz_cases import ODS_EXPONENTS, WRITTEN_OUT

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
