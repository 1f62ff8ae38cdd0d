"""Hostile files found after issue 10's corpus: sheets the scan skipped for their name, parts
named twice or shared by sheets, error values the reader refused, formulas without results,
CSV in UTF-16 or UTF-32 it could not tell, and text padded with NUL bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

import openpyxl

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER
from tests.hostile.case import Case
from tests.hostile.guarded import FAR

RANGE = "cells per sheet"
HEBREW = ["אלון", "שקד", "תמר"]
ROWS = rz.rows_xml(
    [(1, HEADER), *[(i + 2, [f"2024-01-0{i + 5}", f"Firm {i}", i + 1]) for i in range(3)]]
)


def book(
    entries: list[tuple[str, str]], targets: dict[str, str], members: list[rz.Member]
) -> bytes:
    """A workbook: sheet entries (name, relationship id), where each id points, extra parts."""
    sheets = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}" r:id="{rid}"/>'
        for i, (n, rid) in enumerate(entries, start=1)
    )
    workbook = (
        rz.XML_DECL + f'<workbook xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}"><sheets>{sheets}'
        "</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{rz.REL_NS}/worksheet" Target="{escape(t)}"/>'
        for rid, t in targets.items()
    )
    types = (
        rz.XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{rz.BOOK_TYPE}"/></Types>'
    )
    root = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rz.REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    return rz.zip_bytes(
        [
            rz.deflated("[Content_Types].xml", types.encode()),
            rz.deflated("_rels/.rels", root.encode()),
            rz.deflated("xl/workbook.xml", workbook.encode()),
            rz.deflated(
                "xl/_rels/workbook.xml.rels",
                (
                    rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}">{rels}</Relationships>'
                ).encode(),
            ),
            *members,
        ]
    )


def sheet_part(name: str, rows: str) -> rz.Member:
    """A worksheet part stored under any name."""
    return rz.deflated(name, rz.sheet_xml(rows).encode())


def far_sheet_named(member: str, target: str) -> bytes:
    """Sales with a stray cell at XFD1048576, in a part whose name does not end in .xml."""
    return book([("Sales", "rId1")], {"rId1": target}, [sheet_part(member, ROWS + FAR)])


def row_beyond_any_sheet() -> bytes:
    """A cell positioned at row 99,999,999,999 (more digits than the scan's pattern took)."""
    rows = ROWS + '<row r="9"><c r="A99999999999"><v>1</v></c></row>'
    return book(
        [("Sales", "rId1")],
        {"rId1": "worksheets/sheet1.xml"},
        [sheet_part("xl/worksheets/sheet1.xml", rows)],
    )


def part_named_twice() -> bytes:
    """Two members named like the sheet: the stray far cell in the first, an honest one last."""
    evil = sheet_part("xl/worksheets/sheet1.xml", ROWS + FAR)
    honest = sheet_part("xl/worksheets/sheet1.xml", ROWS)
    return book([("Sales", "rId1")], {"rId1": "worksheets/sheet1.xml"}, [evil, honest])


def sheets_sharing_a_part(count: int = 2) -> bytes:
    """Several sheet entries pointing at one part (read once per sheet)."""
    entries = [(f"S{i}", f"rId{i % 2 + 1}") for i in range(count)]
    targets = {"rId1": "worksheets/sheet1.xml", "rId2": "/xl/worksheets/sheet1.xml"}
    return book(entries, targets, [sheet_part("xl/worksheets/sheet1.xml", ROWS)])


def row_written_twice() -> bytes:
    """Row 3 written a second time: the reader would keep only its last cells."""
    rows = ROWS + rz.rows_xml([(3, ["2024-01-09", "Again", 9])])
    return book(
        [("Sales", "rId1")],
        {"rId1": "worksheets/sheet1.xml"},
        [sheet_part("xl/worksheets/sheet1.xml", rows)],
    )


def error_values_of_excel_365() -> bytes:
    """Error values the reader does not know (#SPILL!, #CALC!) beside ones it does."""
    rows = [rz.rows_xml([(1, HEADER)])]
    for r, code in enumerate(["#SPILL!", "#CALC!", "#N/A", None], start=2):
        amount = f'<c r="C{r}" t="e"><v>{code}</v></c>' if code else f'<c r="C{r}"><v>5</v></c>'
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-01-05</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>Firm {r}</t></is></c>{amount}</row>'
        )
    return book(
        [("Sales", "rId1")],
        {"rId1": "worksheets/sheet1.xml"},
        [sheet_part("xl/worksheets/sheet1.xml", "".join(rows))],
    )


def formulas_without_results() -> bytes:
    """A workbook written by openpyxl: two amounts are formulas that were never calculated."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sales"
    sheet.append(HEADER)
    for i in range(5):
        sheet.append([dt.datetime(2024, 1, 5 + i), f"F{i}", f"=10*{i + 1}" if i % 2 else 10])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def stored_like(data: bytes, **options: object) -> bytes:
    """The same workbook written again by zipfile (zip64 headers, data descriptors)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            with target.open(member.filename, "w", **options) as sink:
                sink.write(source.read(member.filename))
    return out.getvalue()


def text(lines: list[str], header: str = ",".join(HEADER)) -> str:
    return "\r\n".join([header, *lines]) + "\r\n"


def new_cases() -> list[Case]:
    """Cases found by attacking the import with files the corpus did not have."""
    sales = [f"2024-01-0{i + 5},{n},{i + 1}" for i, n in enumerate(["Acme", "Beta", "Gamma"])]
    hebrew = [f"2024-01-0{i + 5},{n},{i + 1}" for i, n in enumerate(HEBREW)]
    far = far_sheet_named("xl/worksheets/sheet1.xml", "worksheets/sheet1.xml")
    return [
        Case(
            "sheet_part_named_bin.xlsx",
            lambda p: far_sheet_named("data/q.bin", "/data/q.bin"),
            RANGE,
        ),
        Case(
            "sheet_part_without_extension.xlsx",
            lambda p: far_sheet_named("xl/worksheets/sheet1", "worksheets/sheet1"),
            RANGE,
        ),
        Case("cell_row_99999999999.xlsx", lambda p: row_beyond_any_sheet(), RANGE),
        Case("row_written_twice.xlsx", lambda p: row_written_twice(), "holds row 3 twice"),
        Case("part_named_twice.xlsx", lambda p: part_named_twice(), "two parts named"),
        Case(
            "two_sheets_one_part.xlsx", lambda p: sheets_sharing_a_part(), "point at the same part"
        ),
        Case("sheet_entries_10001.xlsx", lambda p: sheets_sharing_a_part(10_001), "10,001 sheets"),
        Case("zip64_headers_far_cell.xlsx", lambda p: stored_like(far, force_zip64=True), RANGE),
        Case(
            "excel_365_error_values.xlsx",
            lambda p: error_values_of_excel_365(),
            rows=1,
            rejected=3,
            reason="Excel error value",
            value="#SPILL!",
        ),
        Case(
            "formulas_without_saved_results.xlsx",
            lambda p: formulas_without_results(),
            rows=3,
            rejected=2,
            note="hold formulas without saved results",
        ),
        Case(
            "csv_utf16le_hebrew_no_bom.csv",
            lambda p: text(hebrew, "תאריך,לקוח,סכום").encode("utf-16-le"),
            rows=3,
            names=frozenset(HEBREW),
        ),
        Case("csv_utf32_bom.csv", lambda p: text(sales).encode("utf-32"), rows=3),
        Case(
            "csv_utf32le_no_bom.csv",
            lambda p: text(hebrew).encode("utf-32-le"),
            rows=3,
            names=frozenset(HEBREW),
        ),
        Case(
            "csv_nul_padded.csv",
            lambda p: text(sales).encode() + b"\0" * 20_000,
            rows=3,
            note="NUL bytes (padding)",
        ),
    ]
