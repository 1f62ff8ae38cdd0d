"""The scan's new checks on their own: text encodings told apart, NUL padding, error cells read
as text, formulas without saved results, sheets found by content."""

from __future__ import annotations

import io
import zipfile

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import ImportRefused
from kam_core.ingest.extent import Extent
from kam_core.ingest.guard import wide_encoding
from kam_core.ingest.read import _nul_padding, errors_as_text, read_here
from tests.hostile import new_cases as nc

TEXT = "Order Date,Customer,Amount\r\n2024-01-05,אלון,1\r\n2024-01-06,Гамма,2\r\n"
HEBREW = "תאריך,לקוח,סכום\r\n2024-01-05,אלון בע״מ,1\r\n2024-01-06,שקד,2\r\n"


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (HEBREW.encode("utf-16-le"), "utf-16-le"),
        (HEBREW.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("utf-32-le"), "utf-32-le"),
        (TEXT.encode("utf-32-be"), "utf-32-be"),
        (HEBREW.encode("utf-8"), None),
        (HEBREW.encode("cp1255"), None),
        (bytes(range(256)) * 16, None),  # binary: no script fills the high bytes
    ],
)
def test_utf16_and_utf32_are_told_with_or_without_a_byte_order_mark(data, codec):
    assert wide_encoding(data) == codec


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le"])
def test_nul_padding_after_text_is_cut_and_the_text_keeps_its_last_character(codec):
    body = TEXT.encode(codec)
    assert _nul_padding(body + b"\0" * 1001) == 1001
    assert _nul_padding(body) == 0
    assert _nul_padding(b"\0" * 50) == 0  # nothing but NULs stays for the binary check


def test_a_padded_csv_reads_its_rows_with_a_note():
    book = read_here(TEXT.encode() + b"\0" * 5000, "padded.csv", ImportLimits())
    assert book.sheets[0].table.column(1).to_pylist() == ["Customer", "אלון", "Гамма"]
    assert any("5,000 NUL bytes" in n for n in book.notes)


def test_error_cells_of_sheets_become_text_cells_even_when_cut_between_chunks():
    cells = b'<c r="C2" t="e"><v>#SPILL!</v></c>' * 70_000 + b"<c t='e'><v>#CALC!</v></c>"
    content = b"<worksheet><sheetData>" + cells + b"</sheetData></worksheet>"
    strings = b'<sst><si><t>set t="e" here</t></si></sst>'
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", content)
        archive.writestr("xl/sharedStrings.xml", strings)
    out = zipfile.ZipFile(io.BytesIO(errors_as_text(source.getvalue())))
    assert out.read("xl/sharedStrings.xml") == strings  # only sheets change
    sheet = out.read("xl/worksheets/sheet1.xml")
    assert sheet.count(b't="str"') == 70_001 and b't="e"' not in sheet
    assert sheet.replace(b't="str"', b"").count(b"#SPILL!") == 70_000


def test_cells_with_formulas_and_no_saved_result_are_counted_by_column():
    rows = (
        '<row r="2"><c r="A2"><v>1</v></c><c r="E2"><f>C2*D2</f><v /></c></row>'
        '<row r="3"><c r="E3"><f>C3*D3</f><v>30</v></c><c r="F3" t="str"><f>B3</f></c></row>'
        '<row r="4"><c r="E4" s="2"><f t="shared" si="0"/><v></v></c></row>'
    )
    extent = Extent(exact=False)
    extent.feed(nc.rz.sheet_xml(rows).encode(), final=True)
    assert extent.formulas == {4: [2, "E2", [2, 4]], 5: [1, "F3", [3]]}


def test_the_formula_note_names_the_column_and_its_first_cell():
    book = read_here(nc.formulas_without_results(), "written.xlsx", ImportLimits())
    assert book.sheets[0].formulas == {2: [2, "C3", [3, 5]]}
    assert any("column(s) C (2 cells, first C3)" in n for n in book.notes)


def test_a_sheet_stored_under_a_name_without_xml_is_measured():
    data = nc.far_sheet_named("data/q.bin", "/data/q.bin")
    with pytest.raises(ImportRefused, match="cells per sheet"):
        read_here(data, "q.xlsx", ImportLimits())


def test_an_image_part_is_not_measured_as_a_sheet():
    image = nc.rz.deflated("xl/media/image1.png", b"\x89PNG\r\n<" + b"x" * (3 << 20))
    data = nc.book(
        [("Sales", "rId1")],
        {"rId1": "worksheets/sheet1.xml"},
        [nc.sheet_part("xl/worksheets/sheet1.xml", nc.ROWS), image],
    )
    assert read_here(data, "picture.xlsx", ImportLimits()).sheets[0].n_rows == 4


def test_a_row_number_written_twice_is_refused_even_when_another_is_missing():
    rows = nc.ROWS.replace('<row r="4">', '<row r="3">')  # rows 1, 2, 3, 3: no row 4
    data = nc.book(
        [("Sales", "rId1")],
        {"rId1": "worksheets/sheet1.xml"},
        [nc.sheet_part("xl/worksheets/sheet1.xml", rows)],
    )
    with pytest.raises(ImportRefused, match="holds row 3 twice"):
        read_here(data, "twice.xlsx", ImportLimits())


def test_rows_out_of_order_but_each_once_are_read():
    rows = nc.rz.rows_xml(
        [(1, nc.HEADER), (3, ["2024-01-06", "B", 2]), (2, ["2024-01-05", "A", 1])]
    )
    data = nc.book(
        [("Sales", "rId1")],
        {"rId1": "worksheets/sheet1.xml"},
        [nc.sheet_part("xl/worksheets/sheet1.xml", rows)],
    )
    table = read_here(data, "order.xlsx", ImportLimits()).sheets[0].table
    assert table.column(1).to_pylist() == ["Customer", "A", "B"]


def test_a_csv_row_longer_than_the_largest_block_is_refused_saying_so(monkeypatch):
    from kam_core.ingest import csvread

    monkeypatch.setattr(csvread, "MAX_BLOCK", 1 << 20)
    data = b"Order Date,Customer,Amount\n2024-01-05,A,1\n2024-01-06," + b"N" * (3 << 20) + b",5\n"
    with pytest.raises(ImportRefused, match="one row of the file is longer than 1 MB"):
        read_here(data, "long.csv", ImportLimits())


def test_a_csv_line_of_endless_separators_is_one_rejected_row(monkeypatch):
    from kam_core.ingest import csvread

    monkeypatch.setattr(csvread, "LONG_ROW", 1_000)
    data = b"Order Date,Customer,Amount\n2024-01-05,A,1\n" + b"a," * 5_000 + b"\n2024-01-06,B,2\n"
    grid = read_here(data, "endless.csv", ImportLimits()).sheets[0]
    assert grid.problems == {2: csvread.LONG_LINE}
    assert grid.table.column(1).to_pylist()[3] == "B"


def test_a_text_formula_with_an_empty_saved_result_is_not_called_unsaved():
    # =IF(...,"",...) as Excel saves it: a text result, empty.
    rows = '<row r="2"><c r="E2" t="str"><f>IF(A2,"",1)</f><v></v></c></row>'
    extent = Extent(exact=False)
    extent.feed(nc.rz.sheet_xml(rows).encode(), final=True)
    assert extent.formulas == {}
