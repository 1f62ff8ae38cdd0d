"""Workbooks of a twenty-fifth round, values read as written: an .ods number cell storing no
number beside the text it shows (read as empty, its row rejected as missing its revenue)."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from tests.hostile.round25_workbookvalues_cases import VALUELESS, valueless_ods


def test_an_ods_number_cell_storing_no_number_is_read_from_its_text(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, _pre = import_file(conn, valueless_ods(), "valueless.ods")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 0)
    stored = dict(conn.execute("SELECT client_name, revenue FROM sales").fetchall())
    # By hand: the text each cell shows (1,200.50 and 12 were read as empty before).
    assert stored == pytest.approx({"Acme": 1200.5, "Beta": 12.0, "Gamma": 100.0})
    assert set(stored) == {client for client, _ in VALUELESS}


def test_an_ods_number_cell_storing_no_number_and_showing_none_rejects_its_row(tmp_path):
    cells = [("Acme", '<table:table-cell office:value-type="float"><text:p>soon')]
    cells.append(("Beta", '<table:table-cell office:value-type="float" office:value="7"><text:p>7'))
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, valueless_ods(cells), "soon.ods")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)
    assert list(parsed.rejected["value"]) == ["soon"]
    assert counts.revenue == 7.0
