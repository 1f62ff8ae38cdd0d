"""Hostile files of a fifth round: totals off by rounding, names of absurd length, an
OpenDocument sheet longer than the reader reads."""

from __future__ import annotations

import gzip
import zlib

from tests.hostile import rawzip as rz
from tests.hostile.case import Case
from tests.hostile.later_cases import HEAD, _text, workbook
from tests.hostile.new_cases import text

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"'
)


def _ods_row(cells: list[str], repeated: int = 1) -> str:
    attr = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    body = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
        for c in cells
    )
    return f"<table:table-row{attr}>{body}</table:table-row>"


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
    'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods_sheet(
    rows: str, settings: str = "", mimetype_first: bool = True, styles: str = ""
) -> bytes:
    """An OpenDocument spreadsheet of one sheet, Sales, of the given rows' XML.

    settings: XML before the table (calculation settings); the mimetype comes first, as the
    format asks, or last, as a zip tool may store it; styles: the automatic styles' XML.
    """
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles><office:body>"
        f'<office:spreadsheet>{settings}<table:table table:name="Sales">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    members = [
        rz.deflated("content.xml", content.encode()),
        rz.deflated("META-INF/manifest.xml", _ODS_MANIFEST.encode()),
    ]
    mimetype = rz.Member("mimetype", mime, 0, zlib.crc32(mime), len(mime))
    return rz.zip_bytes([mimetype, *members] if mimetype_first else [*members, mimetype])


def ods_rows_past_the_excel_limit(mimetype_first: bool = True) -> bytes:
    """A sale repeated 1,048,575 times, then one more: the reader stops at row 1,048,576.

    The mimetype comes first, as the format asks, or last, as a zip tool may store it.
    """
    rows = (
        _ods_row(["Order Date", "Customer", "Amount"])
        + _ods_row(["2024-01-05", "Acme", "1"], repeated=1_048_575)
        + _ods_row(["2024-01-06", "Last", "2"])
    )
    return ods_sheet(rows, mimetype_first=mimetype_first)


def names_of_absurd_length(count: int, width: int = 32_000) -> bytes:
    """count rows whose client name is width characters, written inline (no shared strings)."""
    rows = [HEAD]
    for i in range(count):
        r = i + 2
        name = f"C{i:06d}".ljust(width, "x")
        rows.append(
            f'<row r="{r}">{_text(f"A{r}", "2024-01-05")}{_text(f"B{r}", name)}'
            f'<c r="C{r}"><v>{i + 1}</v></c></row>'
        )
    return workbook("".join(rows))


def columns_wide(count: int, amount_last: bool = False) -> bytes:
    """A CSV of count columns (the sales fields among them) and three rows."""
    filler = ["x"] * (count - 3)  # short labels: a line of 400,000 columns stays under 1 MB
    head = ["Order Date", "Customer", *filler, "Amount"] if amount_last else [
        "Order Date", "Customer", "Amount", *filler
    ]  # fmt: skip
    lines = [",".join(head)]
    for r in range(3):
        cells = ["1"] * len(filler)
        row = [f"2024-01-0{r + 1}", f"Firm {r}"]
        lines.append(",".join([*row, *cells, "5"] if amount_last else [*row, "5", *cells]))
    return ("\n".join(lines) + "\n").encode()


def quote_never_closed(rows: int, ending: str = "\n", ragged: bool = False) -> bytes:
    """Row 3 opens a quote it never closes; rows more sales follow (over 1 MB of them at 40,000)."""
    lines = ["Order Date,Customer,Amount", "2024-01-01,Acme,1", '2024-01-02,"Open,2']
    if ragged:
        lines.append("2024-01-03,Wide,3,extra")
    lines += [
        f"2024-02-{1 + i % 28:02d},Client {i} Supplies Ltd,{1 + i % 500}" for i in range(rows)
    ]
    return (ending.join(lines) + ending).encode()


def fifth_cases() -> list[Case]:
    """Cases found by attacking the import with files of a fifth kind."""
    rounded = [
        "2024-01-10,Acme,100", "2024-01-20,Beta,200", "2024-01-31,Total,300",
        "2024-02-10,Acme,33.33", "2024-02-15,Beta,33.33", "2024-02-20,Gamma,33.33",
        "2024-02-29,Total,100.00", "2024-03-10,Acme,150", "2024-03-20,Beta,250",
        "2024-03-31,Total,400", "2024-03-31,Grand Total,800.00",
    ]  # fmt: skip
    # Every other row opens a quote it never closes: the next quote, two lines on, closes it,
    # and the line between is read into the name (its amount lost).
    paired = [
        f'2024-01-0{i + 1},"Client {i},{i + 1}' if i % 2 == 0 else f"2024-01-0{i + 1},C{i},{i + 1}"
        for i in range(8)
    ]
    unsummed = ["2024-01-10,Acme,100", "2024-01-20,Beta,200", "2024-01-31,Total,42"]
    one_long = ["2024-01-10,Acme,100", f"2024-01-11,{'N' * 1_001},5", "2024-01-20,Beta,200"]
    sales = b"Order Date,Customer,Amount\n2024-01-05,Acme,100\n"
    return [
        # The lines after a quote never closed were cut at 1 MB and lost without a word.
        Case(
            "quote_never_closed_then_1_5_mb.csv",
            lambda p: quote_never_closed(40_000),
            rows=40_001,
            rejected=1,
            reason="never closed",
        ),
        Case(
            "quote_never_closed_and_a_wide_row.csv",
            lambda p: quote_never_closed(40_000, ragged=True),
            rows=40_001,
            rejected=2,
            reason="never closed",
        ),
        Case(
            "quote_never_closed_cr_only.csv",
            lambda p: quote_never_closed(30, ending="\r"),
            rows=31,
            rejected=1,
            reason="never closed",
        ),
        Case(
            "quotes_closed_lines_later.csv",
            lambda p: text(paired).encode(),
            rows=2,
            rejected=2,
            reason="closed only in a later line",
        ),
        Case("gzip_named.csv", lambda p: gzip.compress(sales), "compressed (gzip)"),
        Case("columns_400k.csv", lambda p: columns_wide(400_000), "400,000 columns wide"),
        Case(
            "amount_past_the_columns_read.csv",
            lambda p: columns_wide(4_000, amount_last=True),
            "only the first 1,000 columns are read",
        ),
        Case(
            "ods_rows_past_the_excel_limit.ods",
            lambda p: ods_rows_past_the_excel_limit(),
            "reaches row 1,048,576",
        ),
        Case(
            "ods_rows_past_the_excel_limit_mimetype_last.ods",
            lambda p: ods_rows_past_the_excel_limit(mimetype_first=False),
            "reaches row 1,048,576",
        ),
        Case(
            "totals_off_by_rounding.csv",
            lambda p: text(rounded).encode(),
            rows=7,
            names=frozenset({"Acme", "Beta", "Gamma"}),
        ),
        Case(
            "total_summing_nothing.csv",
            lambda p: text(unsummed).encode(),
            rows=3,
            note="reads like a total",
        ),
        Case(
            "one_name_of_absurd_length.csv",
            lambda p: text(one_long).encode(),
            rows=2,
            rejected=1,
            reason="longer than 255 characters",
        ),
        Case(
            "names_of_absurd_length.xlsx", lambda p: names_of_absurd_length(2_000), "no valid rows"
        ),
    ]
