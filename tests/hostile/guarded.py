"""Hostile files of issue 10: sheets hidden from the range check, scans that backtrack, shared
text multiplied, CSV the old reader choked on, and values that poison reports."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

import openpyxl

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER, numbered, text_sales

FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
HEBREW = ["אלון בע״מ", "שקד ושות'", "תמר"]


def sheet_at(member: str, target: str, rows: str) -> bytes:
    """A workbook whose one sheet is stored as member, its relationship pointing at target."""
    types = (
        rz.XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{rz.BOOK_TYPE}"/>'
        f'<Override PartName="/{member.replace(chr(92), "/")}" ContentType="{rz.SHEET_TYPE}"/>'
        "</Types>"
    )
    root_rels = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rz.REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        rz.XML_DECL + f'<workbook xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}"><sheets>'
        '<sheet name="Sales" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rz.REL_NS}/worksheet" Target="{escape(target)}"/></Relationships>'
    )
    return rz.zip_bytes(
        [
            rz.deflated("[Content_Types].xml", types.encode()),
            rz.deflated("_rels/.rels", root_rels.encode()),
            rz.deflated("xl/workbook.xml", book.encode()),
            rz.deflated("xl/_rels/workbook.xml.rels", rels.encode()),
            rz.deflated(member, rz.sheet_xml(rows).encode()),
        ]
    )


def far_cell_at(member: str, target: str) -> bytes:
    """Sales with one stray cell at XFD1048576, the sheet stored where the scan did not look."""
    rows = rz.rows_xml([(1, HEADER), *numbered(text_sales(2), 2)]) + FAR
    return sheet_at(member, target, rows)


def unclosed_cell_tags(count: int = 300_000) -> bytes:
    """A sheet of unclosed `<c <c <c ...` tags with one stray quote (backtracking bait)."""
    rows = rz.rows_xml([(1, HEADER)]) + '<row r="2">' + '"' + "<c " * count
    xml = rz.XML_DECL + f'<worksheet xmlns="{rz.MAIN_NS}"><sheetData>{rows}'
    return rz.xlsx([("Sales", xml)])


def shared_string_amplified(cells: int, length: int = 30_000) -> bytes:
    """One shared string of `length` characters referenced by `cells` cells."""
    rows = [rz.rows_xml([(1, HEADER)])]
    for r in range(2, cells + 2):
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-01-05</t></is></c>'
            f'<c r="B{r}" t="s"><v>0</v></c><c r="C{r}"><v>1</v></c></row>'
        )
    strings = rz.shared_strings(["N" * length])
    return rz.xlsx([("Sales", rz.sheet_xml("".join(rows)))], [strings])


def serial_out_of_range() -> bytes:
    """Date-formatted cells holding serials no calendar has (99999999 and -5)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(HEADER)
    sheet.append([dt.datetime(2024, 1, 5), "Good One", 5])
    sheet.append([99999999, "Far Future", 6])
    sheet.append([dt.datetime(2024, 1, 6), "Good Two", 7])
    sheet["A3"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    """Lines of a CSV file (header first) joined with CRLF."""
    return ("\r\n".join([",".join(HEADER), *lines]) + "\r\n").encode(encoding)


def utf8_with_a_bad_byte() -> bytes:
    """Hebrew names in UTF-8, one row holding a byte that is not UTF-8."""
    good = csv([f"2024-01-0{i + 1},{name},{i + 1}" for i, name in enumerate(HEBREW)])
    return good + b"2024-01-09,Bad\xff Name,9\r\n"


def blank_lines_over_the_row_bound(rows: int = 5_000_001) -> bytes:
    """A header and more blank lines than the row bound allows."""
    return (",".join(HEADER) + "\n").encode() + b"\n" * rows


def ragged_rows() -> bytes:
    """Rows shorter and longer than the header."""
    return csv(["2024-01-05,Short", "2024-01-06,Long,6,extra,cells", "2024-01-07,Even,7"])
