"""Files of a twenty-first round: SAP's ALV lists with their totals marked by asterisks,
Shopify's orders export, Salesforce's summary reports, CSV in DOS 866, KOI8-R and
Windows-1250."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from tests.hostile.builders import xlsx_of
from tests.hostile.case import Case


def _salesforce_formatted() -> bytes:
    """Salesforce's formatted export: each account merged over its lines, with their count."""
    day = dt.datetime
    book = openpyxl.Workbook()
    for row in [
        ["Opportunities by Account"],
        [],
        ["Account Name", "Opportunity Name", "Close Date", "Amount"],
        ["Acme Ltd (2)", "Acme - renewal", day(2024, 1, 15), 1200.0],
        [None, "Acme - upsell", day(2024, 2, 20), 800.0],
        ["Subtotal", None, None, 2000.0],
        ["Beta GmbH (1)", "Beta - license", day(2024, 3, 5), 400.0],
        ["Subtotal", None, None, 400.0],
        ["Total (3)", None, None, 2400.0],
    ]:
        book.active.append(row)
    book.active.merge_cells("A4:A5")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _alv_spreadsheet() -> bytes:
    """ALV's Export > Spreadsheet: a subtotal ('**') repeats its client and last date."""
    day = dt.datetime
    return xlsx_of(
        [
            [None, "Sold-to pt", "Name 1", "Billing Doc", "Billing Date", "Net value", "Curr."],
            [None, "100001", "Acme Ltd", "90000001", day(2024, 1, 15), 1200.0, "EUR"],
            [None, "100001", "Acme Ltd", "90000002", day(2024, 2, 20), 800.0, "EUR"],
            ["**", "100001", "Acme Ltd", None, day(2024, 2, 20), 2000.0, "EUR"],
            [None, "100002", "Beta GmbH", "90000003", day(2024, 3, 5), 500.0, "EUR"],
            ["**", "100002", "Beta GmbH", None, None, 500.0, "EUR"],
            ["*", None, None, None, None, 2500.0, "EUR"],
        ]
    )


_ALV_UNCONVERTED = (
    "---------------------------------------------------------------------\n"
    "|  |Sold-to pt|Name 1      |Billing Doc|Billing Date|   Net value|\n"
    "---------------------------------------------------------------------\n"
    "|  |100001    |Acme Ltd    |90000001   |15.01.2024  |    1.200,00|\n"
    "|  |100001    |Acme Ltd    |90000002   |20.02.2024  |      800,00|\n"
    "|**|100001    |Acme Ltd    |           |            |    2.000,00|\n"
    "|  |100002    |Beta GmbH   |90000003   |05.03.2024  |      500,00|\n"
    "|**|100002    |Beta GmbH   |           |            |      500,00|\n"
    "|* |          |            |           |            |    2.500,00|\n"
    "---------------------------------------------------------------------\n"
)


_SHOPIFY = (
    "Name,Email,Financial Status,Paid at,Subtotal,Shipping,Taxes,Total,Discount Amount,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name\n"
    "#1001,a@acme.com,paid,2024-03-01 10:15:00 +0200,150.00,10.00,12.00,172.00,0.00,"
    "2024-03-01 10:14:00 +0200,2,Blue Mug,50.00,Anna Levi\n"
    "#1001,a@acme.com,,,,,,,,2024-03-01 10:14:00 +0200,1,Red Plate,50.00,\n"
    "#1002,b@beta.com,voided,,40.00,0.00,3.20,43.20,0.00,2024-03-02 09:00:00 +0200,1,Fork,"
    "40.00,Bob Cohen\n"
    "#1003,b@beta.com,paid,2024-03-05 11:00:00 +0200,90.00,5.00,7.20,102.20,10.00,"
    "2024-03-05 10:59:00 +0200,1,Teapot,100.00,Bob Cohen\n"
)


_SALESFORCE = (
    "Opportunities by Account\n"
    "\n"
    "Account Name: Acme Ltd (2 records)\n"
    "Opportunity Name,Close Date,Stage,Amount\n"
    'Acme - renewal,15/01/2024,Closed Won,"1,200.00"\n'
    "Acme - upsell,20/02/2024,Closed Won,800.00\n"
    'Subtotal,,,"2,000.00"\n'
    "Account Name: Beta GmbH (1 record)\n"
    "Opportunity Name,Close Date,Stage,Amount\n"
    "Beta - license,05/03/2024,Closed Won,400.00\n"
    "Subtotal,,,400.00\n"
    'Grand Total (3 records),,,"2,400.00"\n'
)


_RUSSIAN = "Дата;Клиент;Сумма\n15.01.2024;ООО Ромашка;1200,00\n20.02.2024;ИП Иванов;800,00\n"
_POLISH = "Date;Client;Amount\n15.01.2024;Łódź Spółka;1200,00\n20.02.2024;Dvořák s.r.o.;800,00\n"


def twentyfirst_cases() -> list[Case]:
    """Real exports read as they mean: totals marked by asterisks."""
    return [
        Case(
            "sap_alv_spreadsheet_starred_subtotals.xlsx",
            lambda p: _alv_spreadsheet(),
            rows=3,
            revenue=2500.0,
            names=frozenset({"Acme Ltd", "Beta GmbH"}),
            note="asterisks",
        ),
        Case(
            "sap_alv_unconverted_starred_subtotals.txt",
            lambda p: _ALV_UNCONVERTED.encode("utf-8"),
            rows=3,
            revenue=2500.0,
            names=frozenset({"Acme Ltd", "Beta GmbH"}),
        ),
        Case(
            "shopify_orders_export_line_items.csv",
            lambda p: _SHOPIFY.encode("utf-8"),
            rows=2,
            rejected=1,
            revenue=240.0,
            names=frozenset({"Anna Levi", "Bob Cohen"}),
            value="voided",
            note="further line items",
        ),
        Case(
            "salesforce_summary_header_under_each_group.csv",
            lambda p: _SALESFORCE.encode("utf-8"),
            rows=3,
            revenue=2400.0,
            names=frozenset({"Acme Ltd", "Beta GmbH"}),
            note="rows over each group",
        ),
        Case(
            "old_1c_export_cp866.csv",
            lambda p: _RUSSIAN.encode("cp866"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"ООО Ромашка", "ИП Иванов"}),
            note="cp866",
        ),
        Case(
            "unix_export_koi8_r.csv",
            lambda p: _RUSSIAN.encode("koi8_r"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"ООО Ромашка", "ИП Иванов"}),
            note="koi8_r",
        ),
        Case(
            "polish_czech_export_cp1250.csv",
            lambda p: _POLISH.encode("cp1250"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Łódź Spółka", "Dvořák s.r.o."}),
            note="cp1250",
        ),
        Case(
            "salesforce_formatted_merged_accounts.xlsx",
            lambda p: _salesforce_formatted(),
            rows=3,
            revenue=2400.0,
            names=frozenset({"Acme Ltd", "Beta GmbH"}),
        ),
    ]
