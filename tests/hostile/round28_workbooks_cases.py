"""Workbooks of a twenty-eighth round: a sheet the workbook lists whose part is missing from
the archive (or whose relationship points nowhere) refused the whole file as damaged; an .ods
amount stored as 1e999 with its attribute spaced or single-quoted, or showing no text, was
rejected as "not an amount ('inf')" or as missing; an .xlsx amount in a duration format
([h]:mm) was read as a date from a day up (rejected) and as a number of days below (stored)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl

from tests.hostile import rawzip
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet

HEADER = ["Order Date", "Customer", "Amount"]
SALES = [["2024-01-05", "Acme", 100], ["2024-01-06", "Beta", 50]]
MISSING_NOTE = "is listed in the workbook but its part is missing from the file"


def _sheet(rows: list[list[object]]) -> str:
    return rawzip.sheet_xml(rawzip.rows_xml(list(enumerate([HEADER, *rows], start=1))))


def two_sheets() -> bytes:
    """A workbook of two sheets, 'Sales' (sheet1.xml) and 'Archive' (sheet2.xml)."""
    return rawzip.xlsx([("Sales", _sheet(SALES)), ("Archive", _sheet([["2023-05-01", "Old", 9]]))])


def edited(data: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """The archive with each member passed through edit (None leaves the member out)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            body = edit(member.filename, source.read(member))
            if body is not None:
                archive.writestr(member.filename, body)
    return out.getvalue()


def without_part(*names: str) -> bytes:
    """Two sheets, the named parts left out of the archive."""
    return edited(two_sheets(), lambda name, body: None if name in names else body)


def rels_edited(old: bytes, new: bytes) -> bytes:
    """Two sheets, the workbook's relationships edited (old replaced by new)."""
    return edited(
        two_sheets(),
        lambda name, body: body.replace(old, new) if name.endswith("workbook.xml.rels") else body,
    )


def _ods_text(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


# Amounts no double holds, as XML allows their attribute to be written: spaced, single-quoted,
# in an empty cell (shown as stored), beside a sale of 50.
ODS_AMOUNTS = [
    '<table:table-cell office:value-type="float" office:value = "1e999"><text:p>1e999</text:p>'
    "</table:table-cell>",
    "<table:table-cell office:value-type='float' office:value='-1e999'/>",
    '<table:table-cell office:value-type="float" office:value="1e999"></table:table-cell>',
    '<table:table-cell office:value-type="float" office:value="50"><text:p>50</text:p>'
    "</table:table-cell>",
]


def ods_amounts_past_a_double() -> bytes:
    """An .ods of four sales whose amounts are ODS_AMOUNTS."""
    rows = [_ods_text("Order Date") + _ods_text("Customer") + _ods_text("Amount")]
    for n, amount in enumerate(ODS_AMOUNTS, start=1):
        rows.append(_ods_text(f"2024-01-0{n}") + _ods_text(f"Client {n}") + amount)
    return ods_sheet("".join(f"<table:table-row>{row}</table:table-row>" for row in rows))


# Amounts in elapsed-time formats (days shown as hours, minutes and seconds), beside a sale of
# 7; [h]:mm:ss is Excel's built-in format 46.
DURATIONS = [(1.5, "[h]:mm"), (0.25, "[mm]:ss"), (2.0, "[h]:mm:ss"), (7, "General")]


def xlsx_amounts_in_durations() -> bytes:
    """An .xlsx of four sales whose amounts are DURATIONS (value, number format)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(HEADER)
    for n, (value, code) in enumerate(DURATIONS, start=1):
        sheet.append([f"2024-01-0{n}", f"Client {n}", value])
        sheet.cell(row=n + 1, column=3).number_format = code
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def round28_workbooks_cases() -> list[Case]:
    sales = {"rows": 2, "revenue": 150.0, "names": frozenset({"Acme", "Beta"})}
    return [
        Case(
            "xlsx_second_sheet_part_missing.xlsx",
            lambda p: without_part("xl/worksheets/sheet2.xml"),
            note="Sheet 'Archive' " + MISSING_NOTE,
            **sales,
        ),
        Case(
            "xlsm_second_sheet_relationship_missing.xlsm",
            lambda p: rels_edited(b'Id="rId2"', b'Id="rId9"'),
            note="Sheet 'Archive' " + MISSING_NOTE,
            **sales,
        ),
        Case(
            "xlsx_second_sheet_relationship_points_nowhere.xlsx",
            lambda p: rels_edited(b"worksheets/sheet2.xml", b"worksheets/gone.xml"),
            note="Sheet 'Archive' " + MISSING_NOTE,
            **sales,
        ),
        Case(
            "xlsx_every_sheet_part_missing.xlsx",
            lambda p: without_part("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"),
            refused="it lists 2 sheets ('Sales', 'Archive') but their parts are missing",
        ),
        Case(
            "ods_amounts_of_1e999_spaced_quoted_and_empty.ods",
            lambda p: ods_amounts_past_a_double(),
            rows=1,
            rejected=3,
            revenue=50.0,
            value="-1e999",
            reason="revenue is out of range",
        ),
        Case(
            "xlsx_amounts_in_duration_formats.xlsx",
            lambda p: xlsx_amounts_in_durations(),
            rows=1,
            rejected=3,
            revenue=7.0,
            value="360:00",
            reason="revenue is not an amount",
        ),
    ]
