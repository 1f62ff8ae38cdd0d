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
        # Sage's day book: credit notes (Type SC) beside invoices (SI), every amount positive:
        # the credit note was added to revenue (2,000 stored for 1,600); 'Net' was not revenue.
        Case(
            "sage_day_book_credit_note_unsigned.csv",
            lambda p: _csv(
                "No,Type,Account,Name,Date,Ref,Details,Net,Tax,Gross",
                "1,SI,ACME001,Acme Ltd,01/10/2025,1001,Goods,1000.00,200.00,1200.00",
                "2,SI,BOLT002,Bolt plc,08/10/2025,1002,Goods,500.00,100.00,600.00",
                "3,SC,ACME001,Acme Ltd,15/10/2025,CN17,Goods,200.00,40.00,240.00",
                "4,SI,ACME001,Acme Ltd,03/11/2025,1003,Goods,300.00,60.00,360.00",
            ),
            rows=4,
            revenue=1_600.0,
            note="credit note",
        ),
        # The same in a Hebrew report: סוג מסמך, a חשבונית מס זיכוי.
        Case(
            "hebrew_credit_invoice_unsigned.csv",
            lambda p: _csv(
                'סוג מסמך,מספר מסמך,תאריך,שם לקוח,"סכום לפני מע""מ","מע""מ","סה""כ"',
                'חשבונית מס,30001,01/10/2025,"אקמה בע""מ",1000.00,180.00,1180.00',
                'חשבונית מס,30002,08/10/2025,"בולט בע""מ",500.00,90.00,590.00',
                'חשבונית מס זיכוי,50001,15/10/2025,"אקמה בע""מ",200.00,36.00,236.00',
            ),
            rows=3,
            revenue=1_300.0,
            names=frozenset({'אקמה בע"מ', 'בולט בע"מ'}),
        ),
        # Credit notes already negative are left as they are.
        Case(
            "credit_notes_already_negative.csv",
            lambda p: _csv(
                "Document Type,Date,Customer,Amount",
                "Invoice,2025-10-01,Acme,1000.00",
                "Credit Memo,2025-10-05,Acme,-200.00",
                "Invoice,2025-10-09,Bolt,500.00",
            ),
            rows=3,
            revenue=1_300.0,
        ),
        # A printed 'sales by invoice' report: the invoice's number, date and client on its first
        # line only. The lines below were skipped as totals (900 stored for 1,000, no word).
        Case(
            "invoice_fields_on_first_line_only.csv",
            lambda p: _csv(
                "Invoice No,Date,Customer,Product,Qty,Amount",
                "1001,06/10/2025,Acme Ltd,Bolts,10,100.00",
                ",,,Nuts,20,50.00",
                ",,,Washers,5,25.00",
                "1002,07/10/2025,Bolt Inc,Bolts,30,300.00",
                ",,,Nuts,10,25.00",
                "1003,03/11/2025,Acme Ltd,Screws,50,500.00",
            ),
            rows=6,
            revenue=1_000.0,
            names=frozenset({"Acme Ltd", "Bolt Inc"}),
            note="first line only",
        ),
        # Sales at a till without a client keep their own receipt number: rejected, not filled.
        Case(
            "till_sales_without_a_client.csv",
            lambda p: _csv(
                "Receipt,Date,Customer,Product,Amount",
                "R1,06/10/2025,Acme Ltd,Bolts,100.00",
                "R2,06/10/2025,,Nuts,50.00",
                "R3,07/10/2025,,Washers,25.00",
            ),
            rows=1,
            rejected=2,
            revenue=100.0,
            reason="client",
        ),
        # Power BI's export of a summary: Year and Month in two columns. 'October' was "not a
        # date" (refused); a month number was read as a day of 1900.
        Case(
            "power_bi_year_and_month_names.csv",
            lambda p: _csv(
                "Year,Month,Customer Name,Sales",
                "2025,October,Acme,1200.5",
                "2025,November,Acme,800",
                "2025,November,Bolt,450",
                "2025,December,Bolt,99.5",
            ),
            rows=4,
            revenue=2_550.0,
            dates=frozenset({"2025-10-01", "2025-11-01", "2025-12-01"}),
        ),
        Case(
            "tableau_year_and_month_numbers.csv",
            lambda p: (
                "\ufeffYear\tMonth\tCustomer Name\tSum of Sales\r\n"
                "2024\t12\tAcme\t1,200.50\r\n2025\t1\tBolt\t99.50\r\n"
            ).encode("utf-16-le"),
            rows=2,
            revenue=1_300.0,
            dates=frozenset({"2024-12-01", "2025-01-01"}),
        ),
        # Odoo's export of invoices with their lines: the invoice's fields on its first line, each
        # line's under 'Invoice lines/...'. The product was read as the order id, the invoice's
        # untaxed amount as the first line's revenue, and the other lines skipped as totals.
        Case(
            "odoo_invoices_with_their_lines.csv",
            lambda p: _csv(
                "Number,Customer,Invoice Date,Untaxed Amount,Total,Invoice lines/Product,"
                "Invoice lines/Quantity,Invoice lines/Subtotal",
                "INV/2025/00101,Azure Interior,2025-10-06,700,805,[FURN_7800] Desk,1,500",
                ",,,,,[FURN_0269] Chair,2,200",
                "INV/2025/00102,Deco Addict,2025-10-20,150,172.5,[FURN_8888] Lamp,3,150",
                "INV/2025/00103,Azure Interior,2025-11-04,600,690,[FURN_0269] Chair,1,100",
                ",,,,,[E-COM11] Cabinet,1,500",
            ),
            rows=5,
            revenue=1_450.0,
            names=frozenset({"Azure Interior", "Deco Addict"}),
        ),
    ]
