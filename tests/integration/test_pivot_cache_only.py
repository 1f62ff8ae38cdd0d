"""A workbook whose rows are kept only in a pivot table's cache (a reporting tool's pivot table
laid out when Excel opens the file, its source sheet gone) was refused as having no data; its
records are read as a sheet, bounded as sheets are."""

from __future__ import annotations

import pytest

from kam_core.config import ImportLimits
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused, read_file
from kam_core.store import connect
from tests.hostile.round21_workbook_cases import PIVOT_RECORDS, pivot_cache_only, with_dimension

CLIENTS = ["Acme Ltd", "Beta GmbH", "Gamma Co"]


def test_the_records_of_a_pivot_cache_are_stored(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, pre = import_file(conn, pivot_cache_only(), "pivot.xlsx")
    assert counts.rows_imported == 4
    got = conn.execute(
        "SELECT client_name, sum(revenue) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    expected: dict[str, float] = {}
    for _day, client, amount in PIVOT_RECORDS:
        expected[CLIENTS[client]] = expected.get(CLIENTS[client], 0.0) + float(amount)
    assert got == sorted(expected.items())  # Acme 1,299.50, Beta 800, Gamma 450.50
    rows = conn.execute("SELECT order_date FROM sales ORDER BY 1").fetchall()
    days = [d.isoformat() for (d,) in rows]
    assert days == sorted(day[:10] for day, _c, _a in PIVOT_RECORDS)
    assert any("pivot table" in note for note in pre.notes)


@pytest.mark.parametrize("beside", [False, True])
def test_the_rows_of_a_cache_are_bounded_as_a_sheets_are(beside):
    limits = ImportLimits(max_rows=3, read_beside_bytes=0 if beside else 1 << 40)
    with pytest.raises(ImportRefused, match="more than 3 rows"):
        read_file(pivot_cache_only(), "pivot.xlsx", limits)


def test_a_workbook_with_cells_is_read_from_its_cells_only():
    book = read_file(with_dimension('<dimension ref="A1:C4"/>'), "cells.xlsx")
    assert [g.name for g in book.sheets] == ["Sales"]
