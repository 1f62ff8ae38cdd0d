"""A sheet the workbook lists whose part the archive lacks is left out, named in a note; the
other sheets are read, in the worker whether the scan runs first or beside the reader."""

from __future__ import annotations

import io
import zipfile

import pytest

from kam_core.config import ImportLimits
from kam_core.importing import preview
from kam_core.ingest import ImportRefused, parts, read_file
from tests.hostile.round28_workbooks_cases import (
    MISSING_NOTE,
    rels_edited,
    two_sheets,
    without_part,
)

FIRST = ImportLimits(read_beside_bytes=1 << 40)  # the scan first
BESIDE = ImportLimits(read_beside_bytes=0)  # the scan beside the reader


def _missing(data: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return parts.archive_missing_sheets(archive)[0]


def test_the_entries_without_a_part_are_found_however_the_part_is_missing():
    assert _missing(two_sheets()) == []
    assert _missing(without_part("xl/worksheets/sheet2.xml")) == [("rId2", "Archive")]
    assert _missing(rels_edited(b'Id="rId2"', b'Id="rId9"')) == [("rId2", "Archive")]
    external = rels_edited(
        b'Target="worksheets/sheet2.xml"', b'Target="http://a.example/s.xml" TargetMode="External"'
    )
    assert _missing(external) == [("rId2", "Archive")]


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "beside"])
def test_the_other_sheets_are_read_and_the_missing_one_is_named(limits):
    for data in (without_part("xl/worksheets/sheet1.xml"), rels_edited(b'Id="rId1"', b'Id="x"')):
        book = read_file(data, "two.xlsx", limits)
        assert [grid.name for grid in book.sheets] == ["Archive"]
        assert book.missing == ("Sales",)
        assert any(f"Sheet 'Sales' {MISSING_NOTE}; it was not read." in n for n in book.notes)


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "beside"])
def test_no_sheet_left_refuses_the_file_naming_them(limits):
    data = without_part("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml")
    with pytest.raises(ImportRefused, match="there is no sheet to read") as refused:
        read_file(data, "two.xlsx", limits)
    assert "'Sales', 'Archive'" in str(refused.value) and "two.xlsx" in str(refused.value)


def test_the_missing_sheet_asked_for_by_name_is_refused_naming_it():
    data = without_part("xl/worksheets/sheet2.xml")
    assert preview(None, data, "two.xlsx", sheet="Sales").layout.sheet == "Sales"
    with pytest.raises(ImportRefused) as refused:
        preview(None, data, "two.xlsx", sheet="Archive")
    assert f"sheet 'Archive' {MISSING_NOTE}; it cannot be read" in str(refused.value)
