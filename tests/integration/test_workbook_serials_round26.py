"""Workbooks of a twenty-sixth round: date cells whose serial the reader cannot turn into a
date (far below zero: the reader stopped and the whole file was refused as damaged)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from kam_core.importing import import_file
from kam_core.ingest import read_file
from kam_core.ingest.read import with_serials_outside
from kam_core.store import connect
from tests.hostile.round25_workbookvalues_cases import dated_values
from tests.hostile.round26_workbookserials_cases import FAR_BELOW, NO_DATE, in_1904
from tests.integration.test_cdata_and_utf16_parts import BESIDE, FIRST


def _imported(tmp_path, data: bytes, name: str):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, data, name)
    rejected = parsed.rejected.sort_values("row")
    return counts, list(zip(rejected["row"], rejected["reason"], rejected["value"], strict=True))


def test_date_serials_far_below_zero_reject_their_rows_with_the_value_as_written(tmp_path):
    counts, rejected = _imported(tmp_path, dated_values(FAR_BELOW), "far.xlsx")
    # By hand: Good Ltd 250 + Better Ltd 30; the file was refused as damaged before.
    assert (counts.rows_imported, counts.revenue) == (2, 280.0)
    assert rejected == [
        (2, "order date is not a date", "-1e15"),
        (3, "order date is not a date", "-1.7976931348623157E+308"),
    ]


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_a_far_negative_amount_beside_such_a_date_keeps_its_value(limits):
    rows = [("Far Ltd", "-1e15", "100"), ("Credit Ltd", "45296", "-2.5e11")]
    sheet = read_file(dated_values(rows), "far.xlsx", limits).sheets[0]
    # The amount is typed as text too, read as the same number; the other date as the reader
    # shows dates.
    assert sheet.table.column(0).to_pylist()[1:] == ["-1e15", "2024-01-05 00:00:00"]
    assert sheet.table.column(2).to_pylist()[1:] == ["100", "-2.5e11"]


def test_date_serials_excel_shows_as_no_date_are_rejected_showing_the_serial(tmp_path):
    rows = [*NO_DATE[:4], ("Leap Ltd", "60", "100"), ("Last Ltd", "2958465", "100"), NO_DATE[4]]
    counts, rejected = _imported(tmp_path, dated_values(rows), "serials.xlsx")
    assert (counts.rows_imported, counts.revenue) == (1, 250.0)
    # By hand: Excel shows ##### for -5, 1900-01-00 for 0 and 0.5, ##### past 9999-12-31; the
    # reader's dates were shown before (1899-12-26, 1899-12-31, 1899-12-31, +10000-01-01).
    # 60 is Excel's 1900-02-29, which the reader makes 1900-02-28, as it does 59; 2958465 is
    # 9999-12-31, a date, outside the years of orders.
    outside = "order date is outside the years 1950 to 2100"
    assert rejected == [
        (2, "order date is not a date", "-5"),
        (3, "order date is not a date", "0"),
        (4, "order date is not a date", "0.5"),
        (5, "order date is not a date", "2958466"),
        (6, outside, "1900-02-28"),
        (7, outside, "9999-12-31"),
    ]


def test_serials_of_the_1904_system_are_judged_from_1904(tmp_path):
    rows = [("Minus Ltd", "-5", "100"), ("Zero Ltd", "0", "100"), ("Good", "43834", "7")]
    counts, rejected = _imported(tmp_path, in_1904(dated_values(rows)), "mac.xlsx")
    # By hand: 43834 days from 1904-01-01 is 2024-01-05; 0 is 1904-01-01, a date there.
    assert (counts.rows_imported, counts.revenue) == (1, 7.0)
    assert rejected == [
        (2, "order date is not a date", "-5"),
        (3, "order date is outside the years 1950 to 2100", "1904-01-01"),
    ]


def test_a_written_date_before_1900_in_a_text_cell_is_left_as_written():
    table = pa.table({"c0": ["Order Date", "1899-12-26", "abc", "2024-01-05 00:00:00"]})
    assert with_serials_outside(table, False).column(0).to_pylist() == table.column(0).to_pylist()
