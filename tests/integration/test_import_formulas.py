"""Workbooks written by a program with formulas it never calculated (no saved results)."""

from __future__ import annotations

import numpy as np
import openpyxl
import pyarrow as pa
import pytest

from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.ingest.parse import numbers

WHY = "the cell holds a formula without a saved result"


def _workbook(path, amounts):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Order Date", "Customer", "Amount"])
    for day, amount in enumerate(amounts, start=5):
        sheet.append([f"2024-01-{day:02d}", f"Client {day}", amount])
    book.save(path)
    return path


def test_rows_whose_amount_is_an_uncalculated_formula_are_rejected_saying_so(conn, tmp_path):
    path = _workbook(tmp_path / "some.xlsx", [100, "=C2*2", 50, "=C2+1"])
    counts, parsed, pre = import_file(conn, path.read_bytes(), path.name)
    assert counts.rows_imported == 2
    rejected = parsed.rejected[["row", "column", "reason"]].values.tolist()
    # Rows 3 and 5 of the sheet hold the formulas (row 1 is the header).
    assert [r[:2] for r in rejected] == [[3, "C (Amount)"], [5, "C (Amount)"]]
    assert all(r[2].startswith(WHY) for r in rejected)
    assert any("C (2 cells, first C3)" in note for note in pre.notes)


def test_a_sheet_of_uncalculated_amounts_is_refused_with_the_reason(conn, tmp_path):
    path = _workbook(tmp_path / "all.xlsx", ["=1+1", "=2+2"])
    with pytest.raises(ImportRefused, match=WHY):
        import_file(conn, path.read_bytes(), path.name)
    assert conn.execute("SELECT count(*) FROM sales").fetchall()[0][0] == 0


def test_minus_zero_is_the_amount_zero():
    values = numbers(pa.array(["-0", "-0.00", "(0)", "0", "-5"]))
    assert values.tolist() == [0.0, 0.0, 0.0, 0.0, -5.0]
    assert np.signbit(values).tolist() == [False, False, False, False, True]
