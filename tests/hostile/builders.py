"""Builders of the hostile corpus's files: broken archives, bombs, odd sheets and names."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl

from tests.hostile import rawzip as rz

HEADER = ["Order Date", "Customer", "Amount"]
D = dt.date


def via(writer: Callable[..., Path], *args: object) -> Callable[[Path], bytes]:
    """A builder that writes with one of the test writers and returns the bytes."""
    return lambda path: writer(path, *args).read_bytes()


def sales(n: int = 3, start: int = 1) -> list[list[object]]:
    return [[D(2024, 1, i), f"Client {i}", 100.0 * i] for i in range(start, start + n)]


def xlsx_of(rows: list[list[object]]) -> bytes:
    """A workbook of one sheet holding the rows, as openpyxl writes it."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in sales(5):
        book.active.append(row)
    book.save(buffer)
    return buffer.getvalue()


def raw(*sheets: tuple[str, list[tuple[int, list[object]]]], prolog: str = "") -> bytes:
    return rz.xlsx([(name, rz.sheet_xml(rz.rows_xml(rows), prolog)) for name, rows in sheets])


def numbered(rows: list[list[object]], first: int = 1) -> list[tuple[int, list[object]]]:
    return [(first + i, row) for i, row in enumerate(rows)]


def text_sales(n: int = 3) -> list[list[object]]:
    return [[f"2024-02-{i:02d}", f"Firm {i}", 10 * i] for i in range(1, n + 1)]


BOMB_ENTITIES = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10)).replace(
        "&lol1;", "&lol;"
    )
    + "]>\n"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def entity_sheet(prolog: str, entity: str) -> bytes:
    rows = [(1, HEADER), (2, ["2024-01-05", "placeholder", 5])]
    xml = rz.sheet_xml(rz.rows_xml(rows), prolog).replace("placeholder", entity)
    return rz.xlsx([("Sales", xml)])


def xxe_in_shared_strings() -> bytes:
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    rows += '<c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c>'
    rows += '<c r="B2" t="s"><v>4</v></c><c r="C2"><v>5</v></c></row>'
    strings = rz.shared_strings([*HEADER, "2024-01-05", "&xxe;"], XXE)
    return rz.xlsx([("Sales", rz.sheet_xml(rows))], [strings])


def wide() -> bytes:
    # Sales in A-C, a note in the 16,000th column of the header row.
    header = (1, [*HEADER, *[None] * 15_996, "Remark"])
    return raw(("Sales", [header, *numbered(text_sales(4), 2)]))


def row_limit() -> bytes:
    rows = [(1, HEADER), *numbered(text_sales(3), 2), (1_048_576, ["2024-03-31", "Last", 7])]
    return raw(("Sales", rows))


def far_cell() -> bytes:
    rows = [(1, HEADER), *numbered(text_sales(2), 2), (1_048_576, [*[None] * 16_383, "x"])]
    return raw(("Sales", rows))


def many_members() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(12_000):
            archive.writestr(f"xl/media/p{i}.bin", b"")
    return out.getvalue()


def zip_of(names: list[str]) -> bytes:
    return rz.zip_bytes([rz.deflated(n, b"<x/>") for n in names])


def lying_bomb() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(good_xlsx()))
    members = [
        rz.deflated(i.filename, good.read(i))
        for i in good.infolist()
        if i.filename != "xl/worksheets/sheet1.xml"
    ]
    # The sheet says it unpacks to 2 KB; it really unpacks to 1.1 GB.
    return rz.zip_bytes([*members, rz.zero_bomb("xl/worksheets/sheet1.xml", 1_100, 2_048)])


def honest_bomb() -> bytes:
    return rz.zip_bytes(
        [rz.deflated("xl/workbook.xml", b"<workbook/>"), rz.zero_bomb("xl/big.xml", 1_100)]
    )


def encrypted() -> bytes:
    # An OLE container holding an EncryptedPackage stream, as Excel saves a password file.
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504
    return header + "EncryptedPackage".encode("utf-16-le") + random.Random(3).randbytes(4000)


CONTROL_NAMES = ["Acme_x0007_ Ltd", "Beta_x0001__x001B_ Works", "Gamma_x000A_Trading"]
STORED_CONTROL_NAMES = {"Acme Ltd", "Beta Works", "Gamma Trading"}
WORLD_NAMES = ['אלקטרה בע"מ', "شركة النور", "Café ☕ 🚀 Ltd", "‏Mixed עברית English‎"]
FORMULA_NAMES = ['=HYPERLINK("http://127.0.0.1:9/","x")', "+972 Trading", "-Minus Co", "@SUM(A1)"]


def ods_repeat_bomb() -> bytes:
    """An OpenDocument sheet whose one cell repeats 16,384 times across 1,048,576 rows."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    row = (
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        f'<office:spreadsheet><table:table table:name="Sales">{row}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    return rz.zip_bytes(
        [
            rz.Member("mimetype", mime, 0, zlib.crc32(mime), len(mime)),
            rz.deflated("content.xml", content.encode()),
        ]
    )


def wide_csv(columns: int) -> bytes:
    """A CSV export with the sales in the first columns and many empty ones after them."""
    pad = "," * (columns - len(HEADER))
    lines = [",".join(HEADER) + pad, *[f"2024-05-0{i},Wide {i},{i}{pad}" for i in range(1, 4)]]
    return "\n".join(lines).encode()


def formatted_far_cell() -> bytes:
    """Sales plus an empty but formatted cell at XFD1048576, as Excel writes a stray border."""
    rows = rz.rows_xml([(1, HEADER), *numbered(text_sales(3), 2)])
    rows += '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    return rz.xlsx([("Sales", rz.sheet_xml(rows))])


def far_cell_prefixed() -> bytes:
    """A far cell in a sheet whose elements all carry a namespace prefix (<x:c>)."""
    rows = '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Date</x:t></x:is></x:c></x:row>'
    rows += '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
    xml = (
        f'{rz.XML_DECL}<x:worksheet xmlns:x="{rz.MAIN_NS}"><x:sheetData>{rows}'
        "</x:sheetData></x:worksheet>"
    )
    return rz.xlsx([("Sales", xml)])


def far_cell_implicit() -> bytes:
    """Cells without positions: 16,384 in row 1, one in row 1,048,576 (the reader counts on)."""
    wide = "<c><v>1</v></c>" * 16_384
    rows = f'<row r="1">{wide}</row><row r="1048576"><c><v>2</v></c></row>'
    return rz.xlsx([("Sales", rz.sheet_xml(rows))])


def forged_xls(legacy: bytes) -> bytes:
    """A legacy .xls whose header claims 8 GB sectors (the reader would allocate one)."""
    data = bytearray(legacy)
    data[0x1E:0x20] = (33).to_bytes(2, "little")  # sector size = 2**33 bytes
    return bytes(data)
