"""Exports to Excel written as web pages (HTML named .xls, web archives): read as a browser
shows their tables."""

from __future__ import annotations

import quopri

import pytest

from kam_core.config import SETTINGS
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.ingest.read import read_here
from kam_core.store import connect

# The shape of an Excel "web page" export: Office namespaces, a declared code page, a title row
# spanning the columns, a total row at the end.
EXPORT = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1255">
<style>td {mso-number-format:"\\@";}</style><script>document.write("<tr><td>x")</script></head>
<body><table border=1>
<tr><td colspan=4><b>דוח מכירות</b> רבעון 1</td></tr>
<tr><th>תאריך</th><th>מס' לקוח</th><th>שם לקוח</th><th>סכום</th></tr>
<tr><td>05/01/2024</td><td>00123</td><td>אלקטרה&nbsp;בע"מ</td><td>1,250.50</td></tr>
<tr><td>06/01/2024<td>00124<td>Acme<br>Ltd<td>(100.00)
<tr><td>07/01/2024</td><td>00123</td><td>אלקטרה בע"מ</td><td>300</td></tr>
<tr><td colspan=3>סה"כ</td><td>1,450.50</td></tr>
</table></body></html>"""


def _cells(book, sheet: int = 0) -> list[list[str | None]]:
    table = book.sheets[sheet].table
    return [list(row.values()) for row in table.to_pylist()]


def test_an_excel_web_page_export_reads_as_a_browser_shows_it():
    book = read_here(EXPORT.encode("cp1255"), "sales.xls", SETTINGS.limits)
    assert book.kind == "html"
    rows = _cells(book)
    assert rows[0] == ["דוח מכירות רבעון 1", None, None, None]  # spans its four columns
    # The declared code page read; no-break spaces and line breaks shown as spaces; a cell
    # left unclosed (as HTML allows) ends at the next; codes keep their zeros.
    assert rows[2] == ["05/01/2024", "00123", 'אלקטרה בע"מ', "1,250.50"]
    assert rows[3] == ["06/01/2024", "00124", "Acme Ltd", "(100.00)"]
    assert len(rows) == 6  # the script's text is no row


def test_an_excel_web_page_export_imports_with_its_totals_skipped(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, parsed, _pre = import_file(conn, EXPORT.encode("cp1255"), "sales.xls")
        assert (counts.rows_imported, counts.rows_rejected, counts.clients) == (3, 0, 2)
        assert counts.revenue == pytest.approx(1_250.50 - 100 + 300)
        ids = conn.execute("SELECT DISTINCT client_id FROM sales ORDER BY 1").fetchall()
        assert ids == [("00123",), ("00124",)]
        assert any("web page" in note for note in parsed.notes + _pre.book.notes)
    finally:
        conn.close()


def test_a_cell_spanning_rows_holds_its_text_in_each_and_tables_inside_tables_are_sheets():
    page = b"""<html><body><table><tr><td>Report<table>
    <tr><th>Date</th><th>Client</th><th>Amount</th></tr>
    <tr><td>2024-01-05</td><td rowspan=2>Acme</td><td>10</td></tr>
    <tr><td>2024-01-06</td><td>20</td></tr>
    <tr><td>2024-01-07</td><td>Beta</td><td>30</td></tr>
    </table></td></tr></table></body></html>"""
    book = read_here(page, "nested.xls", SETTINGS.limits)
    assert [g.name for g in book.sheets] == ["Table 1", "Table 2"]
    inner = book.sheets[1]
    assert _cells(book, 1)[2] == ["2024-01-06", None, "20"]  # the span's place left to it
    assert inner.merges == [(1, 1, 2)]
    assert _cells(book, 0) == [["Report"]]  # the inner table's text is not the outer cell's


def test_a_web_archive_mht_export_is_read(tmp_path):
    html = (
        "<html><body><table><tr><td>Date</td><td>Client</td><td>Amount</td></tr>"
        "<tr><td>2024-01-05</td><td>Ünal GmbH</td><td>1.234,50</td></tr>"
        "<tr><td>2024-01-06</td><td>Acme</td><td>100,00</td></tr></table></body></html>"
    )
    archive = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="XX"\r\n\r\n'
        b'--XX\r\nContent-Type: text/html; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        + quopri.encodestring(html.encode("utf-8"))
        + b"\r\n--XX--\r\n"
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, _parsed, _pre = import_file(conn, archive, "report.mht")
        assert (counts.rows_imported, counts.clients) == (2, 2)
        assert counts.revenue == pytest.approx(1_334.50)
        names = conn.execute("SELECT client_name FROM sales ORDER BY 1").fetchall()
        assert names == [("Acme",), ("Ünal GmbH",)]
    finally:
        conn.close()


def test_broken_markup_costs_no_more_than_its_size():
    # The standard library's parser took 11 s over 30 KB of these: unclosed tags.
    page = b"<html><table><tr><td>" + b"<a " * 300_000
    with pytest.raises(ImportRefused, match="holds no table with data"):
        read_here(page, "broken.xls", SETTINGS.limits)


def test_an_excel_web_page_number_is_read_from_its_value_not_its_format():
    # Excel writes each number's value in x:num beside the text its format shows: '1,235'
    # for 1,234,567 under '#,##0,', '(100)' for -99.5. Dates, percents and words stay as shown.
    page = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>'
        "<tr><td>Date</td><td>Client</td><td>Revenue</td><td>Margin</td></tr>"
        '<tr><td x:num="45296">05/01/2024</td><td>Acme</td><td x:num="1234567">1,235</td>'
        '<td x:num="0.25">25%</td></tr>'
        '<tr><td x:num="45297">06/01/2024</td><td x:num="7">Seven</td>'
        '<td x:num="-99.5">(100)</td><td x:num="bad">3</td></tr>'
        "</table></body></html>"
    )
    rows = _cells(read_here(page.encode(), "sales.xls", SETTINGS.limits))
    assert rows[1] == ["05/01/2024", "Acme", "1234567", "25%"]
    assert rows[2] == ["06/01/2024", "Seven", "-99.5", "3"]


def test_a_footer_written_before_the_body_is_read_below_it(tmp_path):
    # HTML 4 writes <tfoot> before <tbody>; a browser shows it at the bottom, where the total
    # is skipped as one (read first, it was stored as a client named Total).
    page = (
        "<html><body><table><thead><tr><td>Date</td><td>Client</td><td>Revenue</td></tr>"
        "</thead><tfoot><tr><td>2024-01-31</td><td>Total</td><td>300</td></tr></tfoot><tbody>"
        "<tr><td>2024-01-05</td><td>Acme</td><td>100</td></tr>"
        "<tr><td>2024-01-06</td><td>Beta</td><td>200</td></tr></tbody></table></body></html>"
    )
    book = read_here(page.encode(), "report.xls", SETTINGS.limits)
    assert [row[1] for row in _cells(book)] == ["Client", "Acme", "Beta", "Total"]
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, _parsed, _pre = import_file(conn, page.encode(), "report.xls")
        assert (counts.rows_imported, counts.revenue) == (2, 300.0)
    finally:
        conn.close()
