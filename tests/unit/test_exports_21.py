"""SAP's ALV lists with their totals marked by asterisks: shapes of real exports, read as they
mean."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pyarrow as pa
import pytest

from kam_core.importing import import_file
from kam_core.ingest.encoding import detect_encoding
from kam_core.ingest.skipped import starred_totals


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def _per_client(conn) -> dict[str, float]:
    rows = conn.execute(
        "SELECT client_name, round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return dict(rows)


# "Local file > unconverted": columns between bars, a rule of dashes above and below the
# header, the totals marked in a narrow column of their own before the first field.
ALV_UNCONVERTED = """
Billing documents list
---------------------------------------------------------------------------------
|  |Sold-to pt|Name 1              |Billing Doc|Billing Date|     Net value|Curr.|
---------------------------------------------------------------------------------
|  |100001    |Acme Ltd            |90000001   |15.01.2024  |      1.200,00|EUR  |
|  |100001    |Acme Ltd            |90000002   |20.02.2024  |        800,00|EUR  |
|**|100001    |Acme Ltd            |           |            |      2.000,00|EUR  |
|  |100002    |Beta GmbH           |90000003   |05.03.2024  |        500,00|EUR  |
|  |100002    |Beta GmbH           |90000004   |12.03.2024  |        250,00|EUR  |
|**|100002    |Beta GmbH           |           |            |        750,00|EUR  |
|* |          |                    |           |            |      2.750,00|EUR  |
---------------------------------------------------------------------------------
"""


def test_an_alv_list_as_unconverted_text_skips_its_starred_totals(conn):
    # The subtotals, undated beside their client, were rejected as missing a date. By hand:
    # Acme 1,200 + 800 = 2,000; Beta 500 + 250 = 750.
    counts, parsed, _pre = import_file(conn, _csv(ALV_UNCONVERTED), "billing.txt")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    assert _per_client(conn) == {"Acme Ltd": 2000.0, "Beta GmbH": 750.0}
    assert parsed.skipped["total"] == 3
    assert any("asterisks" in note for note in parsed.notes)


def test_an_alv_spreadsheet_export_skips_subtotals_dated_beside_their_client(conn):
    # Each subtotal repeats the client and the date of its last line: stored, it doubled the
    # client (5,500 for 2,750). By hand: Acme 1,200 + 800 = 2,000; Beta 500 + 250 = 750.
    data = _csv(
        """
,Sold-to pt,Name 1,Billing Doc,Billing Date,Net value,Curr.
,100001,Acme Ltd,90000001,15.01.2024,1200.00,EUR
,100001,Acme Ltd,90000002,20.02.2024,800.00,EUR
**,100001,Acme Ltd,,20.02.2024,2000.00,EUR
,100002,Beta GmbH,90000003,05.03.2024,500.00,EUR
,100002,Beta GmbH,90000004,12.03.2024,250.00,EUR
**,100002,Beta GmbH,,12.03.2024,750.00,EUR
***,,,,,2750.00,EUR
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "billing.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    assert counts.revenue == pytest.approx(2750.0)
    assert _per_client(conn) == {"Acme Ltd": 2000.0, "Beta GmbH": 750.0}


def _table(marks: list[str | None], amounts: list[str]) -> pa.Table:
    return pa.table({"mark": pa.array(marks, pa.string()), "amount": pa.array(amounts)})


def test_a_column_of_stars_flagging_dated_sales_is_no_column_of_totals():
    # A '*' beside some sales (key orders) sums nothing and each is dated: they stay sales.
    table = _table([None, "*", None, "*"], ["100", "250", "40", "75"])
    amounts = np.array([100.0, 250.0, 40.0, 75.0])
    no_date = np.zeros(4, dtype=bool)
    assert not starred_totals(table, {1}, ["", "amount"], no_date, amounts).any()


def test_a_starred_row_summing_the_rows_above_it_is_a_total():
    table = _table([None, None, "**", None, "**"], ["100", "250", "350", "40", "40"])
    amounts = np.array([100.0, 250.0, 350.0, 40.0, 40.0])
    no_date = np.zeros(5, dtype=bool)
    got = starred_totals(table, {1}, ["", "amount"], no_date, amounts)
    assert got.tolist() == [False, False, True, False, True]
    # A labelled column ('Flag') is never read for marks.
    assert not starred_totals(table, {1}, ["flag", "amount"], no_date, amounts).any()


# Shopify's orders_export.csv: a row per line item; the order's own fields on its first row.
SHOPIFY = "\n".join(
    [
        "Name,Email,Financial Status,Subtotal,Shipping,Taxes,Total,Discount Amount,Created at,"
        "Lineitem quantity,Lineitem name,Lineitem price,Billing Name",
        "#1001,anna@acme.com,paid,150.00,10.00,12.00,172.00,0.00,2024-03-01 10:14:00 +0200,2,"
        "Blue Mug,50.00,Anna Levi",
        "#1001,anna@acme.com,,,,,,,2024-03-01 10:14:00 +0200,1,Red Plate,50.00,",
        "#1002,bob@beta.com,paid,90.00,5.00,7.20,102.20,10.00,2024-03-05 10:59:00 +0200,1,"
        "Teapot,100.00,Bob Cohen",
        "#1003,anna@acme.com,refunded,60.00,5.00,4.80,69.80,0.00,2024-03-07 11:59:00 +0200,3,"
        "Spoon,20.00,Anna Levi",
        "#1003,anna@acme.com,,,,,,,2024-03-07 11:59:00 +0200,1,Knife,0.00,",
        "#1005,bob@beta.com,paid,70.00,5.00,5.60,80.60,0.00,2024-03-10 10:59:00 +0200,1,Cup,"
        "30.00,Bob Cohen",
        "#1005,bob@beta.com,,,,,,,2024-03-10 10:59:00 +0200,2,Saucer,20.00,",
    ]
)


def test_a_shopify_orders_export_counts_each_order_once_with_all_its_lines(conn):
    # The further line items were rejected for a missing amount, their quantities lost. By
    # hand: Anna #1001 subtotal 150 (2 x 50 + 1 x 50), 3 items; Bob #1002 90 (100 less 10
    # off), 1 item, and #1005 70 (30 + 2 x 20), 3 items; #1003 refunded is no sale.
    counts, parsed, _pre = import_file(conn, _csv(SHOPIFY), "orders_export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 1)
    assert counts.revenue == pytest.approx(310.0)
    assert _per_client(conn) == {"Anna Levi": 150.0, "Bob Cohen": 160.0}
    quantities = conn.execute(
        "SELECT client_name, sum(quantity) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert quantities == [("Anna Levi", 3.0), ("Bob Cohen", 4.0)]
    assert parsed.skipped["order_line"] == 3
    assert any("further line items" in note for note in parsed.notes)


def test_rows_repeating_an_order_name_without_line_items_are_left_alone(conn):
    # A plain list with a Name column and a blank amount: the row is rejected as before.
    data = _csv(
        """
Name,Customer,Date,Amount
#1,Acme,2024-01-05,100
#1,Acme,2024-01-05,
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "list.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)


# Salesforce's summary report, as its printable view or a formatted export: a row over each
# group names the account, 'Subtotal' closes it, 'Grand Total' ends the report.
SALESFORCE_PRINTABLE = """
Opportunity Name,Close Date,Stage,Amount
Account Name: Acme Ltd (3 records),,,
Acme - Q1 renewal,15/01/2024,Closed Won,"1,200.00"
Acme - upsell,20/02/2024,Closed Won,800.00
Acme - pilot,10/03/2024,Closed Won,500.00
Subtotal,,,"2,500.00"
Account Name: Beta GmbH (2 records),,,
Beta - license,05/03/2024,Closed Won,400.00
Beta - support,12/03/2024,Closed Won,100.00
Subtotal,,,500.00
Grand Total (5 records),,,"3,000.00"
"""

SALESFORCE_HEADER_EACH_GROUP = """
Opportunities by Account
Closed Won, FY 2024

Account Name: Acme Ltd (3 records)
Opportunity Name,Close Date,Stage,Amount
Acme - Q1 renewal,15/01/2024,Closed Won,"1,200.00"
Acme - upsell,20/02/2024,Closed Won,800.00
Acme - pilot,10/03/2024,Closed Won,500.00
Subtotal,,,"2,500.00"
Account Name: Beta GmbH (2 records)
Opportunity Name,Close Date,Stage,Amount
Beta - license,05/03/2024,Closed Won,400.00
Beta - support,12/03/2024,Closed Won,100.00
Subtotal,,,500.00
Grand Total (5 records),,,"3,000.00"
"""

SALESFORCE_BARE_NAMES = """
Acme Ltd
Opportunity Name,Close Date,Stage,Amount
Acme - Q1 renewal,15/01/2024,Closed Won,"1,200.00"
Acme - upsell,20/02/2024,Closed Won,800.00
Subtotal,,,"2,000.00"
Beta GmbH
Opportunity Name,Close Date,Stage,Amount
Beta - license,05/03/2024,Closed Won,400.00
Subtotal,,,400.00
Grand Total (3 records),,,"2,400.00"
"""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # By hand: Acme 1,200 + 800 + 500 = 2,500; Beta 400 + 100 = 500.
        (SALESFORCE_PRINTABLE, {"Acme Ltd": 2500.0, "Beta GmbH": 500.0}),
        (SALESFORCE_HEADER_EACH_GROUP, {"Acme Ltd": 2500.0, "Beta GmbH": 500.0}),
        # By hand: Acme 1,200 + 800 = 2,000; Beta 400.
        (SALESFORCE_BARE_NAMES, {"Acme Ltd": 2000.0, "Beta GmbH": 400.0}),
    ],
)
def test_a_salesforce_summary_report_reads_each_group_rows_client(conn, text, want):
    # Each was refused: no column is headed as the client.
    counts, _parsed, pre = import_file(conn, _csv(text), "report.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == want
    assert counts.revenue == pytest.approx(sum(want.values()))
    assert any("rows over each group" in note for note in pre.notes)


def test_a_formatted_report_group_column_loses_the_count_of_its_lines(conn):
    # 'Acme Ltd (3)' was the client; the next export's 'Acme Ltd (4)' would be another. A
    # 'Studio (5)' of two lines keeps its name: the count is not its lines'.
    data = _csv(
        """
Account Name,Opportunity Name,Close Date,Amount
Acme Ltd (3),Acme - renewal,15/01/2024,"1,200.00"
,Acme - upsell,20/02/2024,800.00
,Acme - pilot,10/03/2024,500.00
Subtotal,,,"2,500.00"
Studio (5),Studio - site,05/03/2024,400.00
,Studio - app,12/03/2024,100.00
Subtotal,,,500.00
Total (5),,,"3,000.00"
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "formatted.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {"Acme Ltd": 2500.0, "Studio (5)": 500.0}


RUSSIAN = "Дата;Клиент;Сумма\n15.01.2024;ООО Ромашка;1200,00\n20.02.2024;ИП Иванов;800,00\n"
POLISH = "Date;Client;Amount\n15.01.2024;Łódź Spółka;1200,00\n20.02.2024;Dvořák s.r.o.;800,00\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RUSSIAN, "cp866"),
        ("2024-01-05;ООО РОМАШКА;100\n", "cp866"),
        (RUSSIAN, "koi8_r"),
        ("дата,клиент,выручка\n2024-01-05,ромашка,100\n2024-01-06,вектор,50\n", "koi8_r"),
        (POLISH, "cp1250"),
        ("Date,Client,Amount\n2024-02-20,Dvořák,800\n", "cp1250"),
        ("Date,Client,Amount\n2024-02-20,Děčín a.s.,800\n", "cp1250"),
        # The code pages told apart before stay so.
        (RUSSIAN, "cp1251"),
        ("2024-01-05,ООО РОМАШКА,100\n2024-01-06,ЗАО ВЕКТОР,5\n", "cp1251"),
        ("2024-01-05,Пётр,100\n", "cp1251"),
        ("2024-01-05,טבע,100\n2024-01-06,אסם,5\n2024-01-07,שטראוס,6\n", "cp1255"),
        ("Date,Client\n2024-01-15,Müller GmbH\n2024-02-20,Café Zürich\n", "cp1252"),
        ("Date,Client\n" + "2024-01-15,“Société” Générale\n" * 20, "cp1252"),
        ("Date,Client\n2024-01-15,¿Qué Tal? S.A.\n2024-01-16,Søren Bjørn København\n", "cp1252"),
        ("Date,Client\n2024-01-15,Così Più Caffè\n2024-01-16,Crème créée\n", "cp1252"),
    ],
)
def test_dos_koi8_and_central_european_code_pages_are_told_apart(text, encoding):
    assert detect_encoding(text.encode(encoding)) == encoding


@pytest.mark.parametrize(
    ("text", "encoding", "want"),
    [
        # Each was read as another code page: the names came out wrong, or the header was not
        # found and the file refused.
        (RUSSIAN, "cp866", {"ИП Иванов": 800.0, "ООО Ромашка": 1200.0}),
        (RUSSIAN, "koi8_r", {"ИП Иванов": 800.0, "ООО Ромашка": 1200.0}),
        (POLISH, "cp1250", {"Dvořák s.r.o.": 800.0, "Łódź Spółka": 1200.0}),
    ],
)
def test_a_csv_in_a_dos_koi8_or_central_european_code_page_keeps_its_names(
    conn, text, encoding, want
):
    counts, _parsed, pre = import_file(conn, text.encode(encoding), "export.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == want
    assert any(f"in {encoding}" in note for note in pre.notes)


def test_a_shopify_export_without_its_billing_name_reads_the_email_as_the_client(conn):
    # Refused for want of a client. By hand: anna 150 (3 items), bob 90.
    data = _csv(
        """
Name,Email,Financial Status,Subtotal,Total,Created at,Lineitem quantity,Lineitem name
#1001,anna@acme.com,paid,150.00,172.00,2024-03-01 10:14:00 +0200,2,Blue Mug
#1001,anna@acme.com,,,,2024-03-01 10:14:00 +0200,1,Red Plate
#1002,bob@beta.com,paid,90.00,102.20,2024-03-05 10:59:00 +0200,1,Teapot
"""
    )
    counts, _parsed, pre = import_file(conn, data, "orders_export.csv")
    assert pre.layout.mapping["client_name"] == 1
    assert (counts.rows_imported, counts.rows_rejected) == (2, 0)
    assert _per_client(conn) == {"anna@acme.com": 150.0, "bob@beta.com": 90.0}


def test_a_formatted_report_client_merged_over_its_lines_loses_their_count(conn):
    # Salesforce's formatted export merges 'Acme Ltd (3)' over its three lines: stored so, it
    # was a client apart from the next export's 'Acme Ltd (4)'. A merge whose count is not
    # its rows' keeps it. By hand: Acme 1,200 + 800 + 500 = 2,500; Studio (7) 400 + 100.
    book = openpyxl.Workbook()
    sheet = book.active
    day = dt.datetime
    for row in [
        ["Account Name", "Opportunity Name", "Close Date", "Amount"],
        ["Acme Ltd (3)", "Acme - renewal", day(2024, 1, 15), 1200],
        [None, "Acme - upsell", day(2024, 2, 20), 800],
        [None, "Acme - pilot", day(2024, 3, 10), 500],
        ["Subtotal", None, None, 2500],
        ["Studio (7)", "Studio - site", day(2024, 3, 5), 400],
        [None, "Studio - app", day(2024, 3, 12), 100],
        ["Subtotal", None, None, 500],
        ["Total (5)", None, None, 3000],
    ]:
        sheet.append(row)
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("A6:A7")
    out = io.BytesIO()
    book.save(out)
    counts, _parsed, _pre = import_file(conn, out.getvalue(), "formatted.xlsx")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {"Acme Ltd": 2500.0, "Studio (7)": 500.0}


def test_a_group_of_one_line_loses_its_count_where_a_subtotal_closes_it(conn):
    # 'Gamma (1)' has no group row or merge to tell it by: its subtotal does. 'Delta (1)' with
    # no subtotal below it keeps its name.
    data = _csv(
        """
Account Name,Opportunity Name,Close Date,Amount
Gamma (1),Gamma - site,05/03/2024,400.00
Subtotal,,,400.00
Delta (1),Delta - app,06/03/2024,100.00
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "formatted.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {"Delta (1)": 100.0, "Gamma": 400.0}
