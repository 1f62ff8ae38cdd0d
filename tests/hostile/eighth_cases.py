"""Hostile files of an eighth round: the 1904 date system of .xls and .ods files, a hidden
value under an OpenDocument merge, text in number cells, empty text results of formulas,
noncharacters in names."""

from __future__ import annotations

import io
import zipfile

import xlwt

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet

SERIAL_1904 = 43834  # 2024-01-05 counted from 1904-01-01 (2020-01-04 from 1899-12-30)


def xls_1904_serial() -> bytes:
    """An .xls of the 1904 date system whose order date is a plain number (no date format)."""
    book = xlwt.Workbook()
    book.dates_1904 = True
    sheet = book.add_sheet("Sales")
    for col, label in enumerate(HEADER):
        sheet.write(0, col, label)
    for row, (serial, name, amount) in enumerate([(SERIAL_1904, "Acme", 5), (43835, "Beta", 6)]):
        for col, value in enumerate((serial, name, amount)):
            sheet.write(row + 1, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: str, extra: str = "") -> str:
    cell = f'<table:table-cell office:value-type="string"{extra}>'
    return f"{cell}<text:p>{value}</text:p></table:table-cell>"


def _number(value: object, extra: str = "") -> str:
    cell = f'<table:table-cell office:value-type="float" office:value="{value}"{extra}>'
    return f"{cell}<text:p>{value}</text:p></table:table-cell>"


def _row(*cells: str) -> str:
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def ods_1904_serial() -> bytes:
    """An .ods counting days from 1904-01-01 whose order date is a plain number."""
    settings = (
        '<table:calculation-settings><table:null-date table:date-value="1904-01-01"/>'
        "</table:calculation-settings>"
    )
    header = _row(*(_text(label) for label in HEADER))
    rows = _row(_number(SERIAL_1904), _text("Acme"), _number(5))
    return ods_sheet(header + rows, settings)


def ods_value_under_a_merge() -> bytes:
    """A row whose client spans the amount's column: the covered cell still holds 999."""
    header = _row(*(_text(label) for label in HEADER))
    merged = _row(
        _number(45296),
        _text("Acme", ' table:number-columns-spanned="2"'),
        '<table:covered-table-cell office:value-type="float" office:value="999">'
        "<text:p>999</text:p></table:covered-table-cell>",
    )
    plain = _row(_number(45297), _text("Beta"), _number(6))
    return ods_sheet(header + merged + plain)


def xlsx_cells(cells: str) -> bytes:
    """An .xlsx of the header and one row of the given cells' XML, then a valid row."""
    rows = rz.rows_xml([(1, HEADER)]) + f'<row r="2">{cells}</row>'
    rows += rz.rows_xml([(3, ["2024-01-06", "Beta", 6])])
    return rz.xlsx([("Sales", rz.sheet_xml(rows))])


def with_macro_sheet() -> bytes:
    """An .xlsx whose first sheet is an Excel 4.0 macro sheet, then the sales."""
    rows = rz.rows_xml(
        [(1, HEADER), (2, ["2024-01-05", "Acme", 5]), (3, ["2024-01-06", "Beta", 6])]
    )
    data = rz.xlsx([("Data", rz.sheet_xml(rows))])
    macro = (
        rz.XML_DECL
        + '<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"'
        f' xmlns="{rz.MAIN_NS}"><sheetData><row r="1"><c r="A1"><f>HALT()</f></c></row>'
        "</sheetData></xm:macrosheet>"
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = []
    for info in archive.infolist():
        body = archive.read(info)
        if info.filename == "xl/workbook.xml":
            body = body.replace(
                b"<sheets>", b'<sheets><sheet name="Macro1" sheetId="9" r:id="rIdM"/>'
            )
        if info.filename == "xl/_rels/workbook.xml.rels":
            rel = (
                b'<Relationship Id="rIdM" Type="http://schemas.microsoft.com/office/2006/'
                b'relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/>'
            )
            body = body.replace(b"</Relationships>", rel + b"</Relationships>")
        members.append(rz.deflated(info.filename, body))
    members.append(rz.deflated("xl/macrosheets/sheet1.xml", macro.encode()))
    return rz.zip_bytes(members)


HEBREW_NAMES = ["טבע", "אסם", "שטראוס", "סנו", "טמפו"]


def hebrew_code_page() -> bytes:
    """A Windows-1255 CSV of names heavy in ט and ס (Russian's и and с in Windows-1251)."""
    lines = ["Order Date,Customer,Amount"]
    lines += [f"2024-01-{i % 28 + 1:02d},{HEBREW_NAMES[i % 5]},{100 + i}" for i in range(50)]
    return ("\n".join(lines) + "\n").encode("cp1255")


def eighth_cases() -> list[Case]:
    """Cases found by attacking the import with files of an eighth kind."""
    date = '<c r="A2" t="inlineStr"><is><t>2024-01-05</t></is></c>'
    client = '<c r="B2" t="inlineStr"><is><t>Acme</t></is></c>'
    return [
        # Read as Windows-1251: every name stored in Cyrillic letters (ибт for טבע).
        Case(
            "hebrew_code_page_heavy_in_tet_and_samekh.csv",
            lambda p: hebrew_code_page(),
            rows=50,
            names=frozenset(HEBREW_NAMES),
        ),
        # 1,750 and 12.000 were read 1750 and 12: in a ';' file they are 1.75 and 12,000; in
        # a ',' file either way, so both are rejected with a note.
        Case(
            "semicolon_amounts_not_showing_their_mark.csv",
            lambda p: b"Order Date;Customer;Amount\n2024-01-01;N0;1,750\n2024-01-02;N1;12.000\n",
            rows=2,
        ),
        Case(
            "one_of_each_mark_before_three_digits.csv",
            lambda p: (
                b'Order Date,Customer,Amount\n2024-01-01,N0,"1,750"\n'
                b"2024-01-02,N1,12.000\n2024-01-03,N2,300\n"
            ),
            rows=1,
            rejected=2,
            note="read either way",
        ),
        # The reader cannot open a macro sheet and refused the file as damaged.
        Case("excel4_macro_sheet_first.xlsx", lambda p: with_macro_sheet(), rows=2),
        # Counted from 1900, the dates came 4 years and a day early: 2020-01-04.
        Case(
            "xls_1904_plain_serial.xls",
            lambda p: xls_1904_serial(),
            rows=2,
            dates=frozenset({"2024-01-05", "2024-01-06"}),
        ),
        Case(
            "ods_1904_plain_serial.ods",
            lambda p: ods_1904_serial(),
            rows=1,
            dates=frozenset({"2024-01-05"}),
        ),
        # 999, shown nowhere, was stored as the row's amount.
        Case(
            "ods_value_under_a_merge.ods",
            lambda p: ods_value_under_a_merge(),
            rows=1,
            rejected=1,
            reason="revenue is missing",
        ),
        # The reader refused the whole sheet ("invalid float literal").
        Case(
            "text_in_a_number_cell.xlsx",
            lambda p: xlsx_cells(date + client + '<c r="C2"><v>abc</v></c>'),
            rows=1,
            rejected=1,
            value="abc",
        ),
        Case(
            "spaces_around_a_number.xlsx",
            lambda p: xlsx_cells(date + client + '<c r="C2" t="n"><v> 100 </v></c>'),
            rows=2,
        ),
        # The note blamed a program for not saving results; the result is an empty text.
        Case(
            "formula_with_an_empty_text_result.xlsx",
            lambda p: xlsx_cells(date + client + '<c r="C2" t="str"><f>IF(1,"",1)</f><v></v></c>'),
            rows=1,
            rejected=1,
            reason="revenue is missing",
        ),
        Case(
            "noncharacter_in_a_name.xlsx",
            lambda p: xlsx_cells(
                date + '<c r="B2" t="inlineStr"><is><t>Ac&#xFFFE;me</t></is></c>'
                '<c r="C2"><v>5</v></c>'
            ),
            rows=2,
            names=frozenset({"Acme", "Beta"}),
        ),
    ]
