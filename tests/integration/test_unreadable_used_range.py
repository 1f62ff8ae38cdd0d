"""A sheet's <dimension> only hints at its used range; one the reader cannot parse made it refuse
the whole file as damaged. It is read without it, as Excel reads it."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest import ImportRefused, read_file
from kam_core.store import connect
from tests.hostile import rawzip as rz
from tests.hostile.round21_workbook_cases import HEADER, SALES, with_dimension


@pytest.mark.parametrize(
    "element",
    [
        '<dimension ref=""/>',
        '<dimension ref="$A$1:$C$4"/>',
        '<dimension ref="A1:"></dimension>',
        '<dimension ref="A0:C4"/>',
    ],
)
def test_a_sheet_whose_used_range_does_not_parse_is_stored(tmp_path, element):
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, _pre = import_file(conn, with_dimension(element), "dimension.xlsx")
    assert counts.rows_imported == 3
    revenue = conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0]
    assert revenue == pytest.approx(1200 + 800 + 450.5)
    names = {n for (n,) in conn.execute("SELECT DISTINCT client_name FROM sales").fetchall()}
    assert names == {client for _, client, _ in SALES}


def test_a_cell_whose_own_position_does_not_parse_is_still_refused():
    rows = [(1, HEADER), *((n, list(r)) for n, r in enumerate(SALES, start=2))]
    xml = rz.sheet_xml(rz.rows_xml(rows)).replace('r="C3"', 'r="3C"')
    with pytest.raises(ImportRefused, match="damaged"):
        read_file(rz.xlsx([("Sales", xml)]), "misplaced.xlsx")
