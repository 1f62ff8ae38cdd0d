"""Exports written as Excel's "XML Spreadsheet 2003" (named .xls or .xml): read as Excel shows
their sheets."""

from __future__ import annotations

import pytest

from kam_core.config import SETTINGS, ImportLimits
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.ingest.read import read_here
from kam_core.store import connect

HEAD = (
    '<?xml version="1.0" encoding="{encoding}"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:html="http://www.w3.org/TR/REC-html40">\n'
    '<Styles><Style ss:ID="d"><NumberFormat ss:Format="Short Date"/></Style></Styles>\n'
)

# An ERP's export: a title merged across the columns, a blank row skipped by ss:Index, a cell
# placed by ss:Index, rich text in a cell, a comment, dates with and without a time, a total.
EXPORT = (
    HEAD
    + """<Worksheet ss:Name="מכירות">
<Table ss:ExpandedColumnCount="4" ss:ExpandedRowCount="9">
<Row><Cell ss:MergeAcross="3"><Data ss:Type="String">דוח מכירות רבעון 1</Data></Cell></Row>
<Row ss:Index="3">
 <Cell><Data ss:Type="String">תאריך</Data></Cell><Cell><Data ss:Type="String">מס' לקוח</Data></Cell>
 <Cell><Data ss:Type="String">שם לקוח</Data></Cell><Cell><Data ss:Type="String">סכום</Data></Cell>
</Row>
<Row>
 <Cell ss:StyleID="d"><Data ss:Type="DateTime">2024-01-05T00:00:00.000</Data></Cell>
 <Cell><Data ss:Type="String">00123</Data></Cell>
 <Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"
  ><B>אלקטרה</B> בע"מ</ss:Data><Comment ss:Author="x"
  ><ss:Data xmlns="http://www.w3.org/TR/REC-html40">not a value</ss:Data></Comment></Cell>
 <Cell><Data ss:Type="Number">1250.5</Data></Cell>
</Row>
<Row>
 <Cell><Data ss:Type="DateTime">2024-01-06T14:30:00.000</Data></Cell>
 <Cell><Data ss:Type="String">00124</Data></Cell>
 <Cell ss:Index="4"><Data ss:Type="Number">-100</Data></Cell>
</Row>
<Row>
 <Cell><Data ss:Type="DateTime">2024-01-07T00:00:00.000</Data></Cell>
 <Cell><Data ss:Type="String">00123</Data></Cell>
 <Cell><Data ss:Type="String">אלקטרה בע"מ</Data></Cell>
 <Cell ss:Formula="=1+1"><Data ss:Type="Number">300</Data></Cell>
</Row>
<Row><Cell ss:MergeAcross="2"><Data ss:Type="String">סה"כ</Data></Cell>
 <Cell ss:Formula="=SUM(R[-3]C:R[-1]C)"><Data ss:Type="Number">1450.5</Data></Cell></Row>
</Table>
</Worksheet>
<Worksheet ss:Name="Empty"><Table/></Worksheet>
</Workbook>
"""
)


def _cells(book, sheet: int = 0) -> list[list[str | None]]:
    return [list(row.values()) for row in book.sheets[sheet].table.to_pylist()]


@pytest.mark.parametrize("encoding", ["UTF-8", "windows-1255", "UTF-16"])
def test_an_xml_spreadsheet_reads_as_excel_shows_it(encoding):
    text = EXPORT.replace("{encoding}", encoding)
    data = text.encode("utf-16" if encoding == "UTF-16" else encoding)
    book = read_here(data, "sales.xls", SETTINGS.limits)
    assert book.kind == "xml2003"
    assert [sheet.name for sheet in book.sheets] == ["מכירות"]  # the empty sheet is no grid
    rows = _cells(book)
    assert rows[0] == ["דוח מכירות רבעון 1", None, None, None]
    assert rows[1] == [None, None, None, None]  # row 2, skipped by ss:Index="3"
    assert rows[2] == ["תאריך", "מס' לקוח", "שם לקוח", "סכום"]
    # Rich text joined, the comment left out, midnight a date.
    assert rows[3] == ["2024-01-05", "00123", 'אלקטרה בע"מ', "1250.5"]
    assert rows[4] == ["2024-01-06 14:30:00.000", "00124", None, "-100"]
    assert rows[6] == ['סה"כ', None, None, "1450.5"]
    assert any("XML Spreadsheet 2003" in note for note in book.notes)


def test_an_xml_spreadsheet_export_imports_with_its_total_skipped(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        data = EXPORT.replace("{encoding}", "UTF-8").encode()
        counts, _parsed, _pre = import_file(conn, data, "sales.xls")
        assert (counts.rows_imported, counts.rows_rejected, counts.clients) == (3, 0, 2)
        assert counts.revenue == pytest.approx(1_250.5 - 100 + 300)
        dates = conn.execute("SELECT DISTINCT order_date FROM sales ORDER BY 1").fetchall()
        assert [str(d[0]) for d in dates] == ["2024-01-05", "2024-01-06", "2024-01-07"]
    finally:
        conn.close()


def _sheet(rows: str) -> bytes:
    return (
        HEAD.replace("{encoding}", "UTF-8")
        + f'<Worksheet ss:Name="S"><Table>{rows}</Table></Worksheet></Workbook>'
    ).encode()


def test_an_entity_declaration_is_refused_before_anything_expands():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE Workbook [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row>'
        b"<Cell><Data>&b;</Data></Cell></Row></Table></Worksheet></Workbook>"
    )
    with pytest.raises(ImportRefused, match=r"bomb\.xls: .*DOCTYPE"):
        read_here(bomb, "bomb.xls", SETTINGS.limits)


def test_a_row_index_past_the_row_limit_is_refused_without_filling_rows():
    data = _sheet(
        '<Row><Cell><Data ss:Type="String">Date</Data></Cell></Row>'
        '<Row ss:Index="999999999"><Cell><Data ss:Type="String">x</Data></Cell></Row>'
    )
    limits = ImportLimits(max_rows=1_000)
    with pytest.raises(ImportRefused, match="sheet 'S': more than 1,000 rows"):
        read_here(data, "far.xls", limits)


def test_a_cell_index_and_merge_past_the_column_limit_are_cut_with_a_note():
    data = _sheet(
        '<Row><Cell ss:MergeAcross="99999"><Data ss:Type="String">Title</Data></Cell></Row>'
        '<Row><Cell><Data ss:Type="String">a</Data></Cell>'
        '<Cell ss:Index="999999"><Data ss:Type="String">far</Data></Cell></Row>'
    )
    book = read_here(data, "wide.xls", ImportLimits(max_columns=50))
    assert book.sheets[0].table.num_columns == 50
    assert _cells(book)[1][0] == "a"
    assert any("beyond column 50" in note for note in book.notes)


def test_a_damaged_xml_spreadsheet_is_refused_with_its_line():
    data = _sheet('<Row><Cell><Data ss:Type="String">Date</Data></Cell></Row>\n<Row><Cell>')
    data = data.replace(b"</Table>", b"</Tabel>")
    with pytest.raises(ImportRefused, match=r"broken.xls: the XML spreadsheet is damaged at line"):
        read_here(data, "broken.xls", SETTINGS.limits)


def test_other_xml_is_still_refused_as_not_a_spreadsheet():
    data = b'<?xml version="1.0"?><orders><order id="1"/></orders>'
    with pytest.raises(ImportRefused, match="XML file"):
        read_here(data, "orders.xml", SETTINGS.limits)


def test_a_boolean_reads_as_excel_shows_it_and_two_sheets_of_one_name_are_both_read():
    rows = (
        '<Row><Cell><Data ss:Type="String">Date</Data></Cell>'
        '<Cell><Data ss:Type="Boolean">1</Data></Cell></Row>'
    )
    data = (
        HEAD.replace("{encoding}", "UTF-8")
        + f'<Worksheet ss:Name="S"><Table>{rows}</Table></Worksheet>'
        + f'<Worksheet ss:Name="S"><Table>{rows}</Table></Worksheet></Workbook>'
    ).encode()
    book = read_here(data, "two.xls", SETTINGS.limits)
    assert [sheet.name for sheet in book.sheets] == ["S", "S (2)"]
    assert _cells(book, 1)[0] == ["Date", "TRUE"]
