"""What a file declares counts only where a reader would take it: not in a comment, not a
character set no browser reads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl

from kam_core.importing import parse, preview


def _with_comment_1904() -> bytes:
    """A workbook of 1900 dates whose workbook part holds date1904 inside a comment."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Client", "Revenue"])
    sheet.append([dt.date(2024, 1, 5), "Acme", 100])
    sheet.cell(row=2, column=1).number_format = "General"  # the serial, counted by the book
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(
                    b"<workbookPr", b'<!-- <workbookPr date1904="1"/> --><workbookPr', 1
                )
            dst.writestr(item, data)
    return out.getvalue()


def test_a_date_system_written_in_a_comment_is_no_setting():
    parsed = parse(preview(None, _with_comment_1904(), "book.xlsx"))
    assert [str(d)[:10] for d in parsed.rows["order_date"]] == ["2024-01-05"]


def test_a_page_declaring_utf7_is_not_decoded_so():
    page = (
        b'<html><head><meta charset="utf-7"></head><body><table>'
        b"<tr><td>Date</td><td>Client</td><td>Revenue</td></tr>"
        b"<tr><td>2024-01-05</td><td>Acme</td><td>1+ADk-00</td></tr>"
        b"<tr><td>2024-01-06</td><td>Beta</td><td>200</td></tr>"
        b"</table></body></html>"
    )
    parsed = parse(preview(None, page, "sales.xls"))
    assert parsed.rows["revenue"].tolist() == [200.0]
    assert list(parsed.rejected["value"]) == ["1+ADk-00"]
