"""An .xlsb with one stray cell far from its table is refused as an .xlsx of the same shape is,
naming the sheet and the cell; it was refused as needing more than 2 GB to read."""

from __future__ import annotations

import pytest

from kam_core.config import ImportLimits
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused, read_file
from kam_core.store import connect
from tests.hostile.builders import far_cell
from tests.hostile.round22_workbook_cases import xlsb_sales

FIRST = ImportLimits(read_beside_bytes=1 << 40)
BESIDE = ImportLimits(read_beside_bytes=0)
FAR = [(1_048_575, [(16_383, 1.0)])]


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_a_stray_far_cell_is_refused_naming_it_both_ways(limits):
    with pytest.raises(ImportRefused) as refused:
        read_file(xlsb_sales(FAR), "sales.xlsb", limits)
    message = str(refused.value)
    assert "sheet 'Sales': its cells reach XFD1048576" in message
    assert "17,179,869,184 cells; the limit is 50,000,000 cells per sheet" in message
    assert "2 GB" not in message


def test_the_xlsx_of_the_same_shape_is_refused_in_the_same_words():
    with pytest.raises(ImportRefused) as xlsx:
        read_file(far_cell(), "sales.xlsx", FIRST)
    with pytest.raises(ImportRefused) as xlsb:
        read_file(xlsb_sales(FAR), "sales.xlsx", FIRST)
    assert str(xlsx.value).split(": its cells")[1] == str(xlsb.value).split(": its cells")[1]


def test_a_far_blank_cell_or_a_long_narrow_sheet_imports_its_sales(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    blank = xlsb_sales([(1_048_575, [(16_383, None)])])
    counts, _parsed, _pre = import_file(conn, blank, "blank.xlsb")
    assert (counts.rows_imported, counts.revenue) == (3, 1200 + 0 + 123.5)
    # The last row in column A: 1,048,576 x 3 cells is within the bound, that row rejected.
    narrow = xlsb_sales([(1_048_575, [(0, "2024-04-01"), (1, "Delta")])])
    conn = connect(tmp_path / "other.duckdb")
    counts, parsed, _pre = import_file(conn, narrow, "narrow.xlsb")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 1)
    assert list(parsed.rejected["row"]) == [1_048_576]
