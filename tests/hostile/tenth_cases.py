"""Hostile files of a tenth round: more merged cells than the scan keeps, an OpenDocument
client merged down over its orders' rows."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet

MERGES = 100_001  # one more than extent.MAX_MERGES


def merges_past_the_bound() -> bytes:
    """Each client written once over two rows, merged: one merge more than the scan keeps."""
    rows = [rz.rows_xml([(1, HEADER)])]
    for i in range(MERGES):
        top = 2 * i + 2
        rows.append(
            f'<row r="{top}"><c r="A{top}"><v>45296</v></c>'
            f'<c r="B{top}" t="inlineStr"><is><t>C{i}</t></is></c><c r="C{top}"><v>1</v></c></row>'
            f'<row r="{top + 1}"><c r="A{top + 1}"><v>45297</v></c><c r="C{top + 1}"><v>2</v></c>'
            "</row>"
        )
    merges = "".join(f'<mergeCell ref="B{2 * i + 2}:B{2 * i + 3}"/>' for i in range(MERGES))
    sheet = (
        f'{rz.XML_DECL}<worksheet xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}"><sheetData>'
        f'{"".join(rows)}</sheetData><mergeCells count="{MERGES}">{merges}</mergeCells>'
        "</worksheet>"
    )
    return rz.xlsx([("Sales", sheet)])


def _ods_cell(value: str, extra: str = "") -> str:
    return (
        f'<table:table-cell office:value-type="string"{extra}><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def ods_client_merged_down() -> bytes:
    """A client written once in a cell merged down over its three orders (LibreOffice's way)."""
    header = "".join(_ods_cell(label) for label in HEADER)
    covered = "<table:covered-table-cell/>"
    rows = f"<table:table-row>{header}</table:table-row>"
    for day, client, amount in (
        ("2024-01-05", _ods_cell("Acme", ' table:number-rows-spanned="3"'), "100"),
        ("2024-01-06", covered, "150"),
        ("2024-01-07", covered, "175"),
        ("2024-01-08", _ods_cell("Beta"), "200"),
    ):
        rows += f"<table:table-row>{_ods_cell(day)}{client}{_ods_cell(amount)}</table:table-row>"
    return ods_sheet(rows)


def _record(kind: int, body: bytes = b"") -> bytes:
    """One .xlsb record: type and size in 7-bit bytes, low first, then its body."""
    out = bytearray()
    for number in (kind, len(body)):
        while True:
            out.append((number & 0x7F) | (0x80 if number >= 0x80 else 0))
            number >>= 7
            if not number:
                break
    return bytes(out) + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


XlsbRow = tuple[int, list[tuple[int, object]]]  # (row from 0, [(column from 0, value)])


def xlsb(
    rows: list[XlsbRow],
    sheet: str = "Sales",
    date1904: bool = False,
    dimension: tuple[int, int, int, int] = (0, 2, 0, 2),
) -> bytes:
    """An .xlsb of one sheet written record by record; a value None is a blank (formatted)
    cell, a string inline text, a number a real; dimension the used range declared (first and
    last row, first and last column, from 0)."""
    part = _record(0x81) + _record(0x94, struct.pack("<IIII", *dimension)) + _record(0x91)
    for row, cells in rows:
        part += _record(0x00, struct.pack("<IIH", row, 0, 300) + bytes(7))
        for col, value in cells:
            cell = struct.pack("<II", col, 0)
            if value is None:
                part += _record(0x01, cell)
            elif isinstance(value, str):
                part += _record(0x06, cell + _wide(value))
            else:
                part += _record(0x05, cell + struct.pack("<d", value))
    part += _record(0x92) + _record(0x82)
    book = _record(0x83) + _record(0x99, struct.pack("<II", int(date1904), 0) + _wide(""))
    book += _record(0x8F) + _record(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide(sheet))
    book += _record(0x90) + _record(0x84)
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{pkg}/content-types"><Default Extension="bin" ContentType='
            '"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        archive.writestr(
            "xl/_rels/workbook.bin.rels",
            f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.bin"/></Relationships>',
        )
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/worksheets/sheet1.bin", part)
    return out.getvalue()


def xlsb_1904_plain_serial() -> bytes:
    """An .xlsb of the 1904 date system whose order dates are plain numbers (no date format)."""
    rows = [("Order Date", "Customer", "Amount"), (43834, "Acme", 5), (43835, "Beta", 6)]
    return xlsb([(r, list(enumerate(values))) for r, values in enumerate(rows)], date1904=True)


def xls_merged_client_and_padded_codes() -> bytes:
    """An .xls whose client is merged down over its orders and whose codes show six digits."""
    import datetime as dt

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sales")
    day, code = xlwt.easyxf(num_format_str="dd/mm/yyyy"), xlwt.easyxf(num_format_str="000000")
    for col, label in enumerate(["Order Date", "Client ID", "Client", "Revenue"]):
        sheet.write(0, col, label)
    sheet.write_merge(1, 3, 2, 2, "Acme")
    for row in range(1, 4):
        sheet.write(row, 0, dt.date(2024, 1, row), day)
        sheet.write(row, 1, 123, code)
        sheet.write(row, 3, 100)
    for col, value in enumerate([dt.date(2024, 1, 9), 124, "Beta", 50]):
        sheet.write(4, col, value, (day, code, xlwt.Style.default_style, code)[col])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hidden_amount_column() -> bytes:
    """Stale amounts in a hidden column headed Revenue, the corrected ones beside it."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Order Date", "Client", "Revenue", "Revenue (corrected)"])
    for i in range(4):
        sheet.append([dt.date(2024, 1, i + 1), f"Client {i}", 999, 100 + i])
    sheet.column_dimensions["C"].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_padded_codes() -> bytes:
    """Client codes stored as numbers in an .ods, shown with six digits (LibreOffice's 000000)."""
    styles = (
        '<number:number-style style:name="N1"><number:number number:decimal-places="0" '
        'number:min-integer-digits="6"/></number:number-style><style:style style:name="ce1" '
        'style:family="table-cell" style:data-style-name="N1"/>'
    )
    code = (
        '<table:table-cell table:style-name="ce1" office:value-type="float" office:value="{0}">'
        "<text:p>{0:06d}</text:p></table:table-cell>"
    )
    rows = "<table:table-row>" + "".join(
        _ods_cell(label) for label in ("Order Date", "Client ID", "Client", "Revenue")
    )
    rows += "</table:table-row>"
    for i, (number, name) in enumerate([(123, "Acme"), (124, "Beta"), (123, "Acme")]):
        rows += (
            f"<table:table-row>{_ods_cell(f'2024-01-0{i + 1}')}{code.format(number)}"
            f"{_ods_cell(name)}{_ods_cell(str(100 + i))}</table:table-row>"
        )
    return ods_sheet(rows, styles=styles)


def hidden_column_elements(count: int) -> bytes:
    """A sheet whose <cols> hides every column count times over (one element each)."""
    rows = rz.rows_xml([(1, HEADER), (2, ["2024-01-05", "Acme", 5])])
    cols = '<col min="1" max="16384" hidden="1"/>' * count
    sheet = (
        f'{rz.XML_DECL}<worksheet xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}"><cols>{cols}</cols>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    return rz.xlsx([("Sales", sheet)])


def tenth_cases() -> list[Case]:
    """The tenth round's cases."""
    return [
        # The merges past the bound were left unfilled without a word: their second rows were
        # rejected as without a client, and nothing said why.
        Case(
            "merges_past_the_bound.xlsx",
            lambda p: merges_past_the_bound(),
            rows=2 * MERGES - 1,
            rejected=1,
            reason="client",
            note="only the first 100,000",
        ),
        # The rows under the merge were rejected as without a client.
        Case(
            "ods_client_merged_down.ods",
            lambda p: ods_client_merged_down(),
            rows=4,
            names=frozenset({"Acme", "Beta"}),
            note="B2:B4",
        ),
        # Each pair's amount went through the amounts' parser alone: 10 ms a pair, 100 s of the
        # server's time for 10,000 pairs.
        Case(
            "rows_cut_in_two_10000_times.csv",
            lambda p: (
                b"Order Date,Customer,Amount\n2024-01-04,Whole,5\n"
                + b"2024-01-05,Acme\nLtd,100\n" * 10_000
            ),
            rows=1,
            rejected=20_000,
            reason="cuts this row in two",
        ),
        # Spaces were dropped before the amount was read: a date became 15,012,024.
        Case(
            "digits_spaced_not_by_three.csv",
            lambda p: (
                b"Order Date,Customer,Amount\n2024-01-05,Acme,15 01 2024\n"
                b"2024-01-06,Beta,100 200\n2024-01-07,Gamma,1 234 567\n"
                b"2024-01-08,Delta,03 555 1234\n"
            ),
            rows=2,
            rejected=2,
            value="15 01 2024",
            names=frozenset({"Beta", "Gamma"}),
        ),
        # 05.01.2024 was read month first (May 1) after a slashed date decided month first.
        Case(
            "dotted_date_beside_month_first.csv",
            lambda p: b"Date,Client,Amount\n05.01.2024,Acme,1\n01/15/2024,Beta,2\n",
            rows=2,
            dates=frozenset({"2024-01-05", "2024-01-15"}),
        ),
        # A variation selector or a Hangul filler made a second client of one; a cell of a
        # filler or the Braille blank alone was a client whose name shows nothing.
        Case(
            "names_with_characters_drawn_as_nothing.csv",
            lambda p: (
                "Date,Client,Amount\n2024-01-05,Co \u2764,1\n2024-01-06,Co \u2764\ufe0f,2\n"
                "2024-01-07,Acme,3\n2024-01-08,Acme\u3164,4\n2024-01-09,\u3164,5\n"
                "2024-01-10,\u2800,6\n2024-01-11,Acme\U000e0041,7\n"
            ).encode(),
            rows=5,
            rejected=2,
            reason="client is missing",
            names=frozenset({"Co \u2764", "Acme"}),
        ),
        # The leftmost of two matching labels was revenue: the amounts with VAT.
        Case(
            "amounts_with_and_without_vat.csv",
            lambda p: (
                'Date,Client,"סה""כ כולל מע""מ","סה""כ לפני מע""מ"\n2024-01-05,Acme,117,100\n'
                "2024-01-06,Beta,234,200\n"
            ).encode(),
            rows=2,
            revenue=300.0,
        ),
        # Dollars, euros and pounds were added up as one currency.
        Case(
            "amounts_in_three_currencies.csv",
            lambda p: (
                "Date,Client,Amount\n2024-01-05,Acme,$100.00\n2024-01-06,Beta,€100.00\n"
                "2024-01-07,Gamma,£100.00\n2024-01-08,Delta,$50\n2024-01-09,Eps,USD 25\n"
                "2024-01-10,Zeta,₪ 1,500\n"
            ).encode(),
            rows=3,
            rejected=3,
            reason="amounts of two currencies are not added up",
            revenue=175.0,
            note="more than one currency",
        ),
        # The title row, mapping as many fields as the header, was taken for it: every row
        # was rejected and the file refused.
        Case(
            "title_row_naming_the_fields.csv",
            lambda p: (
                b"Client report,Date: 2024-04-01,Amount in USD\nDate,Client,Amount\n"
                b"2024-01-05,Acme,100\n2024-02-06,Beta,200\n"
            ),
            rows=2,
            revenue=300.0,
        ),
        # The rows under the merge were rejected as without a client; the codes were stored as
        # 123, so the same quarter from the export's CSV (000123) was stored again.
        Case(
            "xls_merged_client_and_padded_codes.xls",
            lambda p: xls_merged_client_and_padded_codes(),
            rows=4,
            names=frozenset({"Acme", "Beta"}),
            ids=frozenset({"000123", "000124"}),
            note="C2:C4",
        ),
        # Revenue came from a column the user cannot see; the note said only that something
        # was hidden.
        Case(
            "hidden_amount_column.xlsx",
            lambda p: hidden_amount_column(),
            rows=4,
            note="C (Revenue) is hidden in the workbook",
        ),
        # DOS's end-of-file mark after the last line was a row of its own, rejected.
        Case(
            "dos_end_of_file_mark.csv",
            lambda p: (
                b"Order Date,Customer,Amount\r\n2024-01-05,Acme,5\r\n2024-01-06,Beta,6\r\n\x1a"
            ),
            rows=2,
            rejected=0,
        ),
        # German Excel's tab-separated text: '1,500' may be 1.5; read as 1,500 without a word.
        Case(
            "tab_separated_commas_before_three_digits.txt",
            lambda p: (
                b"Order Date\tCustomer\tAmount\n2024-01-05\tAcme\t1,500\n2024-01-06\tBeta\t12,125\n"
            ),
            rows=2,
            revenue=13_625.0,
            note="the comma was read as grouping thousands",
        ),
        # Stored as 123 and 124: the same quarter from the CSV export (000123) was stored again.
        Case(
            "ods_padded_codes.ods",
            lambda p: ods_padded_codes(),
            rows=3,
            ids=frozenset({"000123", "000124"}),
        ),
        # A column of dotted dates that are month first themselves stays month first (a first
        # version of the rule above read them day first and rejected two).
        Case(
            "dotted_dates_month_first.csv",
            lambda p: (
                b"Date,Client,Amount\n01.15.2024,Acme,1\n02.20.2024,Beta,2\n03.05.2024,Gamma,3\n"
            ),
            rows=3,
            dates=frozenset({"2024-01-15", "2024-02-20", "2024-03-05"}),
        ),
        # A later block headed in plainer words took the header from the first one (a first
        # version of the rule above), and the rows above it were lost without a word.
        Case(
            "second_block_with_plainer_labels.csv",
            lambda p: (
                b"Posting Date,Bill-to Customer,Net Sales ILS\n2024-01-05,Acme,100\n"
                b"2024-01-06,Beta,200\nNote: amounts excl. VAT,,\nDate,Customer,Amount\n"
                b"2024-01-07,Gamma,300\n"
            ),
            rows=3,
            rejected=1,  # the second header, with its reason (the note is a footnote: skipped)
            revenue=600.0,
        ),
        # Each element noted its 16,384 columns one by one: 300,000 elements (37 KB zipped)
        # were refused after 67 s; 'min' written '²' was an internal error.
        Case(
            "hidden_column_elements_300000.xlsx",
            lambda p: hidden_column_elements(300_000),
            rows=1,
            note="is hidden in the workbook",
        ),
        # German 'no cents' ('1.234,-') was read as a trailing minus: -1,234 stored.
        Case(
            "amounts_without_cents_written_with_a_dash.csv",
            lambda p: (
                "Date;Client;Amount\n05.01.2024;Acme;1.234,-\n06.01.2024;Beta;100,- €\n"
                "07.01.2024;Gamma;1 000,-\n"
            ).encode(),
            rows=3,
            revenue=2_334.0,
        ),
        # Counted from 1900, the dates came 4 years and a day early: 2020-01-04.
        Case(
            "xlsb_1904_plain_serial.xlsb",
            lambda p: xlsb_1904_plain_serial(),
            rows=2,
            dates=frozenset({"2024-01-05", "2024-01-06"}),
        ),
    ]
