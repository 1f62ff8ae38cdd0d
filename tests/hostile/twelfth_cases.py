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
        # The rules above must not misfire. A 'Type' of payment terms or of payment: no credit
        # note ('Credit Sale' was negated: -5,500 stored for 8,500).
        Case(
            "type_is_payment_terms_not_a_document.csv",
            lambda p: _csv(
                "Date,Customer,Type,Amount",
                "2025-10-01,Acme,Cash Sale,1000",
                "2025-10-02,Bolt,Credit Sale,5500",
                "2025-10-03,Acme,Credit Card,2000",
            ),
            rows=3,
            revenue=8_500.0,
        ),
        # A ticket's type (INC, SR service request, CR change request): no credit note.
        Case(
            "type_is_a_ticket_type.csv",
            lambda p: _csv(
                "Date,Customer,Type,Amount",
                "2025-10-01,Acme,INC,400",
                "2025-10-02,Acme,SR,250",
                "2025-10-03,Bolt,CR,1500",
            ),
            rows=3,
            revenue=2_150.0,
        ),
        # A credit note of two lines, its type on the first line only: both lines taken off.
        Case(
            "credit_note_of_two_lines.csv",
            lambda p: _csv(
                "מספר מסמך,סוג מסמך,תאריך,לקוח,מוצר,סכום",
                "1001,חשבונית מס,01/10/2025,אקמה,ברגים,1000",
                ",,,,אומים,500",
                "5001,חשבונית מס זיכוי,05/10/2025,אקמה,ברגים,300",
                ",,,,אומים,200",
                "1002,חשבונית מס,09/10/2025,בולט,ברגים,800",
            ),
            rows=5,
            revenue=1_800.0,  # 1,000 + 500 - 300 - 200 + 800
        ),
        # A printed report's subtotal line, its label where the product goes: not a line (950
        # stored for 475).
        Case(
            "invoice_subtotal_in_the_product_column.csv",
            lambda p: _csv(
                "Invoice No,Date,Customer,Product,Qty,Amount",
                "1001,06/10/2025,Acme,Bolts,10,100.00",
                ",,,Nuts,20,50.00",
                ",,,Invoice 1001 subtotal,,150.00",
                "1002,07/10/2025,Bolt,Bolts,30,300.00",
                ",,,Nuts,10,25.00",
                ",,,Subtotal,,325.00",
            ),
            rows=4,
            revenue=475.0,
        ),
        # Sales at a till without a client or a receipt number, each on its own day: not the
        # sale above it's (rejected).
        Case(
            "walk_in_sales_on_their_own_days.csv",
            lambda p: _csv(
                "Invoice,Date,Customer,Product,Amount",
                "1001,03/10/2025,Acme,Bolts,900",
                ",07/10/2025,,Nuts,27",
                ",08/10/2025,,Washers,100",
                "1002,09/10/2025,Bolt,Bolts,2400",
            ),
            rows=2,
            rejected=2,
            revenue=3_300.0,
            reason="client",
        ),
        # A weighbridge's Net is kilograms beside its Amount (39,000 stored for 685).
        Case(
            "weighbridge_net_weight_beside_amount.csv",
            lambda p: _csv(
                "Ticket,Date,Customer,Product,Gross,Tare,Net,Price,Amount",
                "T1,2025-10-01,Acme Build,Gravel,35000,15000,20000,0.02,400",
                "T2,2025-10-02,Bolt Roads,Sand,31000,12000,19000,0.015,285",
            ),
            rows=2,
            revenue=685.0,
        ),
        # A CRM's deals: Organization is the client, Contact Name the person there.
        Case(
            "crm_organization_beside_contact_name.csv",
            lambda p: _csv(
                "Deal Title,Organization,Contact Name,Value,Won Date",
                "Deal 1,Acme,John Smith,12000,2025-10-01",
                "Deal 2,Bolt,Mary Jones,5000,2025-10-15",
                "Deal 3,Acme,John Smith,3000,2025-11-02",
            ),
            rows=3,
            revenue=20_000.0,
            names=frozenset({"Acme", "Bolt"}),
        ),
        # 'Total Items' is a count beside 'Order Total' (4 stored for 288.90).
        Case(
            "shop_total_items_beside_order_total.csv",
            lambda p: _csv(
                "Order ID,Order Date,Customer Name,Total Items,Order Total",
                "5001,2025-10-01,Acme,3,199.90",
                "5002,2025-10-02,Bolt,1,89.00",
            ),
            rows=2,
            revenue=288.9,
        ),
        # A currency column that names the company's own currency on some rows, none on others.
        Case(
            "currency_column_shekels_or_empty.csv",
            lambda p: _csv(
                "תאריך,לקוח,מטבע,סכום",
                '01/10/2025,אקמה,ש"ח,1000',
                "02/10/2025,בולט,,2500",
                '03/10/2025,גמא,ש"ח,7000',
            ),
            rows=3,
            revenue=10_500.0,
        ),
        # A Month column holding dates of its own beside a Year: read as it is.
        Case(
            "month_with_its_year_beside_a_year.csv",
            lambda p: _csv(
                "Year,Month,Customer,Sales",
                "2025,Oct-25,Acme,1000",
                "2025,Nov-25,Bolt,1450",
            ),
            rows=2,
            revenue=2_450.0,
            dates=frozenset({"2025-10-01", "2025-11-01"}),
        ),
        # A report's footer under its total: a note and who prepared it were "order date is
        # missing", rejected rows.
        Case(
            "report_footer_notes_under_the_total.csv",
            lambda p: _csv(
                "Sales report",
                "",
                "Date,Customer,Amount",
                "2026-01-05,Acme,100",
                "2026-01-06,Beta,50",
                "Total,,150",
                "",
                "Notes: figures exclude VAT,,",
                "Prepared by Dana,,",
            ),
            rows=2,
            revenue=150.0,
        ),
        # A second pass. A line of an invoice whose amount is the sum of the lines above it, with
        # its own quantity, is a line (200 of 900 was skipped as a subtotal).
        Case(
            "invoice_line_equal_to_the_lines_above.csv",
            lambda p: _csv(
                "Invoice No,Date,Customer,Product,Qty,Amount",
                "1001,06/10/2025,Acme,Widget A,1,100",
                ",,,Widget B,1,100",
                ",,,Widget C,2,200",
                "1002,07/10/2025,Beta,Widget A,5,500",
            ),
            rows=4,
            revenue=900.0,
        ),
        # A credit note cancelled adds back; a payment is no sale; a file of credit notes alone is
        # negative (600, 1,800 and +750 were stored).
        Case(
            "credit_note_cancelled_and_a_payment.csv",
            lambda p: _csv(
                "Date,Customer,Document Type,Amount",
                "2025-10-01,Acme,Invoice,1000",
                "2025-10-02,Acme,Credit Note,200",
                "2025-10-03,Acme,Credit Note Reversal,200",
                "2025-10-04,Acme,Payment,1000",
            ),
            rows=3,
            rejected=1,
            revenue=1_000.0,
            reason="payment",
        ),
        Case(
            "credit_notes_alone.csv",
            lambda p: _csv(
                "סוג מסמך,תאריך,לקוח,סכום",
                "חשבונית מס זיכוי,01/10/2025,אקמה,500",
                "חשבונית מס זיכוי,02/10/2025,בולט,250",
            ),
            rows=2,
            revenue=-750.0,
        ),
        # 'Revenue' beside 'Revenue excl. VAT': the one without VAT (4,095 stored for 3,500).
        Case(
            "revenue_beside_revenue_excl_vat.csv",
            lambda p: _csv(
                "Date,Customer,Revenue,Revenue excl. VAT",
                "2025-10-01,Acme,1170,1000",
                "2025-10-02,Beta,2925,2500",
            ),
            rows=2,
            revenue=3_500.0,
        ),
        # Pipedrive: the weighted value before the value (10,000 stored for 15,000).
        Case(
            "pipedrive_weighted_value_first.csv",
            lambda p: _csv(
                "Deal - Title,Organization - Name,Deal - Weighted value,Deal - Value,"
                "Deal - Won time",
                "D1,Acme,5000,10000,2025-10-01",
                "D2,Beta,2500,5000,2025-10-02",
            ),
            rows=2,
            revenue=15_000.0,
        ),
        # Currency codes beyond the signs known: CHF beside EUR were added up (1,500 for 600).
        Case(
            "currency_codes_eur_and_chf.csv",
            lambda p: _csv(
                "Date,Customer,Currency,Amount",
                "2025-10-01,A,EUR,100",
                "2025-10-02,B,EUR,200",
                "2025-10-03,C,EUR,300",
                "2025-10-04,D,CHF,400",
                "2025-10-05,E,CHF,500",
            ),
            rows=3,
            rejected=2,
            revenue=600.0,
            reason="CHF",
        ),
        # A pivot copied as values: Year and Month once per block, year totals, a grand total
        # (refused: the months were read as days).
        Case(
            "pivot_year_and_month_once_per_block.csv",
            lambda p: _csv(
                "Year,Month,Customer,Sum of Revenue",
                "2023,11,Acme,100",
                ",,Beta,200",
                ",12,Acme,300",
                "2023 Total,,,600",
                "2024,1,Acme,400",
                ",,Beta,500",
                "2024 Total,,,900",
                "Grand Total,,,1500",
            ),
            rows=5,
            revenue=1_500.0,
            dates=frozenset({"2023-11-01", "2023-12-01", "2024-01-01"}),
        ),
    ]
