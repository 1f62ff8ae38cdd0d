"""An .xls whose cells repeat one long text is refused once read, as an .xlsx is before."""

from __future__ import annotations

import dataclasses
import io

import pytest
import xlwt

from kam_core.config import SETTINGS
from kam_core.ingest import ImportRefused
from kam_core.ingest.worker import read_file


def _xls(rows: int, width: int) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sales")
    for col, label in enumerate(["Order Date", "Client", "Revenue", "Notes"]):
        sheet.write(0, col, label)
    long = "x" * width  # stored once in the shared texts, shown in every row
    for row in range(1, rows + 1):
        for col, value in enumerate(["2024-01-05", f"Client {row % 10}", 100, long]):
            sheet.write(row, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xls_repeating_a_long_text_in_many_cells_is_refused_naming_the_bound():
    limits = dataclasses.replace(SETTINGS.limits, max_text_chars=1_000_000)
    data = _xls(200, 10_000)  # 2,000,000 characters of notes from a file of a few KB
    assert len(data) < 100_000
    with pytest.raises(ImportRefused) as refused:
        read_file(data, "repeat.xls", limits)
    assert "sheet 'Sales': its cells hold text 2,00" in str(refused.value)
    assert "the limit is 1,000,000" in str(refused.value)
    # The same file within the bound reads.
    assert read_file(_xls(20, 10_000), "fine.xls", limits).sheets[0].table.num_rows == 21
