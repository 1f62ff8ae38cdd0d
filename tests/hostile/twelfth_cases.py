"""Files of a twelfth round: accounting and shop exports whose revenue was taken from the
wrong column (with tax, the invoice's total on every line, the shipping fee), a currency column
whose empty cells are the company's own currency, headers written as one word."""

from __future__ import annotations

from tests.hostile.case import Case


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def twelfth_cases() -> list[Case]:
    """The twelfth round's cases."""
    return [
        # Odoo's invoices: 'Tax Excluded' (taken for the tax) beside 'Total' with 17% VAT:
        # 3,978 stored for 3,400.
        Case(
            "odoo_tax_excluded_beside_total.csv",
            lambda p: _csv(
                "Number,Customer,Invoice Date,Due Date,Tax Excluded,Tax,Total,Status",
                "INV/2025/0001,Acme Ltd,2025-10-02,2025-11-01,1000.00,170.00,1170.00,Paid",
                "INV/2025/0002,Bolt Inc,2025-10-09,2025-11-08,400.00,68.00,468.00,Paid",
                "INV/2025/0003,Acme Ltd,2025-11-12,2025-12-12,2000.00,340.00,2340.00,Posted",
            ),
            rows=3,
            revenue=3_400.0,
            names=frozenset({"Acme Ltd", "Bolt Inc"}),
        ),
        # Zoho Books: one row a line, the invoice's SubTotal and Total repeated on each: the
        # invoice's total was stored on every line (750 for 350).
        Case(
            "zoho_item_total_beside_invoice_totals.csv",
            lambda p: _csv(
                "Invoice Date,Invoice Number,Customer Name,Item Name,Quantity,Item Price,"
                "Item Total,SubTotal,Total,Balance",
                "2025-10-02,INV-000101,Acme Ltd,Widget,2,100.00,200.00,250.00,295.00,0.00",
                "2025-10-02,INV-000101,Acme Ltd,Gadget,1,50.00,50.00,250.00,295.00,0.00",
                "2025-10-09,INV-000102,Bolt Inc,Widget,1,100.00,100.00,100.00,118.00,0.00",
            ),
            rows=3,
            revenue=350.0,
            names=frozenset({"Acme Ltd", "Bolt Inc"}),
        ),
        # A WooCommerce plugin's export: 'shipping_total' came before 'order_total' and was
        # stored as the revenue (12.50 for 435.50).
        Case(
            "woocommerce_shipping_total_before_order_total.csv",
            lambda p: _csv(
                "order_number,order_date,status,shipping_total,tax_total,order_total,"
                "customer_id,billing_company",
                "1501,2025-10-04 10:12:00,completed,5.00,0.00,120.00,11,Acme",
                "1502,2025-10-09 18:40:00,completed,0.00,0.00,75.50,12,Bolt",
                "1503,2025-11-21 08:05:00,completed,7.50,0.00,240.00,11,Acme",
            ),
            rows=3,
            revenue=435.5,
            ids=frozenset({"11", "12"}),
        ),
        # Business Central writes no currency code for its own currency: the euro invoice was
        # added to the shekels (16,000 stored for 6,000).
        Case(
            "business_central_empty_currency_code.csv",
            lambda p: _csv(
                "No.,Posting Date,Sell-to Customer No.,Sell-to Customer Name,Currency Code,Amount",
                "103001,2025-10-02,10000,Adatum Corporation,,1000.00",
                "103002,2025-10-09,20000,Trey Research,,2000.00",
                "103003,2025-10-15,10000,Adatum Corporation,,3000.00",
                "103004,2025-10-20,30000,School of Fine Art,EUR,10000.00",
            ),
            rows=3,
            rejected=1,
            revenue=6_000.0,
            reason="€",
            note="the company's own currency",
        ),
        # Amounts in the company's currency (LCY) beside the document's currency code: one
        # currency whatever the code says, and Sales (LCY) is the revenue, not Amount.
        Case(
            "business_central_ledger_in_lcy.csv",
            lambda p: _csv(
                "Posting Date,Document No.,Customer No.,Customer Name,Currency Code,Amount,"
                "Amount (LCY),Sales (LCY)",
                "2025-10-02,INV1,10000,Adatum,,1180.00,1180.00,1000.00",
                "2025-10-09,INV2,20000,Trey,EUR,300.00,1298.00,1100.00",
                "2025-10-15,INV3,30000,Fine Art,USD,400.00,1572.30,1335.00",
            ),
            rows=3,
            revenue=3_435.0,
        ),
        # Headers written as one word were "no column recognised": refused.
        Case(
            "headers_written_as_one_word.csv",
            lambda p: _csv(
                "OrderDate,CustomerName,SalesOrderNumber,SalesAmount,TaxAmt",
                "2025-10-02,Acme,SO1,500.00,85.00",
                "2025-10-03,Bolt,SO2,350.00,59.50",
                "2025-10-04,Acme,SO3,500.00,85.00",
            ),
            rows=3,
            revenue=1_350.0,
        ),
    ]
