"""Files of an eighteenth round: XML Spreadsheet rows placed by ss:Span, R's write.table
files, titles far above their header, row groups of web tables, cross tables of years and of
fiscal periods."""

from __future__ import annotations

from tests.hostile.builders import xlsx_of
from tests.hostile.case import Case

_XML_HEAD = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
)


def _xml_row(values: list[str], attrs: str = "") -> str:
    cells = "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in values)
    return f"<Row{attrs}>{cells}</Row>"


def _spanned_rows() -> bytes:
    rows = (
        _xml_row(["Date", "Client", "Revenue"])
        + _xml_row(["2024-01-05", "Acme", "100"])
        + '<Row ss:Span="2"/>'
        + _xml_row(["2024-01-06", "Beta", "abc"])  # Excel's row 6
        + _xml_row(["2024-01-07", "Gamma", "70"], ' ss:Index="9"')
        + '<Row ss:Index="40" ss:Span="99999999"/>'
    )
    return (
        _XML_HEAD + f'<Worksheet ss:Name="Sales"><Table>{rows}</Table></Worksheet></Workbook>'
    ).encode()


def eighteenth_layout_cases() -> list[Case]:
    """Spanned XML rows and other eighteenth-round layouts."""
    return [
        Case(
            "xml_spreadsheet_spanned_rows.xml",
            lambda p: _spanned_rows(),
            rows=2,
            rejected=1,
            revenue=170.0,
            value="abc",
            note="XML Spreadsheet 2003",
        ),
        Case(
            "r_write_table_spaced_with_row_names.txt",
            lambda p: (
                b'"order_date" "client" "revenue"\n'
                b'"4" "2024-01-05" "Acme Ltd" 100.5\n'
                b'"9" "2024-01-06" "Beta Co" 200\n'
                b'"12" "2024-01-07" "Acme Ltd" NA\n'
            ),
            rows=2,
            rejected=1,
            names=frozenset({"Acme Ltd", "Beta Co"}),
            revenue=300.5,
            value="NA",
            note="one label fewer",
        ),
        Case(
            "web_table_rowspan_past_its_row_group.xls",
            lambda p: (
                b"<html><body><table><thead><tr><th>Region</th><th>Date</th><th>Client</th>"
                b"<th>Revenue</th></tr></thead><tbody>"
                b'<tr><td rowspan="9">North</td><td>2024-01-05</td><td>Acme</td><td>100</td></tr>'
                b"<tr><td>2024-01-06</td><td>Beta</td><td>200</td></tr></tbody><tbody>"
                b"<tr><td>South</td><td>2024-01-07</td><td>Gamma</td><td>50</td></tr>"
                b"</tbody></table></body></html>"
            ),
            rows=3,
            names=frozenset({"Acme", "Beta", "Gamma"}),
            revenue=350.0,
            note="web page",
        ),
        Case(
            "cross_table_region_over_one_client.xlsx",
            lambda p: xlsx_of(
                [
                    ["Customer", "Jan 2026", "Feb 2026", "Mar 2026"],
                    ["North", 100, 50, 70],
                    ["Acme", 100, 50, 70],
                    ["South", 30, 40, None],
                    ["Beta", 10, 20, None],
                    ["Gamma", 20, 20, None],
                ]
            ),
            rows=7,
            names=frozenset({"Acme", "Beta", "Gamma"}),
            revenue=290.0,
            note="a group above its members",
        ),
        Case(
            "cross_table_fiscal_periods.xlsx",
            lambda p: xlsx_of(
                [
                    ["Customer", *[f"P{i:02d} 2026" for i in range(1, 13)]],
                    ["Acme", *[10] * 12],
                    ["Beta", *[5] * 12],
                ]
            ),
            refused="name fiscal periods",
        ),
        Case(
            "cross_table_years_with_totals.xlsx",
            lambda p: xlsx_of(
                [
                    ["Sales by customer by year"],
                    ["Customer", 2023, 2024, 2025, "Total"],
                    ["Acme", 100, 200, None, 300],
                    ["Beta", None, 50, 70, 120],
                    ["Total", 100, 250, 70, 420],
                ]
            ),
            rows=4,
            names=frozenset({"Acme", "Beta"}),
            revenue=420.0,
            dates=frozenset({"2023-01-01", "2024-01-01", "2025-01-01"}),
            note="a column per year",
        ),
    ]
