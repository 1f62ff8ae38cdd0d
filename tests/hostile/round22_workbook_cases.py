"""Workbooks of a twenty-second round on workbooks: inline text written as a value, numbers
written with spaces after a formula or with attributes of their own, an .xlsb with a stray
cell far away, an OpenDocument sheet of formulas whose results are errors, quarterly tables side
by side whose header cells and clients are merged."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.conftest import write_xlsx
from tests.hostile import rawzip as rz
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet
from tests.hostile.tenth_cases import XlsbRow, xlsb

HEADER = ["Order Date", "Customer", "Amount"]
# Three sales: 1,200 + 0 + 123.50 = 1,323.50.
SALES = [
    ("2024-01-15", "Smith & Sons <Ltd>", "1200"),
    ("2024-02-20", "Beta GmbH", "0"),
    ("2024-03-05", "Gamma Co", "123.5"),
]
NAMES = frozenset(client for _, client, _ in SALES)


def _inline_value(ref: str, text: str, quote: str = '"') -> str:
    return f"<c r={quote}{ref}{quote} t={quote}inlineStr{quote}><v>{escape(text)}</v></c>"


def inline_text_as_values(rows: list[tuple[str, str, str]] = SALES) -> bytes:
    """Every text cell typed inline text with its text in <v> (no <is>), as some generators
    write it; the header in single quotes."""
    head = "".join(_inline_value(f"{rz.column(i)}1", h, "'") for i, h in enumerate(HEADER))
    out = [f'<row r="1">{head}</row>']
    for n, (day, client, amount) in enumerate(rows, start=2):
        out.append(
            f'<row r="{n}">{_inline_value(f"A{n}", day)}'
            f'<c r="B{n}" s="0" t="inlineStr" ><v xml:space="preserve">{escape(client)}</v></c>'
            f'<c r="C{n}"><v>{amount}</v></c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))])


def spaced_numbers() -> bytes:
    """Number cells typed as such (t="n", as openpyxl writes them) whose amounts have spaces
    around them: after the cell's formula (a saved result, a shared formula) and in a value
    keeping its spaces (xml:space)."""
    values = [
        "<f>SUM(D2:E2)</f><v> 1200 </v>",
        '<f t="shared" ref="C3:C4" si="0">SUM(D3:E3)</f><v> 0 </v>',
        '<f t="shared" si="0"/><v xml:space="preserve">\n123.5\n</v>',
    ]
    out = [rz.rows_xml([(1, HEADER)])]
    for n, ((day, client, _), value) in enumerate(zip(SALES, values, strict=True), start=2):
        out.append(
            f'<row r="{n}">{rz.cell(f"A{n}", day)}{rz.cell(f"B{n}", client)}'
            f'<c r="C{n}" t="n">{value}</c></row>'
        )
    return rz.xlsx([("Sales", rz.sheet_xml("".join(out)))])


def xlsb_sales(far: list[XlsbRow] = ()) -> bytes:
    """The three sales in an .xlsb, and the given rows after them."""
    rows: list[XlsbRow] = [(0, list(enumerate(HEADER)))]
    for n, (day, client, amount) in enumerate(SALES, start=1):
        rows.append((n, [(0, day), (1, client), (2, float(amount))]))
    return xlsb([*rows, *far])


CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def _ods_text(text: str) -> str:
    return (
        '<table:table-cell office:value-type="string" calcext:value-type="string">'
        f"<text:p>{escape(text)}</text:p></table:table-cell>"
    )


def _ods_error(shown: str, formula: str, stored: str) -> str:
    """A formula cell whose result is an error, as LibreOffice saves it: the number 0 (or an
    empty text) stored beside the error it shows."""
    return (
        f'<table:table-cell table:formula="{escape(formula)}" {stored} '
        f'calcext:value-type="error"><text:p>{escape(shown)}</text:p></table:table-cell>'
    )


def ods_error_results() -> bytes:
    """One sale, then four whose amounts are formulas failing: #DIV/0!, #VALUE!, Err:502 (a
    bad argument, LibreOffice's own code) and #N/A written as an empty text; one #DIV/0!
    typed in as text."""
    number, text = (
        'office:value-type="float" office:value="0"',
        ('office:value-type="string" office:string-value=""'),
    )
    amounts = [
        '<table:table-cell office:value-type="float" office:value="1200" '
        'calcext:value-type="float"><text:p>1200</text:p></table:table-cell>',
        _ods_error("#DIV/0!", "of:=[.C2]/0", number),
        _ods_error("#VALUE!", 'of:=[.C2]+"x"', number),
        _ods_error("Err:502", "of:=SQRT(-1)", number),
        _ods_error("#N/A", "of:=NA()", text),
        _ods_text("#DIV/0!"),
    ]
    rows = "<table:table-row>" + "".join(_ods_text(h) for h in HEADER) + "</table:table-row>"
    for n, amount in enumerate(amounts):
        day, client = f"2024-01-{15 + n:02d}", f"Client {n}"
        rows += f"<table:table-row>{_ods_text(day)}{_ods_text(client)}{amount}</table:table-row>"
    data = ods_sheet(rows)
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    content = content.replace(
        "<office:document-content ", f'<office:document-content xmlns:calcext="{CALCEXT}" ', 1
    )
    return with_part(data, "content.xml", content.encode())


def with_part(data: bytes, name: str, body: bytes) -> bytes:
    """The archive with one part's content replaced (the mimetype stored first, as it was)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = body if member.filename == name else source.read(member)
            kind = zipfile.ZIP_STORED if member.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(member.filename, content, compress_type=kind)
    return out.getvalue()


# Two quarters side by side: Q1 in A:C, Q2 in E:G; 100 + 200 + 300 + 10 + 20 + 30 = 660.
Q1 = [
    [dt.date(2024, 1, 5), "Acme", 100.0],
    [dt.date(2024, 2, 6), "Beta", 200.0],
    [dt.date(2024, 3, 7), "Gamma", 300.0],
]
Q2 = [[dt.date(2024, 4, 5), "Delta", 10.0], [dt.date(2024, 5, 6), None, 20.0]]
Q2 += [[dt.date(2024, 6, 7), "Beta", 30.0]]
QUARTER_MERGES = [
    "A1:C1",  # each quarter's title over its table
    "E1:G1",
    *(f"{c}2:{c}3" for c in "ABCEFG"),  # each label merged down over two rows
    "F4:F5",  # Delta written once over its two orders
]


def merged_quarters(path: Path) -> bytes:
    """Two quarterly tables side by side, each under a merged title, its labels merged down
    over two rows, the second's client merged over two orders."""
    rows: list[list[object]] = [["Q1 2024", None, None, None, "Q2 2024"]]
    rows += [[*HEADER, None, *HEADER], [None] * 7]
    rows += [[*a, None, *b] for a, b in zip(Q1, Q2, strict=True)]
    return write_xlsx(path, {"Sales": rows}, merged={"Sales": QUARTER_MERGES}).read_bytes()


def round22_workbook_cases() -> list[Case]:
    return [
        Case(
            "inline_text_written_as_values.xlsx",
            lambda p: inline_text_as_values(),
            rows=3,
            revenue=1323.5,
            names=NAMES,
        ),
        Case(
            "numbers_with_spaces_after_formulas.xlsx",
            lambda p: spaced_numbers(),
            rows=3,
            revenue=1323.5,
            names=NAMES,
        ),
        Case(
            "stray_cell_at_xfd1048576.xlsb",
            lambda p: xlsb_sales([(1_048_575, [(16_383, 1.0)])]),
            "its cells reach XFD1048576",
        ),
        Case(
            "formatted_empty_cell_at_xfd1048576.xlsb",
            lambda p: xlsb_sales([(1_048_575, [(16_383, None)])]),
            rows=3,
            revenue=1323.5,
            names=NAMES,
        ),
        Case(
            "formulas_failing_in_opendocument.ods",
            lambda p: ods_error_results(),
            rows=1,
            rejected=5,
            revenue=1200.0,
            reason="revenue is an Excel error value",
            value="Err:502",
        ),
        Case(
            "quarters_side_by_side_merged.xlsx",
            merged_quarters,
            rows=6,
            revenue=660.0,
            names=frozenset({"Acme", "Beta", "Gamma", "Delta"}),
            note="merged cell over several rows (F4:F5)",
        ),
    ]
