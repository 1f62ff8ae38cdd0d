"""The amount column real systems' exports hold the line's revenue in, net of tax."""

from __future__ import annotations

import pytest

from kam_core.ingest.header import auto_map

# (system, headers, the header holding the line's revenue before tax)
REVENUE = [
    (
        "Odoo 16 invoices",
        ["Customer", "Invoice Date", "Tax Excluded", "Tax", "Total"],
        "Tax Excluded",
    ),
    (
        "Odoo 13 invoices",
        ["Customer", "Invoice Date", "Untaxed Amount", "Tax", "Total"],
        "Untaxed Amount",
    ),
    ("Odoo sales analysis", ["Customer", "Order Date", "Untaxed Total", "Total"], "Untaxed Total"),
    ("Odoo invoice lines", ["Partner", "Customer", "Date", "Subtotal", "Total"], "Subtotal"),
    (
        "Zoho Books",
        ["Customer Name", "Invoice Date", "Item Total", "SubTotal", "Total"],
        "Item Total",
    ),
    ("NetSuite", ["Date", "Customer", "Amount", "Amount (Net of Tax)"], "Amount (Net of Tax)"),
    ("NetSuite net/gross", ["Date", "Customer", "Amount (Gross)", "Amount (Net)"], "Amount (Net)"),
    (
        "WooCommerce",
        [
            "Order Date",
            "Customer",
            "Order Subtotal Amount",
            "Order Total Tax Amount",
            "Order Total Amount",
        ],
        "Order Subtotal Amount",
    ),
    (
        "WooCommerce plugin",
        ["order_date", "billing_company", "shipping_total", "order_total"],
        "order_total",
    ),
    (
        "Xero",
        ["*ContactName", "*InvoiceDate", "Total", "Quantity", "UnitAmount", "LineAmount"],
        "LineAmount",
    ),
    (
        "tax exclusive",
        ["Customer", "Date", "Total (Tax Exclusive)", "Total (Tax Inclusive)"],
        "Total (Tax Exclusive)",
    ),
    ("excl/incl alone", ["Customer", "Date", "Incl. VAT", "Excl. VAT"], "Excl. VAT"),
    (
        "VAT exclusive",
        ["Customer", "Date", "Amount VAT inclusive", "Amount VAT exclusive"],
        "Amount VAT exclusive",
    ),
    (
        "Business Central ledger",
        ["Posting Date", "Customer Name", "Amount", "Amount (LCY)", "Sales (LCY)"],
        "Sales (LCY)",
    ),
    (
        "Hebrew taxable",
        ["שם לקוח", "תאריך", 'סה"כ לתשלום', 'מע"מ', 'סכום חייב מע"מ'],
        'סכום חייב מע"מ',
    ),
    ("Hebrew before VAT", ["שם לקוח", "תאריך", 'סה"כ לפני מע"מ', 'מע"מ', 'סה"כ'], 'סה"כ לפני מע"מ'),
    ("1C", ["Контрагент", "Дата", "Сумма без НДС", "НДС", "Сумма с НДС"], "Сумма без НДС"),
    (
        "Square",
        ["Date", "Customer Name", "Gross Sales", "Discounts", "Net Sales", "Tax"],
        "Net Sales",
    ),
    (
        "BC posted invoices",
        ["Customer Name", "Posting Date", "Amount", "Amount Including VAT"],
        "Amount",
    ),
    ("extended price", ["Date", "Customer", "Unit Price", "Extended Price"], "Extended Price"),
    (
        "before discount",
        ["Customer", "Date", "Amount before discount", "Discount", "Amount"],
        "Amount",
    ),
]


@pytest.mark.parametrize(("system", "headers", "expected"), REVENUE, ids=[r[0] for r in REVENUE])
def test_revenue_is_the_lines_amount_before_tax(system: str, headers: list[str], expected: str):
    mapping = auto_map(headers)
    assert headers[mapping["revenue"]] == expected


def test_headers_written_as_one_word_are_read_as_words():
    headers = ["OrderDate", "CustomerName", "SalesOrderNumber", "SalesAmount", "TaxAmt"]
    mapping = {f: headers[i] for f, i in auto_map(headers).items()}
    assert mapping == {
        "order_date": "OrderDate",
        "client_name": "CustomerName",
        "order_id": "SalesOrderNumber",
        "revenue": "SalesAmount",
    }


def test_shipping_fees_and_balances_are_never_revenue():
    for label in ("shipping_total", "Freight Amount", "Balance Due", "Total Paid", "Commission"):
        assert "revenue" not in auto_map(["Date", "Customer", label]), label


def test_a_contact_name_is_the_client_only_where_no_account_or_company_is():
    assert auto_map(["Date", "Contact Name", "Amount"])["client_name"] == 1
    assert auto_map(["Date", "Contact Name", "Associated Company", "Amount"])["client_name"] == 2


def test_xeros_ledger_account_code_is_not_the_client():
    headers = ["*ContactName", "*InvoiceNumber", "*InvoiceDate", "LineAmount", "*AccountCode"]
    assert headers[auto_map(headers)["client_name"]] == "*ContactName"


def test_sages_name_beside_its_account_reference_is_the_clients_name():
    headers = ["Type", "Account Reference", "Name", "Date", "Ref", "Net", "Tax", "Gross"]
    mapping = {f: headers[i] for f, i in auto_map(headers).items()}
    assert mapping["client_id"] == "Account Reference"
    assert mapping["client_name"] == "Name"
    assert mapping["revenue"] == "Net"
    # Alone, a Name is anyone's: not taken for the client.
    assert "client_name" not in auto_map(["Date", "Name", "Product Name", "Amount"])


def test_paypals_gross_is_the_sale_and_net_what_is_left_after_its_fee():
    headers = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee"]
    headers += ["Net", "From Email Address", "Transaction ID"]
    mapping = {f: headers[i] for f, i in auto_map(headers).items()}
    assert mapping["revenue"] == "Gross"
    # Sage's day book: Net is before VAT, Gross with it; there is no fee.
    sage = ["Type", "Account Reference", "Name", "Date", "Ref", "Net", "Tax", "Gross"]
    assert sage[auto_map(sage)["revenue"]] == "Net"


def test_a_hoped_for_date_is_not_the_sales_date():
    headers = ["Deal", "Account", "Expected close date", "Close date", "Deal value"]
    assert headers[auto_map(headers)["order_date"]] == "Close date"
    alone = ["Deal", "Account", "Expected close date", "Created", "Deal value"]
    assert "order_date" not in auto_map(alone)
    russian = ["Компания", "Сумма", "Дата создания", "Предполагаемая дата закрытия"]
    assert russian[auto_map(russian)["order_date"]] == "Дата создания"
    assert russian[auto_map(russian)["client_name"]] == "Компания"


def test_a_cell_too_long_to_be_a_label_is_not_worked_on_as_one():
    import tracemalloc

    # Every one of the first rows is tried as the header: a cell of 20 million spaces,
    # normalised like a label, took the server to gigabytes.
    labels = ["Date", "Customer", "Net", "Fee", "Gross", " " * 20_000_000 + "x"]
    tracemalloc.start()
    try:
        mapping = auto_map(labels)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert labels[mapping["revenue"]] == "Gross"
    assert peak < 20_000_000  # less than one copy of the cell
