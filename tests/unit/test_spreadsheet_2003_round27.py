"""XML Spreadsheet 2003 cells placed over cells already written are refused naming the row and
column (cells past the columns read are not compared)."""

from __future__ import annotations

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.spreadsheet2003 import read_spreadsheet_2003
from tests.hostile.fifteenth_cases import _spreadsheet_2003


def _row(cells: str, attrs: str = "") -> str:
    return f"<Row{attrs}>{cells}</Row>"


def _cell(value: str, attrs: str = "") -> str:
    return f'<Cell{attrs}><Data ss:Type="String">{value}</Data></Cell>'


def test_an_xml_spreadsheet_cell_over_a_merge_is_refused_naming_row_and_column():
    rows = _row(_cell("Date") + _cell("Client") + _cell("Revenue")) + _row(
        _cell("2024-01-05") + _cell("Acme", ' ss:MergeAcross="1"') + _cell("5", ' ss:Index="3"')
    )
    with pytest.raises(ImportRefused, match=r"row 2: .*column C \(ss:Index=\"3\"\)"):
        read_spreadsheet_2003(_spreadsheet_2003(rows), "x.xls", ImportLimits())
    # Past the columns read a cell's column is cut to the last: two such cells are not compared.
    far = _row(_cell("a") + _cell("x", ' ss:Index="500"') + _cell("y", ' ss:Index="600"'))
    grids, _notes = read_spreadsheet_2003(
        _spreadsheet_2003(far), "x.xls", ImportLimits(max_columns=3)
    )
    assert grids[0].table.num_rows == 1
