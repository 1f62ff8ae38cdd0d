"""Workbooks of a twenty-first round on workbooks: values in CDATA sections, parts in UTF-16, used
ranges (`<dimension>`) the reader cannot parse, rows kept only in a pivot table's cache, tables
side by side under one header."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.conftest import write_ods
from tests.hostile import rawzip as rz
from tests.hostile.case import Case

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["Order Date", "Customer", "Amount"]
# Three sales: 1,200 + 800 + 450.50 = 2,450.50.
SALES = [
    ("2024-01-15", "Smith & Sons <Ltd>", "1200"),
    ("2024-02-20", "Beta GmbH", "800"),
    ("2024-03-05", "Gamma Co", "450.5"),
]
HEBREW_SALES = [
    ("2024-01-15", 'אלקטרה בע"מ', "1200"),
    ("2024-02-20", "Beta GmbH", "800"),
    ("2024-03-05", "Gamma Co", "450.5"),
]


def _cdata(text: str) -> str:
    return f"<![CDATA[{text}]]>"


def cdata_rows(rows: list[tuple[str, str, str]] = SALES) -> str:
    """Every value in a CDATA section: inline text, a formula's text result and numbers."""
    head = "".join(
        f'<c r="{rz.column(i)}1" t="inlineStr"><is><t>{_cdata(h)}</t></is></c>'
        for i, h in enumerate(HEADER)
    )
    out = [f'<row r="1">{head}</row>']
    for n, (day, client, amount) in enumerate(rows, start=2):
        out.append(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{_cdata(day)}</t></is></c>'
            f'<c r="B{n}" t="str"><v>{_cdata(client)}</v></c>'
            f'<c r="C{n}"><v>{_cdata(amount)}</v></c></row>'
        )
    return "".join(out)


def cdata_workbook() -> bytes:
    return rz.xlsx([("Sales", rz.sheet_xml(cdata_rows()))])


def cdata_shared_workbook() -> bytes:
    """Shared text in CDATA sections, and cells giving their shared text's number in one."""
    texts = [*HEADER, *(client for _, client, _ in SALES)]
    items = "".join(f"<si><t>{_cdata(t)}</t></si>" for t in texts)
    strings = rz.deflated(
        "xl/sharedStrings.xml",
        (rz.XML_DECL + f'<sst xmlns="{rz.MAIN_NS}" count="{len(texts)}">{items}</sst>').encode(),
    )
    head = "".join(f'<c r="{rz.column(i)}1" t="s"><v>{i}</v></c>' for i in range(3))
    rows = [f'<row r="1">{head}</row>']
    for n, (day, _client, amount) in enumerate(SALES, start=2):
        rows.append(
            f'<row r="{n}">{rz.cell(f"A{n}", day)}'
            f'<c r="B{n}" t="s"><v>{_cdata(str(n + 1))}</v></c>'
            f'<c r="C{n}" t="n"><v> {_cdata(amount)} </v></c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(rows)))], [strings])


def with_part(data: bytes, name: str, body: bytes) -> bytes:
    """The archive with one part's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(
                member.filename, body if member.filename == name else source.read(member)
            )
    return out.getvalue()


def utf16(xml: str, codec: str = "utf-16-le", mark: bool = True) -> bytes:
    """An XML part in UTF-16 as Excel's own parsers take it: declared so, a byte-order mark."""
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec] if mark else b""
    return bom + xml.encode(codec)


def utf16_workbook(
    rows: list[tuple[str, str, str]] = SALES, codec: str = "utf-16-le", mark: bool = True
) -> bytes:
    body = [(n, [day, client, float(amount)]) for n, (day, client, amount) in enumerate(rows, 2)]
    xml = rz.sheet_xml(rz.rows_xml([(1, HEADER), *body]))
    data = rz.xlsx([("Sales", xml)])
    return with_part(data, SHEET, utf16(xml, codec, mark))


def utf16_ods(path: Path) -> bytes:
    """An OpenDocument spreadsheet whose content part is written in UTF-16 (it read as empty)."""
    rows = [HEADER, *([day, client, float(amount)] for day, client, amount in HEBREW_SALES)]
    data = write_ods(path, {"Sales": rows}).read_bytes()
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode("utf-8")
    return with_part(
        data, "content.xml", utf16(content.replace("encoding='UTF-8'", 'encoding="UTF-8"'))
    )


def utf16_far_cell() -> bytes:
    """A UTF-16 sheet whose one stray cell reaches XFD1048576."""
    rows = [(1, HEADER), *((n, [d, c, float(a)]) for n, (d, c, a) in enumerate(SALES, start=2))]
    xml = rz.sheet_xml(rz.rows_xml(rows) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    return with_part(rz.xlsx([("Sales", xml)]), SHEET, utf16(xml))


def utf16_repeated_shared_text() -> bytes:
    """Shared text in UTF-16: one 30,000-character string in 20,000 cells."""
    strings = (
        rz.XML_DECL + f'<sst xmlns="{rz.MAIN_NS}" count="1"><si><t>{"X" * 30_000}</t></si></sst>'
    )
    rows = rz.rows_xml([(1, HEADER)])
    rows += "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 20_002))
    data = rz.xlsx([("Sales", rz.sheet_xml(rows))], [rz.shared_strings(["x"])])
    return with_part(data, "xl/sharedStrings.xml", utf16(strings))


def with_dimension(element: str, rows: list[tuple[str, str, str]] = SALES) -> bytes:
    """The three sales under a <dimension> element as given (a hint Excel works out again)."""
    body = [(n, [day, client, float(amount)]) for n, (day, client, amount) in enumerate(rows, 2)]
    xml = rz.sheet_xml(rz.rows_xml([(1, HEADER), *body]), "")
    return rz.xlsx([("Sales", xml.replace("<sheetData>", element + "<sheetData>", 1))])


def round21_workbook_cases() -> list[Case]:
    names = frozenset(client for _, client, _ in SALES)
    return [
        Case(
            "values_in_cdata_sections.xlsx",
            lambda p: cdata_workbook(),
            rows=3,
            revenue=2450.5,
            names=names,
        ),
        Case(
            "shared_text_and_its_numbers_in_cdata.xlsx",
            lambda p: cdata_shared_workbook(),
            rows=3,
            revenue=2450.5,
            names=names,
        ),
        Case(
            "sheet_part_in_utf16.xlsx",
            lambda p: utf16_workbook(HEBREW_SALES),
            rows=3,
            revenue=2450.5,
            names=frozenset(client for _, client, _ in HEBREW_SALES),
        ),
        Case(
            "sheet_part_in_utf16_big_endian_without_mark.xlsx",
            lambda p: utf16_workbook(codec="utf-16-be", mark=False),
            rows=3,
            revenue=2450.5,
            names=names,
        ),
        Case(
            "opendocument_content_in_utf16.ods",
            lambda p: utf16_ods(p),
            rows=3,
            revenue=2450.5,
            names=frozenset(client for _, client, _ in HEBREW_SALES),
        ),
        Case(
            "sheet_part_in_utf16_far_cell.xlsx",
            lambda p: utf16_far_cell(),
            "the limit is 50,000,000 cells per sheet",
        ),
        Case(
            "shared_text_in_utf16_repeated.xlsx",
            lambda p: utf16_repeated_shared_text(),
            "repeat shared text",
        ),
        Case(
            "tables_side_by_side.xlsx",
            lambda p: side_by_side_tables(),
            rows=5,
            rejected=2,
            revenue=3800.0,
            names=frozenset({"Acme Ltd", "Beta GmbH", "Gamma Co", "Delta"}),
            note="side by side",
            value="oops",
        ),
        Case(
            "pivot_cache_only.xlsx",
            lambda p: pivot_cache_only(),
            rows=4,
            revenue=2550.0,
            names=frozenset({"Acme Ltd", "Beta GmbH", "Gamma Co"}),
            note="pivot table",
        ),
        Case(
            "pivot_cache_item_repeated.xlsx",
            lambda p: pivot_cache_only([("2024-01-15T00:00:00", 0, "1")] * 20_000, "X" * 30_000),
            "repeat shared text",
        ),
        Case(
            "pivot_cache_item_past_the_end.xlsx",
            lambda p: pivot_cache_only([("2024-01-15T00:00:00", 7, "1")]),
            "refers to item 7",
        ),
        *(
            Case(
                f"used_range_written_{label}.xlsx",
                lambda p, element=element: with_dimension(element),
                rows=3,
                revenue=2450.5,
                names=names,
            )
            for label, element in [
                ("empty", '<dimension ref=""/>'),
                ("absolute", '<dimension ref="$A$1:$C$4"/>'),
                ("half", '<dimension ref="A1:"></dimension>'),
                ("with_a_space", '<dimension ref="A1:C4 "/>'),
            ]
        ),
    ]


PIVOT_RECORDS = [
    ("2024-01-15T00:00:00", 0, "1200"),
    ("2024-02-20T00:00:00", 1, "800"),
    ("2024-03-05T00:00:00", 2, "450.5"),
    ("2024-03-28T00:00:00", 0, "99.5"),
]


def pivot_cache_only(
    records: list[tuple[str, int, str]] = PIVOT_RECORDS, client: str = "Acme Ltd"
) -> bytes:
    """A pivot table written by a reporting tool: its source rows in the cache, no cells (Excel
    lays the table out when it opens the file); the source sheet 'Orders' is not in the file."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    clients = "".join(f'<s v="{c}"/>' for c in (client, "Beta GmbH", "Gamma Co"))
    definition = (
        rz.XML_DECL + f'<pivotCacheDefinition xmlns="{rz.MAIN_NS}" xmlns:r="{rel}" r:id="rId1" '
        f'refreshOnLoad="1" recordCount="{len(records)}"><cacheSource type="worksheet">'
        '<worksheetSource ref="A1:D5" sheet="Orders"/></cacheSource><cacheFields count="4">'
        '<cacheField name="Order Date" numFmtId="14"><sharedItems containsSemiMixedTypes="0" '
        'containsNonDate="0" containsDate="1" containsString="0"/></cacheField>'
        f'<cacheField name="Customer" numFmtId="0"><sharedItems count="3">{clients}'
        '</sharedItems></cacheField><cacheField name="Amount" numFmtId="0"><sharedItems '
        'containsSemiMixedTypes="0" containsString="0" containsNumber="1"/></cacheField>'
        '<cacheField name="Quarter" numFmtId="0" databaseField="0"><fieldGroup base="0"/>'
        "</cacheField></cacheFields></pivotCacheDefinition>"
    )
    rows = "".join(f'<r><d v="{d}"/><x v="{c}"/><n v="{a}"/></r>' for d, c, a in records)
    body = f'<pivotCacheRecords xmlns="{rz.MAIN_NS}" count="{len(records)}">{rows}'
    definition_rels = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rel}/pivotCacheRecords" Target="pivotCacheRecords1.xml"/></Relationships>'
    )
    folder = "xl/pivotCache/"
    extra = [
        rz.deflated(folder + "pivotCacheDefinition1.xml", definition.encode()),
        rz.deflated(folder + "_rels/pivotCacheDefinition1.xml.rels", definition_rels.encode()),
        rz.deflated(
            folder + "pivotCacheRecords1.xml",
            (rz.XML_DECL + body + "</pivotCacheRecords>").encode(),
        ),
    ]
    return rz.xlsx([("Pivot", rz.sheet_xml(""))], extra)


# Two years side by side: 2023 in A:C (Beta's amount unreadable), 2024 in E:G (Gamma's), the
# 2024 table a row shorter. Read: 100 + 300 + 400 and 1,000 + 2,000 = 3,800 in five rows.
SIDE_2023 = [
    ["2023-01-10", "Acme Ltd", 100],
    ["2023-02-11", "Beta GmbH", "n/a"],
    ["2023-03-12", "Gamma Co", 300],
    ["2023-04-13", "Delta", 400],
]
SIDE_2024 = [["2024-01-10", "Acme Ltd", 1000], ["2024-02-11", "Beta GmbH", 2000]]
SIDE_2024 += [["2024-03-12", "Gamma Co", "oops"]]


def side_by_side_tables() -> bytes:
    rows: list[tuple[int, list[object]]] = [(1, ["Sales by year"]), (3, [*HEADER, None, *HEADER])]
    for i, left in enumerate(SIDE_2023):
        right = SIDE_2024[i] if i < len(SIDE_2024) else []
        rows.append((4 + i, [*left, None, *right]))
    return rz.xlsx([("Sales", rz.sheet_xml(rz.rows_xml(rows)))])
