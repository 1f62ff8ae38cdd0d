"""Workbooks of a twenty-sixth round: date cells whose serial the reader cannot turn into a
date (far below zero: the reader stopped and the whole file was refused as damaged)."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest import read_file
from kam_core.store import connect
from tests.hostile.round25_workbookvalues_cases import dated_values
from tests.hostile.round26_workbookserials_cases import FAR_BELOW
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
