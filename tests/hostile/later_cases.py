"""Hostile files of a fourth round: cells placed twice, archives joined together, sheets of one
name, long tags outside the cells, a DOCTYPE after a long prolog, the 1904 date system."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER
from tests.hostile.case import Case
from tests.hostile.guarded import FAR
from tests.hostile.new_cases import ROWS

TWICE = "twice, and the second would overwrite the first"
NAMES = frozenset({"Firm 0", "Firm 1", "Firm 2"})
# Built-in number format 31 is an East Asian date (yyyy"年"m"月"d"日") the reader does not know
# as a date: its cells come through as serial numbers.
STYLES = (
    rz.XML_DECL + f'<styleSheet xmlns="{rz.MAIN_NS}"><fonts count="1"><font/></fonts>'
    '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def workbook(
    rows: str | list[str],
    names: list[str] | None = None,
    workbook_pr: str = "",
    extra: list[rz.Member] | None = None,
    after: str = "",
    prolog: str = "",
) -> bytes:
    """A workbook of sheets (their rows' XML), with styles, workbook options and other parts."""
    sheets = [rows] if isinstance(rows, str) else rows
    names = names or [f"Sheet{i + 1}" for i in range(len(sheets))]
    types = (
        rz.XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{rz.BOOK_TYPE}"/></Types>'
    )
    root = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rz.REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    entries = "".join(
        f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    book = (
        rz.XML_DECL + f'<workbook xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}">{workbook_pr}'
        f"<sheets>{entries}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rz.REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels += f'<Relationship Id="rIdS" Type="{rz.REL_NS}/styles" Target="styles.xml"/>'
    book_rels = rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}">{rels}</Relationships>'
    parts = [
        rz.deflated("[Content_Types].xml", types.encode()),
        rz.deflated("_rels/.rels", root.encode()),
        rz.deflated("xl/workbook.xml", book.encode()),
        rz.deflated("xl/_rels/workbook.xml.rels", book_rels.encode()),
        rz.deflated("xl/styles.xml", STYLES.encode()),
    ]
    for i, xml in enumerate(sheets, start=1):
        sheet = (
            rz.XML_DECL + prolog + f'<worksheet xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}">'
            f"<sheetData>{xml}</sheetData>{after}</worksheet>"
        )
        parts.append(rz.deflated(f"xl/worksheets/sheet{i}.xml", sheet.encode()))
    return rz.zip_bytes([*parts, *(extra or [])])


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, cells: list[tuple[str, str, object]]) -> str:
    """A row element numbered number whose cells sit where their own positions say."""
    out = []
    for ref, kind, value in cells:
        out.append(_text(ref, str(value)) if kind == "t" else f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(out)}</row>'


HEAD = rz.rows_xml([(1, HEADER)])


def cells_of_a_row_placed_in_the_row_before() -> bytes:
    """Row 3's cells positioned in row 2: the reader keeps row 3's values in row 2's place."""
    row2 = _row(2, [("A2", "t", "2024-01-05"), ("B2", "t", "Acme"), ("C2", "n", 100)])
    row3 = _row(3, [("A2", "t", "2024-01-06"), ("B2", "t", "Beta"), ("C2", "n", 200)])
    return workbook(HEAD + row2 + row3)


def a_cell_written_twice_in_its_row() -> bytes:
    """C2 twice in row 2: the second amount would replace the first."""
    row2 = _row(
        2, [("A2", "t", "2024-01-05"), ("B2", "t", "Acme"), ("C2", "n", 100), ("C2", "n", 999)]
    )
    return workbook(HEAD + row2)


def an_unnumbered_row_then_its_number_again() -> bytes:
    """A row without a number (so row 3) with unplaced cells, then row 3 written out."""
    row2 = _row(2, [("A2", "t", "2024-01-05"), ("B2", "t", "Acme"), ("C2", "n", 100)])
    implicit = '<row><c t="inlineStr"><is><t>2024-01-06</t></is></c>'
    implicit += '<c t="inlineStr"><is><t>Beta</t></is></c><c><v>200</v></c></row>'
    row3 = _row(3, [("A3", "t", "2024-01-07"), ("B3", "t", "Gamma"), ("C3", "n", 300)])
    return workbook(HEAD + row2 + implicit + row3)


def cells_out_of_order_each_once() -> bytes:
    """Every row's cells written right to left: unusual, but no cell is placed twice."""
    rows = [
        _row(
            r,
            [
                (f"C{r}", "n", r),
                (f"B{r}", "t", f"Firm {r - 2}"),
                (f"A{r}", "t", f"2024-01-0{r + 3}"),
            ],
        )
        for r in (2, 3, 4)
    ]
    return workbook(HEAD + "".join(rows))


def two_archives_joined(first: bytes, second: bytes) -> bytes:
    """Two workbooks end to end: the scan reads the directory at the end, a reader may not."""
    return first + second


def junk_before_the_archive() -> bytes:
    """A workbook behind 5,000 bytes that begin like an archive's part."""
    return b"PK\x03\x04" + bytes(5000) + workbook(ROWS)


def svg_image_with_a_long_attribute() -> bytes:
    """An image part (SVG with an embedded picture): a 1.5 MB attribute outside any sheet."""
    picture = "A" * 1_500_000
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<image xlink:href="data:image/png;base64,{picture}"/></svg>'
    )
    return workbook(ROWS, extra=[rz.deflated("xl/media/image1.svg", svg.encode())])


def sheet_with_a_long_tag_after_its_cells() -> bytes:
    """A sheet whose ignoredError element lists 1.5 MB of cell ranges after the cells."""
    sqref = " ".join(f"D{i}" for i in range(1, 200_000))
    after = f'<ignoredErrors><ignoredError sqref="{sqref}" numberStoredAsText="1"/></ignoredErrors>'
    return workbook(ROWS, after=after)


def doctype_after_a_long_comment() -> bytes:
    """A DOCTYPE after a 2 MB comment, past where the first look reaches."""
    prolog = "<!--" + " " * 2_000_000 + '-->\n<!DOCTYPE x [<!ENTITY far "XFD1048576">]>'
    return workbook(ROWS + FAR, prolog=prolog)


def a_cell_holding_its_position_twice() -> bytes:
    """<c r="A3" r="A2">: the fast pass read the first position, the reader takes the last."""
    row2 = _row(2, [("A2", "t", "2024-01-05"), ("B2", "t", "Acme"), ("C2", "n", 100)])
    row3 = _row(3, [("A3", "t", "2024-01-06"), ("B3", "t", "Beta"), ("C3", "n", 200)])
    return workbook(HEAD + row2 + row3.replace('r="A3"', 'r="A3" r="A2"'))


def end_record_pointing_elsewhere() -> bytes:
    """The end record's offset points past where the directory stands (a reader follows it)."""
    data = bytearray(workbook(ROWS))
    end = data.rfind(b"PK\x05\x06")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    data[end + 16 : end + 20] = (offset + 46).to_bytes(4, "little")
    return bytes(data)


def dates_of_the_1904_system(date1904: bool = True) -> bytes:
    """Order dates 2024-01-05..07 as serials in a format the reader does not know as a date."""
    first = 45296 - (1462 if date1904 else 0)  # 2024-01-05
    rows = [
        f'<row r="{r}"><c r="A{r}" s="1"><v>{first + r - 2}</v></c>'
        f'{_text(f"B{r}", f"Firm {r - 2}")}<c r="C{r}"><v>{r}</v></c></row>'
        for r in (2, 3, 4)
    ]
    option = '<workbookPr date1904="1"/>' if date1904 else ""
    return workbook(HEAD + "".join(rows), workbook_pr=option)


def later_cases() -> list[Case]:
    """Cases found by attacking the import again with files the corpus did not have."""
    honest = workbook(ROWS)
    return [
        Case("cells_placed_in_the_row_before.xlsx", lambda p: cells_of_a_row_placed_in_the_row_before(), f"cell A2 {TWICE}"),  # noqa: E501
        Case("cell_written_twice_in_its_row.xlsx", lambda p: a_cell_written_twice_in_its_row(), f"cell C2 {TWICE}"),  # noqa: E501
        Case("unnumbered_row_then_its_number.xlsx", lambda p: an_unnumbered_row_then_its_number_again(), f"cell A3 {TWICE}"),  # noqa: E501
        Case("cells_right_to_left.xlsx", lambda p: cells_out_of_order_each_once(), rows=3, names=NAMES),  # noqa: E501
        Case("archives_joined_far_cell_first.xlsx", lambda p: two_archives_joined(workbook(ROWS + FAR), honest), "directory is not where"),  # noqa: E501
        Case("archives_joined_far_cell_last.xlsx", lambda p: two_archives_joined(honest, workbook(ROWS + FAR)), "directory is not where"),  # noqa: E501
        Case("junk_before_the_archive.xlsx", lambda p: junk_before_the_archive(), "directory is not where"),  # noqa: E501
        Case("two_sheets_one_name.xlsx", lambda p: workbook([HEAD, ROWS], ["Sales", "Sales"]), "two sheets named 'Sales'"),  # noqa: E501
        Case("svg_image_long_attribute.xlsx", lambda p: svg_image_with_a_long_attribute(), rows=3, names=NAMES),  # noqa: E501
        Case("sheet_long_ignored_errors.xlsx", lambda p: sheet_with_a_long_tag_after_its_cells(), rows=3, names=NAMES),  # noqa: E501
        Case("doctype_after_long_comment.xlsx", lambda p: doctype_after_a_long_comment(), "DOCTYPE"),  # noqa: E501
        Case("doctype_after_whitespace.xlsx", lambda p: workbook(ROWS, prolog=" " * 2_000_000 + '<!DOCTYPE x [<!ENTITY e "1">]>'), "DOCTYPE"),  # noqa: E501
        Case("doctype_after_short_comments.xlsx", lambda p: workbook(ROWS, prolog="<!-- <a> -->" * 200_000 + "<?p x?><!DOCTYPE x>"), "DOCTYPE"),  # noqa: E501
        Case("cell_position_written_twice.xlsx", lambda p: a_cell_holding_its_position_twice(), "duplicate attribute"),  # noqa: E501
        Case("end_record_pointing_elsewhere.xlsx", lambda p: end_record_pointing_elsewhere(), "directory is not where"),  # noqa: E501
        Case("dates_1904_unknown_format.xlsx", lambda p: dates_of_the_1904_system(), rows=3, names=NAMES),  # noqa: E501
    ]  # fmt: skip
