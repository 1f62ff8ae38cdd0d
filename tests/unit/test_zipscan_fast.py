"""The scan's fast pass finds the largest row and column of any cell wherever it hides, while
it only searches for cells beyond what it has seen; markup it does not expect goes to the exact
pass, and a part that unpacks to more than it declares is refused at once."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from kam_core.config import SETTINGS
from kam_core.ingest import ImportRefused
from kam_core.ingest.extent import Extent
from kam_core.ingest.guard import sniff
from tests.hostile import rawzip as rz

SIZES = (1 << 20, 4_099, 613)  # the scan's step, and odd sizes that cut tags anywhere
# Rows enough to span several pieces of each size (a row of eleven cells is about 300 bytes).
MANY = {1 << 20: 30_000, 4_099: 2_000, 613: 600}


def row(number: int, refs: list[str]) -> str:
    return f'<row r="{number}">' + "".join(f'<c r="{r}"><v>1</v></c>' for r in refs) + "</row>"


def sheet(rows: list[str], prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{rz.MAIN_NS}"' if prefix else f'xmlns="{rz.MAIN_NS}"'
    body = "".join(rows)
    if prefix:
        body = body.replace("<row", f"<{p}row").replace("</row", f"</{p}row")
        body = body.replace("<c ", f"<{p}c ").replace("</c>", f"</{p}c>")
        body = body.replace("<v>", f"<{p}v>").replace("</v>", f"</{p}v>")
    return (
        f"{rz.XML_DECL}<{p}worksheet {xmlns}><{p}sheetData>{body}</{p}sheetData></{p}worksheet>"
    ).encode()


def fast_pass(xml: bytes, size: int) -> Extent:
    extent = Extent(exact=False)
    for i in range(0, len(xml), size):
        extent.feed(xml[i : i + size])
    extent.feed(b"", final=True)
    return extent


def scanned(xml: bytes, size: int) -> Extent:
    """The scan's measure: the fast pass, and the exact count where the fast pass gave up."""
    extent = fast_pass(xml, size)
    if extent.regular:
        return extent
    extent = Extent(exact=True)
    for i in range(0, len(xml), size):
        extent.feed(xml[i : i + size])
    extent.feed(b"", final=True)
    return extent


def in_order(rows: int, columns: str = "ABCDEFGHIJK") -> list[str]:
    return [row(r, [f"{c}{r}" for c in columns]) for r in range(1, rows + 1)]


@pytest.mark.parametrize("size", SIZES)
def test_a_sheet_in_order_gives_its_last_row_and_widest_column(size):
    n = MANY[size]
    extent = fast_pass(sheet(in_order(n)), size)
    assert (extent.max_row, extent.max_col, extent.regular) == (n, 11, True)


@pytest.mark.parametrize("size", SIZES)
def test_one_cell_at_xfd1048576_in_row_1_of_a_small_sheet_is_found(size):
    rows = in_order(3)
    rows[0] = row(1, ["A1", "B1", "XFD1048576"])
    # A cell outside its row is out of place: the exact count measures the sheet.
    assert not fast_pass(sheet(rows), size).regular
    extent = scanned(sheet(rows), size)
    assert (extent.max_row, extent.max_col) == (1_048_576, 16_384)


@pytest.mark.parametrize("size", SIZES)
def test_a_far_cell_hidden_in_the_middle_of_many_rows_is_found(size):
    n = MANY[size]
    rows = in_order(n)
    middle = n * 17 // 40
    rows[middle] = row(middle + 1, [f"A{middle + 1}", "ZZ999999", f"B{middle + 1}"])  # both past
    extent = scanned(sheet(rows), size)
    assert (extent.max_row, extent.max_col) == (999_999, 26 * 26 + 26)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("beyond", ["column", "row"])
def test_a_cell_one_column_or_one_row_beyond_the_rest_is_found(size, beyond):
    n = MANY[size]
    rows = in_order(n)
    middle = n // 2
    hidden, extent = (
        (f"L{middle + 1}", (n, 12)) if beyond == "column" else (f"K{n + 1}", (n + 1, 11))
    )
    rows[middle] = row(middle + 1, [f"A{middle + 1}", hidden])
    found = scanned(sheet(rows), size)
    assert (found.max_row, found.max_col) == extent


def exact_count(data: bytes) -> Extent:
    extent = Extent(exact=True)
    extent.feed(data, final=True)
    return extent


@pytest.mark.parametrize("size", SIZES)
def test_rows_written_backwards_and_shuffled_go_to_the_exact_count_with_the_same_extent(size):
    rows = in_order(20_000)
    rows.reverse()
    backwards = sheet(rows)
    random.Random(7).shuffle(rows)
    shuffled = sheet(rows)
    # Rows out of order may hide one written twice: the exact count checks them.
    assert not fast_pass(backwards, size).regular and not fast_pass(shuffled, size).regular
    for data in (backwards, shuffled):
        extent = exact_count(data)
        assert (extent.max_row, extent.max_col) == (20_000, 11)


@pytest.mark.parametrize("size", SIZES)
def test_a_row_number_a_digit_longer_than_any_before_is_found(size):
    rows = in_order(9_999)
    # Row tags in order (rows out of order go to the exact count), cells placed beyond them.
    rows[500] = row(501, ["C10000"])  # five digits among four-digit rows
    rows[100] = row(101, ["D0000012345"])  # written with leading zeros: row 12,345
    extent = scanned(sheet(rows), size)
    assert (extent.max_row, extent.max_col) == (12_345, 11)


@pytest.mark.parametrize("size", SIZES)
def test_a_prefixed_sheet_is_measured_the_same_way(size):
    rows = in_order(5_000)
    rows[2_500] = row(2_501, ["A2501", "XFD1048576"])
    extent = scanned(sheet(rows, prefix="x"), size)
    assert (extent.max_row, extent.max_col) == (1_048_576, 16_384)


@pytest.mark.parametrize(
    "cell",
    [
        '<c\nr="XFD1048576"><v>1</v></c>',  # a line break before the position
        '<c\tr="XFD1048576"><v>1</v></c>',
        '<c  r="XFD1048576"><v>1</v></c>',
        '<c r="XFD1048576 "><v>1</v></c>',
        '<c r="xfd1048576"><v>1</v></c>',
        '<c t="n" r="XFD1048576"><v>1</v></c>',
        "<c><v>1</v></c>",
    ],
)
def test_a_cell_tag_written_another_way_sends_the_sheet_to_the_exact_pass(cell):
    rows = in_order(2_000)
    rows[1_000] = rows[1_000].replace("</row>", cell + "</row>")
    assert fast_pass(sheet(rows), 1 << 20).regular is False


def test_a_far_cell_after_a_line_break_is_refused_by_the_exact_pass():
    rows = '<row r="1"><c r="A1"><v>1</v></c><c\nr="XFD1048576"><v>1</v></c></row>'
    data = rz.xlsx([("Sales", rz.sheet_xml(rows))])
    with pytest.raises(ImportRefused, match="its cells reach XFD1048576"):
        sniff(data, "far.xlsx", SETTINGS.limits)


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused_as_a_zip_bomb():
    rows = "".join(in_order(20_000))
    xml = rz.sheet_xml(rows).encode()
    lying = rz.deflated("xl/worksheets/sheet1.xml", xml, declared=len(xml) - 1)
    honest = rz.deflated("xl/worksheets/sheet1.xml", xml)
    data = rz.xlsx([("Sales", rz.sheet_xml(""))])
    with pytest.raises(ImportRefused, match=r"more than its parts declare .* zip bomb"):
        sniff(_replace_sheet(data, lying), "lying.xlsx", SETTINGS.limits)
    assert sniff(_replace_sheet(data, honest), "honest.xlsx", SETTINGS.limits).kind == "xlsx"


def _replace_sheet(data: bytes, member: rz.Member) -> bytes:
    """The same archive with its sheet's part replaced."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = [
        rz.deflated(i.filename, archive.read(i)) if i.filename != member.name else member
        for i in archive.infolist()
    ]
    return rz.zip_bytes(members)


@pytest.mark.parametrize("size", SIZES)
def test_past_the_placement_check_the_fast_pass_still_finds_a_far_cell_anywhere(size, monkeypatch):
    # Past a sheet's first 64 MB cells are not compared one by one: the fast pass alone must
    # still find a cell beyond the others, wherever it hides.
    from kam_core.ingest import extent as extent_module

    monkeypatch.setattr(extent_module, "FULL_ROW_CHECK", 0)
    n = MANY[size]
    for at, refs, expected in (
        (0, ["A1", "B1", "XFD1048576"], (1_048_576, 16_384)),
        (n // 2, [f"A{n // 2 + 1}", "ZZ999999"], (999_999, 26 * 26 + 26)),
        (n // 2, [f"A{n // 2 + 1}", f"L{n // 2 + 1}"], (n, 12)),
        (n // 2, [f"A{n // 2 + 1}", f"K{n + 1}"], (n + 1, 11)),
    ):
        rows = in_order(n)
        rows[at] = row(at + 1, refs)
        extent = fast_pass(sheet(rows), size)
        assert (extent.max_row, extent.max_col, extent.regular) == (*expected, True)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("cell", "regular"),
    [
        ("<c r=\"B{r}\" t='n'><v>1</v></c>", False),  # single quotes: the exact count
        ('<c r="B{r}" t = "n"><v>1</v></c>', False),  # spaces around '='
        ('<c r="B{r}" t="n"><v>a=b</v></c>', True),  # an '=' in a value is no attribute
        ('<c r="B{r}" t="inlineStr"><is><t>x=</t></is></c>', True),  # nor one before a tag
    ],
)
def test_an_equals_sign_outside_a_double_quoted_attribute_is_judged_wherever_it_falls(
    size, cell, regular
):
    # The fast pass reads attributes in double quotes only; an '=' seen without one sends the
    # sheet to the exact count, even when it ends a piece of the part.
    n = MANY[size]
    rows = in_order(n)
    at = n // 2
    rows[at] = rows[at].replace(f'<c r="B{at + 1}"><v>1</v></c>', cell.format(r=at + 1))
    assert fast_pass(sheet(rows), size).regular is regular
    assert (scanned(sheet(rows), size).max_row, scanned(sheet(rows), size).max_col) == (n, 11)


@pytest.mark.parametrize("size", SIZES)
def test_inline_text_written_as_a_value_among_inline_text_cells_is_noted(size):
    n = MANY[size]
    rows = [
        r.replace('<c r="C', '<c t="inlineStr" r="C').replace(
            '"><v>1</v></c><c r="D', '"><is><t>Acme</t></is></c><c r="D'
        )
        for r in in_order(n)
    ]
    plain = fast_pass(sheet(rows), size)
    at = n // 2
    rows[at] = rows[at].replace("<is><t>Acme</t></is>", "<v>Acme</v>")
    written = fast_pass(sheet(rows), size)
    assert (plain.inline_values, written.inline_values) == (False, True)


@pytest.mark.parametrize("size", SIZES)
def test_a_number_holding_a_character_reference_is_noted_past_ampersands_in_text(size):
    n = MANY[size]
    rows = in_order(n)
    rows[1] = rows[1].replace('<c r="B2"><v>1</v></c>', '<c r="B2" t="str"><v>A &amp; B</v></c>')
    plain = fast_pass(sheet(rows), size)
    at = n - 2
    rows[at] = rows[at].replace(f'<c r="B{at + 1}"><v>1</v>', f'<c r="B{at + 1}"><v>1&#160;200</v>')
    written = fast_pass(sheet(rows), size)
    assert (plain.number_refs, written.number_refs) == (False, True)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_merged_ranges_and_formulas_are_found_with_or_without_a_prefix(prefix):
    p = f"{prefix}:" if prefix else ""
    rows = in_order(3_000)
    rows[10] = rows[10].replace('<c r="E11"><v>1</v></c>', '<c r="E11"><f>1+1</f></c>')
    xml = sheet(rows, prefix).replace(b"<f>1+1</f>", f"<{p}f>1+1</{p}f>".encode())
    merged = f'<{p}mergeCells count="1"><{p}mergeCell ref="A2:A5"/></{p}mergeCells>'
    xml = xml.replace(f"</{p}sheetData>".encode(), f"</{p}sheetData>{merged}".encode())
    extent = fast_pass(xml, 4_099)
    assert extent.merges == [(0, 1, 4)]
    assert extent.formulas == {4: [1, "E11", [11]]}
