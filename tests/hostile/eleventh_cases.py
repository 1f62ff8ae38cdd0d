"""Hostile files of an eleventh round: exports to Excel written as web pages; ledgers, web shops
and reports whose amounts or dates were stored wrong without a word."""

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
        # A ledger's page totals, dated: "Carried forward" and "Brought forward" were stored as
        # two clients holding the first page's sales again (1,200 stored for 600).
        Case(
            "ledger_carried_and_brought_forward.csv",
            lambda p: (
                b"Date,Invoice,Customer,Amount\n05/01/2024,1001,Acme,100.00\n"
                b"09/01/2024,1002,Globex,200.00\n31/01/2024,,Carried forward,300.00\n"
                b"01/02/2024,,Brought forward,300.00\n05/02/2024,1003,Acme,300.00\n"
            ),
            rows=3,
            revenue=600.0,
            names=frozenset({"Acme", "Globex"}),
        ),
        # A web shop's times with their zone ('-0500', 'UTC') were "not a date": refused.
        Case(
            "shop_orders_with_time_zones.csv",
            lambda p: (
                b"Name,Created at,Billing Name,Total\n"
                b"#1001,2024-03-31 23:30:00 -0500,Jane Doe,65.00\n"
                b"#1002,2024-04-01 08:00:00 UTC,John Roe,150.00\n"
            ),
            rows=2,
            revenue=215.0,
            dates=frozenset({"2024-03-31", "2024-04-01"}),
            names=frozenset({"Jane Doe", "John Roe"}),
        ),
        # 'Sales ($000)': 12.5 was stored for 12,500.
        Case(
            "amounts_in_thousands_by_the_header.csv",
            lambda p: b"Date,Customer,Sales ($000)\n2024-01-01,Acme,12.5\n2024-01-15,Globex,7.25\n",
            rows=2,
            revenue=19_750.0,
            note="in thousands",
        ),
        # A margin in percent: '25%' as profit rejected every sale; 0.25 was stored as profit.
        Case(
            "margin_in_percent_beside_the_sales.csv",
            lambda p: (
                b"Date,Customer,Sales,Margin\n2024-03-01,Acme,1000,25%\n2024-03-05,Acme,2000,15%\n"
                b"2024-03-20,Globex,500,10%\n"
            ),
            rows=3,
            revenue=3_500.0,
            note="shares of the sale",
        ),
        # One Western name deep in an English file (its first 200 KB plain ASCII): read as
        # Windows-1255, 'Café Noir' was stored as 'Cafי Noir'.
        Case(
            "one_accented_name_deep_in_an_english_file.csv",
            lambda p: (
                b"Date,Client,Amount\n"
                + b"2024-01-05,Acme Trading,100.00\n" * 12_000
                + b"2024-01-06,Caf\xe9 Noir,50.00\n"
            ),
            rows=12_001,
            names=frozenset({"Acme Trading", "Café Noir"}),
        ),
        # A currency in a column of its own (Salesforce's 'Amount Currency', a Hebrew 'מטבע'):
        # dollars and euros were added up as one currency (4,200 stored).
        Case(
            "currency_in_a_column_of_its_own.csv",
            lambda p: (
                b'"Opportunity Name","Account Name","Close Date","Amount Currency","Amount"\n'
                b'"Renewal","Acme Corp","3/15/2024","USD","1,500.00"\n'
                b'"Upsell","Globex","3/28/2024","EUR","2,000.00"\n'
                b'"New deal","Acme Corp","4/2/2024","USD","700.00"\n'
            ),
            rows=2,
            rejected=1,
            revenue=2_200.0,
            reason="amounts of two currencies are not added up",
            value="EUR",
        ),
        # As many shekels as dollars and euros: the currency the column shows first is kept.
        Case(
            "hebrew_currency_column_one_row_each.csv",
            lambda p: (
                'תאריך,לקוח,סכום,מטבע\n01/01/2024,אלקטרה,1000,ש"ח\n15/01/2024,Siemens AG,1000,EUR\n'
                "20/01/2024,Intel,1000,USD\n"
            ).encode(),
            rows=1,
            rejected=2,
            names=frozenset({"אלקטרה"}),
        ),
        # A printed report's page numbers, print date and title repeated on each page were four
        # rejected rows ("revenue is missing"): the counts looked alarming for a clean file.
        Case(
            "printed_report_with_page_lines.csv",
            lambda p: (
                b"ACME Trading Ltd - Sales journal\nPrinted on 02/04/2024 09:15 by dana\n\n"
                b"Date,Invoice,Customer,Amount\n05/01/2024,1001,Acme,100.00\n"
                b"09/01/2024,1002,Globex,200.00\n\nPage 1 of 2,,,\n"
                b"ACME Trading Ltd - Sales journal\n"
                b"Date,Invoice,Customer,Amount\n05/03/2024,1004,Acme,400.00\n\nPage 2 of 2,,,\n"
                b"Total,,,700.00\nPrinted on 02/04/2024 09:15,,,\n"
            ),
            rows=3,
            rejected=0,
            revenue=700.0,
        ),
        # SAP's list export: the name column took the client id, the code column was left out.
        Case(
            "sap_list_export.txt",
            lambda p: (
                "Billing documents list\n\n" + "-" * 60 + "\n"
                "|Billing Doc.|Billing Date|Sold-To Pt|Name of sold-to party|Net Value|Curr.|\n"
                + "-"
                * 60
                + "\n"
                "|90001|02.01.2024|1000|Müller GmbH|1.234,56|EUR|\n"
                "|90002|15.01.2024|1000|Müller GmbH|250,00-|EUR|\n"
                "|90003|31.01.2024|1001|Schmidt AG|10.500,00|EUR|\n" + "-" * 60 + "\n"
                "|*|||| 11.484,56|EUR|\n"
            ).encode(),
            rows=3,
            rejected=0,
            revenue=11_484.56,
            ids=frozenset({"1000", "1001"}),
            names=frozenset({"Müller GmbH", "Schmidt AG"}),
        ),
    ]
