"""A workbook of the 1904 date system: serials the reader leaves as numbers count from 1904."""

from __future__ import annotations

import datetime as dt

import pytest

from kam_core.importing import import_file
from kam_core.ingest.read import counts_from_1904
from kam_core.store import connect
from tests.hostile.later_cases import dates_of_the_1904_system, workbook
from tests.hostile.new_cases import ROWS

DAYS = [dt.date(2024, 1, 5), dt.date(2024, 1, 6), dt.date(2024, 1, 7)]


@pytest.mark.parametrize("date1904", [True, False])
def test_serial_dates_read_as_the_workbook_counts_them(tmp_path, date1904):
    data = dates_of_the_1904_system(date1904)
    assert counts_from_1904(data) is date1904
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, _pre = import_file(conn, data, "dates.xlsx")
    assert counts.rows_imported == 3
    got = conn.execute("SELECT order_date FROM sales ORDER BY order_date").fetchall()
    # Excel shows 5-7 January 2024 either way: 43834.. counted from 1904, 45296.. from 1900.
    assert [d for (d,) in got] == DAYS


def test_the_1904_option_written_as_true_or_with_a_prefix_is_seen():
    assert counts_from_1904(workbook(ROWS, workbook_pr='<workbookPr date1904="true"/>'))
    assert counts_from_1904(workbook(ROWS, workbook_pr="<workbookPr date1904='1' x='y'/>"))
    assert not counts_from_1904(workbook(ROWS, workbook_pr='<workbookPr date1904="0"/>'))
    assert not counts_from_1904(b"Order Date,Customer,Amount\n")
