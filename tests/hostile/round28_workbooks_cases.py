"""Workbooks of a twenty-eighth round: a sheet the workbook lists whose part is missing from
the archive (or whose relationship points nowhere) refused the whole file as damaged."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from tests.hostile import rawzip
from tests.hostile.case import Case

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
    ]
