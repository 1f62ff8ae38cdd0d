"""Workbooks written byte by byte: archives whose headers can lie and sheets no library writes."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass
class Member:
    """One archive member: its stored bytes and what the headers claim about it."""

    name: str
    stored: bytes
    method: int  # 0 stored, 8 deflated
    crc: int
    size: int  # declared uncompressed size (may lie)


def deflated(name: str, content: bytes, declared: int | None = None) -> Member:
    """A deflated member; declared overrides the uncompressed size the headers state."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    stored = packer.compress(content) + packer.flush()
    size = len(content) if declared is None else declared
    return Member(name, stored, 8, zlib.crc32(content), size)


def zero_bomb(name: str, megabytes: int, declared: int | None = None) -> Member:
    """A member inflating to megabytes of zeros from a tiny stream (repeated deflate blocks)."""
    block = b"\0" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    stored = unit * megabytes + b"\x03\x00"  # an empty final block ends the stream
    size = megabytes << 20 if declared is None else declared
    return Member(name, stored, 8, crc, size)


def zip_bytes(members: Iterable[Member]) -> bytes:
    """Write members as a zip archive, using the sizes they declare."""
    body, directory = bytearray(), bytearray()
    count = 0
    for m in members:
        name = m.name.encode()
        offset = len(body)
        fields = (20, 0, m.method, 0, 0, m.crc, len(m.stored), m.size, len(name), 0)
        body += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + m.stored
        directory += (
            b"PK\x01\x02"
            + struct.pack(
                "<HHHHHHIIIHHHHHII",
                20,
                20,
                0,
                m.method,
                0,
                0,
                m.crc,
                len(m.stored),
                m.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


def cell(ref: str, value: object) -> str:
    """One cell's XML: text as an inline string, numbers as numbers, '#...' as an error."""
    if isinstance(value, bool | int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value)
    if text.startswith("#") and text.endswith(("!", "A", "?")):
        return f'<c r="{ref}" t="e"><v>{escape(text)}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def column(index: int) -> str:
    """Excel letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def rows_xml(rows: Sequence[tuple[int, Sequence[object]]]) -> str:
    """Rows given as (Excel row number, values from column A); None leaves a cell out."""
    out = []
    for number, values in rows:
        cells = "".join(
            cell(f"{column(i)}{number}", v) for i, v in enumerate(values) if v is not None
        )
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def sheet_xml(rows: str, prolog: str = "") -> str:
    """A worksheet part around the given rows' XML."""
    return (
        XML_DECL + prolog + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>'
        f"{rows}</sheetData></worksheet>"
    )


def shared_strings(strings: Sequence[str], prolog: str = "") -> Member:
    """A shared-strings part (cells refer to it by index with t="s")."""
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    xml = XML_DECL + prolog + f'<sst xmlns="{MAIN_NS}" count="{len(strings)}">{items}</sst>'
    return deflated("xl/sharedStrings.xml", xml.encode())


def xlsx(sheets: Sequence[tuple[str, str]], extra: Sequence[Member] = ()) -> bytes:
    """A minimal .xlsx: (sheet name, worksheet XML) pairs, plus any extra members."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
        for i in range(1, len(sheets) + 1)
    )
    types = (
        XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>{overrides}</Types>'
    )
    root_rels = (
        XML_DECL + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL_NS}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, start=1)
    )
    book = XML_DECL + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{entries}</sheets>'
    book += "</workbook>"
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if any(m.name == "xl/sharedStrings.xml" for m in extra):
        rels += (
            f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    book_rels = XML_DECL + f'<Relationships xmlns="{PKG_REL}">{rels}</Relationships>'
    members = [
        deflated("[Content_Types].xml", types.encode()),
        deflated("_rels/.rels", root_rels.encode()),
        deflated("xl/workbook.xml", book.encode()),
        deflated("xl/_rels/workbook.xml.rels", book_rels.encode()),
    ]
    members += [
        deflated(f"xl/worksheets/sheet{i}.xml", xml.encode())
        for i, (_, xml) in enumerate(sheets, start=1)
    ]
    return zip_bytes([*members, *extra])
