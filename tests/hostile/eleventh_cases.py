"""Hostile files of an eleventh round: exports to Excel written as web pages."""

from __future__ import annotations

from tests.hostile.case import Case


def eleventh_cases() -> list[Case]:
    """The eleventh round's cases."""
    return [
        # Refused as a web page ("save it as .xlsx"): many reporting tools export so.
        Case(
            "export_written_as_html.xls",
            lambda p: (
                '<html><head><meta charset="windows-1255"></head><body><table>'
                "<tr><td colspan=3>דוח מכירות</td></tr>"
                "<tr><th>Order Date</th><th>Customer</th><th>Amount</th></tr>"
                "<tr><td>05/01/2024</td><td>אלקטרה</td><td>1,250.50</td></tr>"
                "<tr><td>06/01/2024</td><td>Acme&nbsp;Ltd</td><td>(100)</td></tr>"
                '<tr><td colspan=2>סה"כ</td><td>1,150.50</td></tr></table></body></html>'
            ).encode("cp1255"),
            rows=2,
            revenue=1_150.50,
            names=frozenset({"אלקטרה", "Acme Ltd"}),
            note="web page",
        ),
        # The standard library's HTML parser took 11 s over 30 KB of unclosed tags.
        Case(
            "web_page_of_unclosed_tags.xls",
            lambda p: b"<html><table><tr><td>" + b"<a " * 300_000,
            "holds no table with data",
        ),
        Case(
            "web_page_client_spanning_rows.htm",
            lambda p: (
                b"<table><tr><td>Order Date</td><td>Customer</td><td>Amount</td></tr>"
                b"<tr><td>2024-01-05</td><td rowspan=2>Acme</td><td>10</td></tr>"
                b"<tr><td>2024-01-06</td><td>20</td></tr></table>"
            ),
            rows=2,
            revenue=30.0,
            names=frozenset({"Acme"}),
        ),
    ]
