"""Files of a thirteenth round: amounts under number formats whose padding made another
number, amount cells of thousands of characters, names just under the old length bound."""

from __future__ import annotations

import io

import openpyxl

from tests.hostile.case import Case


def _amounts_formatted(code: str) -> bytes:
    """Three sales of 5 whose amount cells show the number format code."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Order Date", "Customer", "Revenue"])
    for i in range(1, 4):
        sheet.append(["2024-01-05", f"C{i}", 5])
        sheet.cell(row=i + 1, column=3).number_format = code
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _long_amounts(cells: int = 2_000, chars: int = 9_000) -> bytes:
    """A sale, then amount cells of chars characters each (figures run together)."""
    lines = ["Order Date,Customer,Revenue", "2024-01-05,Acme,100"]
    lines += [f"2024-01-06,Beta,{('1.000' * chars)[:chars]}" for _ in range(cells)]
    return ("\n".join(lines) + "\n").encode()


def _lines(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _documents(label: str, invoice: str, credit: str) -> bytes:
    """Three invoices and a credit note of 300 written positive, kinds in column label."""
    rows = [
        f"Date,Customer,{label},Amount",
        f"2024-01-05,Acme Ltd,{invoice},1000.00",
        f"2024-01-10,Bolt Inc,{invoice},2000.00",
        f"2024-02-05,Acme Ltd,{credit},300.00",
        f"2024-03-05,Bolt Inc,{invoice},500.00",
    ]
    return ("\n".join(rows) + "\n").encode()


def _closing_line(label: str) -> bytes:
    """Three sales and a dated closing line labelled label holding their sum."""
    rows = ["Customer,Date,Amount", "Acme Ltd,2024-01-05,100", "Bolt Inc,2024-02-05,200"]
    rows += ["Acme Ltd,2024-03-05,300", f'"{label}",2024-03-05,600']
    return ("\n".join(rows) + "\n").encode()


def thirteenth_cases() -> list[Case]:
    """The thirteenth round's cases."""
    return [
        # A status column said what became of each row: deals lost or still hoped for,
        # invoices voided, drafts, cancelled orders were all stored as sales (105,000 for
        # 20,000 in a CRM's deals; 9,500 for 3,000 in an accounting export).
        Case(
            "crm_deals_by_stage.csv",
            lambda p: _lines(
                "Record ID,Deal Name,Deal Stage,Close Date,Amount,Associated Company",
                "101,Acme renewal,Closed Won,2024-03-15 10:00,12000,Acme Ltd",
                "102,Acme upsell,Closed Lost,2024-04-20 10:00,50000,Acme Ltd",
                "103,Bolt new,Closed Won,2024-05-02 10:00,8000,Bolt Inc",
                "104,Bolt expansion,Contract Sent,2024-06-30 10:00,30000,Bolt Inc",
                "105,Cobalt pilot,Appointment Scheduled,2024-07-30 10:00,5000,Cobalt",
            ),
            rows=2,
            rejected=3,
            revenue=20_000.0,
            reason="a deal not won is no sale",
        ),
        Case(
            "invoices_voided_and_drafts.csv",
            lambda p: _lines(
                "ContactName,InvoiceNumber,InvoiceDate,SubTotal,Status",
                "Acme Ltd,INV-001,2024-01-05,1000.00,PAID",
                "Acme Ltd,INV-002,2024-01-20,5000.00,VOIDED",
                "Bolt Inc,INV-003,2024-02-05,2000.00,AUTHORISED",
                "Bolt Inc,INV-004,2024-03-01,1000.00,DRAFT",
                "Acme Ltd,INV-005,2024-03-05,500.00,DELETED",
            ),
            rows=2,
            rejected=3,
            revenue=3_000.0,
            reason="its status says it is no sale",
        ),
        Case(
            "hebrew_invoices_cancelled.csv",
            lambda p: _lines(
                "תאריך,לקוח,מס' חשבונית,סכום,סטטוס",
                "05/01/2024,אלקטרה,1001,1000,סופי",
                "12/01/2024,שטראוס,1002,2000,מבוטל",
                "15/02/2024,אלקטרה,1003,500,סופי",
                "20/02/2024,שטראוס,1004,700,טיוטה",
            ),
            rows=2,
            rejected=2,
            revenue=1_500.0,
        ),
        # A status of paid or partly refunded orders keeps them.
        Case(
            "orders_paid_and_partly_refunded.csv",
            lambda p: _lines(
                "Order Date,Customer,Status,Total",
                "2024-01-05,Acme Ltd,Paid,100",
                "2024-01-06,Bolt Inc,Partially refunded,80",
            ),
            rows=2,
            revenue=180.0,
        ),
        # A subtotal dated and named after its client, its label in the product's column:
        # stored as a sale of the client (1,650 for 825).
        Case(
            "subtotal_labelled_in_product_column.csv",
            lambda p: _lines(
                "Date,Customer,Product,Amount",
                "2024-01-05,Acme Ltd,Widget,100.00",
                "2024-01-20,Acme Ltd,Gadget,250.00",
                "2024-01-20,Acme Ltd,Total,350.00",
                "2024-02-03,Bolt Inc,Widget,400.00",
                "2024-02-28,Bolt Inc,Gizmo,75.00",
                "2024-02-28,Bolt Inc,Total,475.00",
            ),
            rows=4,
            revenue=825.0,
            note="skipped as totals",
        ),
        # A client's code left out on some of its rows: two clients of one in the same file
        # (Acme's 300 split as C1 100 and 'acme ltd' 200).
        Case(
            "code_missing_on_some_rows.csv",
            lambda p: _lines(
                "Date,Customer ID,Customer Name,Amount",
                "2024-01-05,C1,Acme Ltd,100",
                "2024-01-06,,Acme Ltd,200",
                "2024-01-07,C2,Bolt Inc,300",
            ),
            rows=3,
            revenue=600.0,
            ids=frozenset({"C1", "C2"}),
        ),
        # A report whose title gives the amounts' unit over a plain 'Amount': stored a thousand
        # times too small. A title that names a number only ('Top 1000 clients') scales nothing.
        Case(
            "title_in_thousands.csv",
            lambda p: _lines(
                "Sales by client (USD thousands)",
                "",
                "Date,Customer,Amount",
                "2024-01-05,Acme Ltd,1.5",
                "2024-01-06,Bolt Inc,2",
            ),
            rows=2,
            revenue=3_500.0,
            note="the title above the header says the amounts are in thousands",
        ),
        Case(
            "title_naming_a_number.csv",
            lambda p: _lines(
                "Top 1000 clients, 2024",
                "",
                "Date,Customer,Amount",
                "2024-01-05,Acme Ltd,1.5",
                "2024-01-06,Bolt Inc,2",
            ),
            rows=2,
            revenue=3.5,
        ),
        # Credit notes written positive under kinds not known before: added as sales (3,800
        # stored for 3,200).
        *(
            Case(
                f"credit_note_{name}.csv",
                lambda p, kinds=kinds: _documents(*kinds),
                rows=4,
                revenue=3_200.0,
                note="credit note",
            )
            for name, kinds in (
                ("dynamics_gp_return", ("SOP Type", "Invoice", "Return")),
                ("odoo_out_refund", ("move_type", "out_invoice", "out_refund")),
                ("nav_cr_memo", ("Document Type", "Invoice", "Cr. Memo")),
                ("netsuite_cash_refund", ("Type", "Invoice", "Cash Refund")),
                ("credit_beside_invoice", ("Doc Type", "Invoice", "Credit")),
            )
        ),
        # QuickBooks' Sales Receipt is a sale paid at once: it was rejected as a payment.
        Case(
            "quickbooks_sales_receipt.csv",
            lambda p: _documents("Transaction Type", "Invoice", "Sales Receipt"),
            rows=4,
            revenue=3_800.0,
        ),
        # A dated grand total under a label not known before was stored as a client.
        *(
            Case(
                f"closing_line_{i}.csv",
                lambda p, label=label: _closing_line(label),
                rows=3,
                revenue=600.0,
                names=frozenset({"Acme Ltd", "Bolt Inc"}),
            )
            for i, label in enumerate(
                ("Count: 3", "Sum= 600", "All customers", "Summary", "3 records", "All")
            )
        ),
        # The format 0000"-" shows 5 as 0005-: padded like a code, the amounts were stored as
        # -5 each (-15 for 15); 00"0" made them 50, 00" 000" 5,000.
        *(
            Case(
                f"amount_format_{name}.xlsx",
                lambda p, code=code: _amounts_formatted(code),
                rows=3,
                revenue=15.0,
            )
            for name, code in (
                ("trailing_minus", '0000"-"'),
                ("zero_suffix", '00"0"'),
                ("thousands_suffix", '00" 000"'),
            )
        ),
        # 2,000 amounts of 9,000 characters: the parsers took a minute and gigabytes over them;
        # no amount is that long, so each is rejected as not an amount.
        Case(
            "amounts_of_9000_characters.csv",
            lambda p: _long_amounts(),
            rows=1,
            rejected=2_000,
            reason="revenue is not an amount",
            revenue=100.0,
        ),
        # A name of 999 characters (500,000 such took the server 3 GB, a report 7 GB).
        Case(
            "name_of_999_characters.csv",
            lambda p: (
                f"Order Date,Customer,Revenue\n2024-01-05,Acme,100\n2024-01-06,{'N' * 999},5\n"
            ).encode(),
            rows=1,
            rejected=1,
            reason="longer than 255 characters",
        ),
    ]
