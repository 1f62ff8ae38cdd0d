"""Workbooks of a twenty-seventh round, on XML Spreadsheet 2003 positions: a cell whose
ss:Index goes back was placed right of the cells before it, and a row whose ss:Index goes back
below the rows before it, without a word (Excel refuses such a file)."""

from __future__ import annotations

from tests.hostile.case import Case
from tests.hostile.fifteenth_cases import _spreadsheet_2003


def _xml_row(cells: list[tuple[str, str, str]], attrs: str = "") -> str:
    """An XML Spreadsheet row of (cell attributes, type, value)."""
    inner = "".join(f'<Cell{a}><Data ss:Type="{t}">{v}</Data></Cell>' for a, t, v in cells)
    return f"<Row{attrs}>{inner}</Row>"


_XML_HEAD_ROW = _xml_row(
    [("", "String", "Date"), ("", "String", "Client"), ("", "String", "Revenue")]
)
_XML_SALE = _xml_row(
    [("", "DateTime", "2024-01-05T00:00:00.000"), ("", "String", "Acme"), ("", "Number", "100")]
)


def xml_cell_going_back() -> bytes:
    """A row whose revenue is written first (ss:Index="3"), then its client (ss:Index="2")."""
    back = _xml_row(
        [
            ("", "DateTime", "2024-01-06T00:00:00.000"),
            (' ss:Index="3"', "Number", "200"),
            (' ss:Index="2"', "String", "Beta"),
        ]
    )
    return _spreadsheet_2003(_XML_HEAD_ROW + _XML_SALE + back)


def xml_row_going_back() -> bytes:
    """Row 5 written, then row 3 (ss:Index going back)."""
    day = ("", "DateTime", "2024-01-06T00:00:00.000")
    late = _xml_row([day, ("", "String", "Beta"), ("", "Number", "200")], ' ss:Index="5"')
    back = _xml_row([day, ("", "String", "Gamma"), ("", "Number", "300")], ' ss:Index="3"')
    return _spreadsheet_2003(_XML_HEAD_ROW + _XML_SALE + late + back)


def round27_xmlindex_cases() -> list[Case]:
    return [
        Case(
            "xml_spreadsheet_2003_cell_index_going_back.xls",
            lambda p: xml_cell_going_back(),
            "row 3: the file is damaged: a cell is placed in column B",
        ),
        Case(
            "xml_spreadsheet_2003_row_index_going_back.xls",
            lambda p: xml_row_going_back(),
            "a row is numbered 3 (ss:Index) after row 5",
        ),
    ]
