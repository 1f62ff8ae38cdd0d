"""Files of a seventeenth round: cross tables (a column per period), hidden XML sheets,
formulas under currency formats, spans over every column, web pages declaring the XML
Spreadsheet namespace, titles counting quantities in thousands, pivots' subtotals."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from tests.hostile.case import Case

_XML_HEAD = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
)


def _xml_sheet(name: str, rows: list[list[str]], hidden: bool = False) -> str:
    body = "".join(
        "<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in row) + "</Row>"
        for row in rows
    )
    options = (
        '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
        "<Visible>SheetHidden</Visible></WorksheetOptions>"
        if hidden
        else ""
    )
    return f'<Worksheet ss:Name="{name}"><Table>{body}</Table>{options}</Worksheet>'


def _hidden_first_sheet() -> bytes:
    old = [["Date", "Client", "Revenue"], ["2023-01-05", "Old1", "999"]]
    sales = [
        ["Date", "Client", "Revenue"],
        ["2024-01-05", "Acme", "100"],
        ["2024-01-06", "Beta", "200"],
    ]
    return (
        _XML_HEAD
        + _xml_sheet("Old data", old, hidden=True)
        + _xml_sheet("Sales", sales)
        + "</Workbook>"
    ).encode()


def _book(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, code in (formats or {}).items():
        sheet[cell].number_format = code
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _formula_currencies() -> bytes:
    # openpyxl writes the formula without a saved result: the values are typed beside it in a
    # second column so the reader has amounts; the currency formats sit on the formula cells.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Client", "Qty", "Price", "Revenue"])
    for i, (client, code) in enumerate(
        [("Acme", '"$"#,##0.00'), ("Beta", "[$€-407] #,##0.00"), ("Gamma", '"$"#,##0.00')]
    ):
        row = i + 2
        sheet.append([dt.date(2024, 1, 5 + i), client, 1, 100 * (i + 1), f"=C{row}*D{row}"])
        sheet[f"E{row}"].number_format = code
    out = io.BytesIO()
    book.save(out)
    # The saved results Excel writes after the formula (<f>..</f><v>..</v>).
    data = out.getvalue()
    return _with_results(data, {"E2": "100", "E3": "200", "E4": "300"})


def _with_results(data: bytes, values: dict[str, str]) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                for cell, value in values.items():
                    start = text.index(f'<c r="{cell}"')
                    end = text.index("<v></v>", start)
                    text = text[:end] + f"<v>{value}</v>" + text[end + len("<v></v>") :]
                body = text.encode()
            target.writestr(item, body)
    return out.getvalue()


def _span_over_every_column() -> bytes:
    cells = "".join(f"<td>{i}</td>" for i in range(20))
    rows = "".join(f"<tr>{cells}</tr>" for _ in range(20_000))
    return (
        "<html><body><table><tr><th>Date</th><th>Client</th><th>Revenue</th></tr>"
        '<tr><td colspan="1000" rowspan="65534">x</td></tr>' + rows + "</table></body></html>"
    ).encode()


def _xhtml_with_namespace() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<html xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        b"<body><table><tr><th>Date</th><th>Client</th><th>Revenue</th></tr>"
        b"<tr><td>2024-01-05</td><td>Acme</td><td>100</td></tr>"
        b"<tr><td>2024-01-06</td><td>Beta</td><td>200</td></tr></table></body></html>"
    )


def _thousands_shown_web_page() -> bytes:
    return (
        b'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>'
        b"<tr><td>Date</td><td>Client</td><td>Sales ($000)</td></tr>"
        b'<tr><td>2024-01-05</td><td>Acme</td><td x:num="1234567">1,235</td></tr>'
        b'<tr><td>2024-01-06</td><td>Beta</td><td x:num="2500000">2,500</td></tr>'
        b"</table></body></html>"
    )


def seventeenth_cases() -> list[Case]:
    """Cross tables, hidden XML sheets, formulas' currencies and other seventeenth-round shapes."""
    acme_beta = frozenset({"Acme", "Beta"})
    return [
        Case(
            "cross_table_months_with_totals.xlsx",
            lambda p: _book(
                [
                    ["Sales by customer by month"],
                    ["Customer", "Jan 2026", "Feb 2026", "Total"],
                    ["Acme", 100, 50, 150],
                    ["Beta", None, 200, 200],
                    ["Total", 100, 250, 350],
                ]
            ),
            rows=3,
            names=acme_beta,
            revenue=350.0,
            dates=frozenset({"2026-01-01", "2026-02-01"}),
            note="a column per month",
        ),
        Case(
            "cross_table_days_over_the_row_bound.csv",
            lambda p: (
                "Customer,"
                + ",".join((dt.date(2024, 1, 1) + dt.timedelta(d)).isoformat() for d in range(999))
                + "\n"
                + "".join(f"Client {i}," + ",".join(["1"] * 999) + "\n" for i in range(5_100))
            ).encode(),
            refused="column per period",
        ),
        Case(
            "cross_table_months_without_a_year.xlsx",
            lambda p: _book([["Client", "Nov", "Dec", "Jan"], ["Acme", 1, 2, 3]]),
            refused="months without their year",
        ),
        Case(
            "thousands_shown_by_the_format_under_a_000_header.xlsx",
            lambda p: _book(
                [
                    ["Date", "Client", "Sales ($000)"],
                    ["2024-01-05", "Acme", 1234567],
                    ["2024-01-06", "Beta", 2500000],
                ],
                {"C2": "#,##0,", "C3": "#,##0,"},
            ),
            rows=2,
            revenue=3734567.0,
            note="the cells hold the full amounts",
        ),
        Case(
            "thousands_shown_on_a_web_page_under_a_000_header.xls",
            lambda p: _thousands_shown_web_page(),
            rows=2,
            revenue=3734567.0,
        ),
        Case(
            "dated_total_of_the_rows_with_a_credit_note_taken_off.csv",
            lambda p: (
                b"Type,Date,Client,Amount\nSI,2024-01-05,Acme,100\nSI,2024-01-06,Beta,200\n"
                b"SC,2024-01-07,Acme,30\n,2024-01-31,Total,270\n"
            ),
            rows=3,
            revenue=270.0,
            names=acme_beta,
        ),
        Case(
            "dated_total_of_the_rows_not_cancelled.csv",
            lambda p: (
                b"Status,Date,Client,Amount\nCompleted,2024-01-05,Acme,100\n"
                b"Cancelled,2024-01-06,Gamma,50\nCompleted,2024-01-06,Beta,200\n"
                b",2024-01-31,Total,300\n"
            ),
            rows=2,
            rejected=1,
            revenue=300.0,
            names=acme_beta,
        ),
        Case(
            "header_below_99_blank_lines.csv",
            lambda p: (
                b"\n" * 99 + b"Date,Client,Revenue\n2024-01-05,Acme,100\n2024-01-06,Beta,200\n"
            ),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "xml_2003_hidden_first_sheet.xml",
            lambda p: _hidden_first_sheet(),
            rows=2,
            names=acme_beta,
            revenue=300.0,
        ),
        Case(
            "formula_amounts_in_two_currencies.xlsx",
            lambda p: _formula_currencies(),
            rows=2,
            rejected=1,
            revenue=400.0,
            reason="currenc",
        ),
        Case(
            "web_page_span_over_every_column.html",
            lambda p: _span_over_every_column(),
            refused="no valid rows",
        ),
        Case(
            "xhtml_declaring_the_spreadsheet_namespace.xls",
            lambda p: _xhtml_with_namespace(),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "title_counts_quantities_in_thousands.csv",
            lambda p: (
                b"Shipments by client - quantities in thousands\n"
                b"Date,Client,Quantity,Revenue\n2024-01-05,Acme,12,1500.00\n"
                b"2024-01-06,Beta,3,700.00\n"
            ),
            rows=2,
            revenue=2200.0,
        ),
        Case(
            "date_hierarchy_with_month_subtotals.csv",
            lambda p: (
                b"Year,Month,Day,Client,Revenue\n2024,January,5,Acme,100\n,,20,Beta,50\n"
                b",January Total,,,150\n,February,3,Acme,70\n,,10,Beta,30\n"
                b",February Total,,,100\n2024 Total,,,,250\n"
            ),
            rows=4,
            revenue=250.0,
            dates=frozenset({"2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"}),
        ),
    ]
