"""Workbooks of a twenty-fourth round: a cell past Excel's last column (the reader spent
minutes on a sheet reaching ZZZZ, until the read's time ran out)."""

from __future__ import annotations

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import read_file
from kam_core.ingest.errors import ImportRefused
from tests.hostile.round24_fuzz_cases import far_column
from tests.integration.test_cdata_and_utf16_parts import FIRST


@pytest.mark.parametrize("column", ["XFE", "ZZZZ"])
@pytest.mark.parametrize("read_beside", [1 << 40, 0], ids=["scan first", "side by side"])
def test_a_cell_past_the_last_column_is_refused_at_once(column, read_beside):
    limits = ImportLimits(read_beside_bytes=read_beside, max_read_seconds=10)
    with pytest.raises(ImportRefused) as refused:
        read_file(far_column(column), "far.xlsx", limits)
    message = str(refused.value)
    assert f"its cells reach column {column}, past Excel's last column (XFD)" in message
    assert "sheet 'Sales'" in message


def test_a_cell_in_the_last_column_is_read():
    sheet = read_file(far_column("XFD"), "last.xlsx", FIRST).sheets[0]
    assert sheet.table.column(2).to_pylist()[1:] == ["10", "20", "30"]
