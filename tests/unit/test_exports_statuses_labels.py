"""Exports of ERPs and CRMs as users download them: what is no sale (a status in any of several
columns, a yes/no flag, a document kind) is rejected, and their own labels are read."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kam_core.importing import import_file
from kam_core.store import connect


@pytest.fixture
def conn(tmp_path):
    db = connect(tmp_path / "kam.duckdb")
    yield db
    db.close()


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def test_every_status_column_is_read_not_only_the_first(conn):
    # Odoo's invoice list: Payment Status before Status. By hand: 1,000 + 2,010.50 posted.
    data = _csv(
        """
Number,Invoice Date,Customer,Untaxed Amount,Payment Status,Status
INV/1,2024-01-05,Acme,1000.00,Paid,Posted
INV/2,2024-01-06,Beta,2010.50,Not Paid,Posted
INV/3,2024-01-07,Acme,3000.00,Not Paid,Draft
INV/4,2024-01-08,Gamma,2200.00,Not Paid,Cancelled
"""
    )
    counts, parsed, _pre = import_file(conn, data, "odoo.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (2, 2, 3010.5)
    assert set(parsed.rejected["row"]) == {4, 5}


@pytest.mark.parametrize(
    ("label", "values", "kept"),
    [
        ("Cancelled", ["No", "Yes", "No"], 2),  # Business Central
        ("Won?", ["TRUE", "FALSE", "TRUE"], 2),  # a sheet's checkbox
        ("Проведено", ["Да", "Нет", "Да"], 2),  # МойСклад: not posted is a draft
        ("Cancelled", ["No", "No", "No"], 3),
        ("Won?", ["FALSE", "FALSE", "FALSE"], 3),  # nothing marked won: says nothing
        ("Cancelled", ["No", "Maybe", "Yes"], 3),  # not a yes/no column
    ],
)
def test_a_yes_no_column_rejects_what_it_marks_as_no_sale(conn, label, values, kept):
    lines = [f"Date,Customer,Amount,{label}"] + [
        f"2024-01-0{i + 1},Client {i},100,{v}" for i, v in enumerate(values)
    ]
    counts, _parsed, _pre = import_file(conn, _csv("\n".join(lines)), "flags.csv")
    assert counts.rows_imported == kept


def test_a_denied_rejection_is_a_sale(conn):
    # SAP's Rejection Status: Nothing Rejected / Not Rejected are sales, Completely Rejected is
    # not, Partially Rejected stays.
    data = _csv(
        """
Sales Order,Document Date,Customer,Net Value,Rejection Status
1,2024-01-05,Acme,100,Nothing Rejected
2,2024-01-06,Beta,200,Not Rejected
3,2024-01-07,Gamma,400,Completely Rejected
4,2024-01-08,Delta,800,Partially Rejected
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "sap.csv")
    assert counts.revenue == 1100.0


def test_a_deal_stage_column_is_no_revenue_and_only_won_deals_are_sales(conn):
    # SugarCRM: 'Sales Stage' was read as the revenue (the word sales).
    data = _csv(
        """
Opportunity Name,Account Name,Sales Stage,Opportunity Amount,Date Created
A,Acme,Closed Won,40000.50,2024-01-05
B,Beta,Closed Lost,100000,2024-01-06
C,Gamma,Negotiation/Review,80000,2024-01-07
D,Delta,Closed Won,750,2024-01-08
"""
    )
    counts, _parsed, pre = import_file(conn, data, "Opportunities.csv")
    assert pre.layout.mapping_labels()["revenue"] == "Opportunity Amount"
    assert counts.revenue == 40750.5


def test_priority_hebrew_invoice_report(conn):
    # ת. חשבונית is the invoice date; the net after discount is the revenue, not the total with
    # VAT; טיוטא (Priority's spelling of a draft) is no sale. By hand: 1,000 + 2,500.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["חשבונית", "ת. חשבונית", "שם לקוח", "סטטוס", 'סה"כ לפני הנחה',
                  'סה"כ לאחר הנחה', 'מע"מ', 'סה"כ כולל מע"מ'])  # fmt: skip
    sheet.append(["IV1", "05/01/24", "אלפא", "סופית", 1100, 1000, 170, 1170])
    sheet.append(["IV2", "06/01/24", "בטא", "סופית", 2500, 2500, 425, 2925])
    sheet.append(["IV3", "07/01/24", "אלפא", "טיוטא", 900, 900, 153, 1053])
    out = io.BytesIO()
    book.save(out)
    counts, _parsed, pre = import_file(conn, out.getvalue(), "priority.xlsx")
    assert pre.layout.mapping_labels()["order_date"] == "ת. חשבונית"
    assert pre.layout.mapping_labels()["revenue"] == 'סה"כ לאחר הנחה'
    assert (counts.rows_imported, counts.revenue) == (2, 3500.0)


def test_hashavshevet_account_key_and_name_are_the_client(conn):
    data = "מפתח חשבון,שם חשבון,תאריך,סכום\n6001,אלפא,05/01/2024,100\n6002,בטא,06/01/2024,50\n"
    _counts, _parsed, pre = import_file(conn, data.encode(), "hash.csv")
    assert pre.layout.mapping_labels()["client_id"] == "מפתח חשבון"
    assert pre.layout.mapping_labels()["client_name"] == "שם חשבון"


def test_salesforce_converted_amount_is_in_the_companys_currency(conn):
    # Each deal's own currency beside its amount; the converted amount is all USD.
    data = _csv(
        """
Opportunity Name,Account Name,Close Date,Amount Currency,Amount,Amount (converted) Currency,Amount (converted)
A,Acme,2024-01-05,USD,1000,USD,1000
B,Beta,2024-01-06,EUR,1000,USD,1100
C,Gamma,2024-01-07,JPY,100000,USD,700
"""  # noqa: E501
    )
    counts, _parsed, pre = import_file(conn, data, "report.csv")
    assert pre.layout.mapping_labels()["revenue"] == "Amount (converted)"
    assert (counts.rows_imported, counts.revenue) == (3, 2800.0)


def test_a_customers_reference_is_not_its_name(conn):
    data = _csv(
        """
Sales Order,Sold-To Party,Customer Reference,Document Date,Net Value
1,Acme (100),PO-4502,2024-01-05,100
2,Acme (100),PO-77,2024-01-06,50
"""
    )
    counts, _parsed, pre = import_file(conn, data, "fiori.csv")
    assert "client_name" not in pre.layout.mapping
    assert counts.clients == 1


def test_document_kinds_of_sap_and_acumatica(conn):
    data = _csv(
        """
Type,Date,Customer,Amount
Invoice,2024-01-05,Acme,1000
Prepayment,2024-01-06,Acme,2000
Cash Return,2024-01-07,Beta,30.25
Returns (RE),2024-01-08,Beta,100
Standard Order (OR),2024-01-09,Beta,500
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "docs.csv")
    # By hand: 1,000 - 30.25 - 100 + 500; the prepayment is money received.
    assert counts.revenue == pytest.approx(1369.75)


def test_a_payments_sheet_beside_the_invoices_is_left_out(conn):
    book = openpyxl.Workbook()
    invoices = book.active
    invoices.title = "Invoices"
    for row in (["Date", "Customer", "Amount"], ["2024-01-05", "Acme", 100]):
        invoices.append(row)
    payments = book.create_sheet("Payments")
    for row in (["Date", "Customer", "Amount"], ["2024-01-20", "Acme", 117]):
        payments.append(row)
    out = io.BytesIO()
    book.save(out)
    counts, _parsed, pre = import_file(conn, out.getvalue(), "books.xlsx")
    assert counts.revenue == 100.0
    assert pre.layout.aside == ("Payments",)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_quickbooks_report_grouped_by_rep_takes_its_customers_from_name(conn):
    # Sales by Rep Detail: the reps are the group rows, each line's customer is under Name.
    data = _xlsx(
        [
            [None, None, "Sales by Rep Detail"],
            [None, "Type", "Date", "Num", "Memo", "Name", "Qty", "Amount"],
            ["DL"],
            [None, "Invoice", "01/09/2024", "1101", "Cabinets", "Abercrombie, Kristy", 2, 2400],
            [None, "Invoice", "02/13/2024", "1109", "Framing", "Cook, Brian", 40, 2200],
            ["Total DL", None, None, None, None, None, None, 4600],
            ["EK"],
            [None, "Invoice", "03/18/2024", "1120", "Remodel", "Cook, Brian", 1, 2400],
            ["Total EK", None, None, None, None, None, None, 2400],
            ["TOTAL", None, None, None, None, None, None, 7000],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "rep.xlsx")
    names = conn.execute("SELECT client_name, sum(revenue) FROM sales GROUP BY 1 ORDER BY 1")
    assert names.fetchall() == [("Abercrombie, Kristy", 2400.0), ("Cook, Brian", 4600.0)]
    assert counts.revenue == 7000.0


def test_a_tabular_pivot_gives_each_row_its_managers_label(conn):
    # Excel writes the rep once over its block and closes it with 'Dana Total'.
    data = _xlsx(
        [
            ["Sales Rep", "Customer", "Order Date", "Sum of Revenue"],
            ["Eli", "Acme", "2024-01-05", 100],
            [None, None, "2024-02-05", 200],
            [None, "Acme Total", None, 300],
            [None, "Cobalt", "2024-01-09", 50],
            [None, "Cobalt Total", None, 50],
            ["Eli Total", None, None, 350],
            ["Dana", "Bolt", "2024-01-07", 10],
            [None, "Bolt Total", None, 10],
            ["Dana Total", None, None, 10],
            ["Grand Total", None, None, 360],
        ]
    )
    import_file(conn, data, "pivot.xlsx")
    rows = conn.execute("SELECT manager, client_name, sum(revenue) FROM sales GROUP BY ALL")
    assert sorted(rows.fetchall()) == [("Dana", "Bolt", 10.0), ("Eli", "Acme", 300.0),
                                       ("Eli", "Cobalt", 50.0)]  # fmt: skip


def test_a_notion_relation_is_read_without_its_pages_address(conn):
    data = _csv(
        """
Deal,Company,Close date,Amount
A,Acme Corp (https://www.notion.so/Acme-Corp-5f2c9e0c1b7d4a3e),2024-01-15,12000
B,Acme Corp (https://www.notion.so/Acme-Corp-5f2c9e0c1b7d4a3e),2024-02-15,500
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "notion.csv")
    assert counts.clients == 1
    assert conn.execute("SELECT DISTINCT client_name FROM sales").fetchall() == [("Acme Corp",)]


def test_paypal_payments_received_are_sales_and_withdrawals_are_not(conn):
    data = _csv(
        """
Date,Time,Name,Type,Status,Currency,Gross,Fee,Net
01/05/2024,10:00:00,Acme Ltd,Express Checkout Payment Received,Completed,USD,100.00,-3.20,96.80
01/06/2024,11:00:00,Beta Inc,Payment Received,Completed,USD,250.00,-7.55,242.45
01/07/2024,12:00:00,Acme Ltd,Refund,Completed,USD,-100.00,2.90,-97.10
01/08/2024,09:00:00,Bank Account,Withdraw Funds to Bank Account,Completed,USD,-200.00,0.00,-200.00
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "paypal.csv", overrides={"client_name": "Name"})
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (3, 1, 250.0)


def test_a_status_accepted_or_only_requested_is_a_sale(conn):
    data = _csv(
        """
Date,Customer,Status,Amount
2024-01-05,Acme,Quote accepted,100
2024-01-06,Beta,Cancellation requested - declined,200
2024-01-07,Gamma,Cancelled,400
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "states.csv")
    assert counts.revenue == 300.0


def test_a_title_counting_in_lakhs_scales_the_amounts():
    from kam_core.ingest.validate import _title_scale

    assert _title_scale({"Sales by customer (₹ in lakhs)"}) == (100_000, "lakhs")
    assert _title_scale({"Outstanding (Rs. in crores)"}) == (10_000_000, "crores")
    assert _title_scale({"Shipments - quantities in thousands"}) is None
    assert _title_scale({"Sales (USD thousands)"}) == (1_000, "thousands")


def test_quickbooks_jobs_in_a_customer_column_are_their_customers(conn):
    # An invoice list: Acme's jobs beside customers without jobs; 'Dept:Sales' alone is a name.
    data = _csv(
        """
Date,Transaction Type,No.,Customer,Amount
01/05/2024,Invoice,1001,Acme Ltd:Kitchen,100.00
01/20/2024,Invoice,1005,Acme Ltd:Bath,50.00
02/03/2024,Invoice,1010,Beta Inc,20.00
02/04/2024,Invoice,1011,Dept:Sales,5.00
"""
    )
    import_file(conn, data, "invoices.csv")
    names = conn.execute("SELECT client_name, sum(revenue) FROM sales GROUP BY 1 ORDER BY 1")
    assert names.fetchall() == [("Acme Ltd", 150.0), ("Beta Inc", 20.0), ("Dept:Sales", 5.0)]


@pytest.mark.parametrize(
    "label",
    [
        "Net Value in Document Currency",
        "Amount in doc. curr.",
        "Revenue in Group Currency",
        "Amount in Currency",
        "Amount in Company Code Currency",
    ],
)
def test_an_amount_in_a_currency_named_after_it_is_the_revenue(conn, label):
    data = f"Date,Customer,{label}\n2024-01-05,Acme,100\n2024-01-06,Beta,200\n".encode()
    counts, _parsed, pre = import_file(conn, data, "sap.csv")
    assert (pre.layout.mapping_labels()["revenue"], counts.revenue) == (label, 300.0)


def test_ordinary_columns_named_like_flags_or_states_reject_nothing(conn):
    # A payment that failed leaves the invoice owed; 'Draft' is a draft beer, 'Posted' a
    # parcel sent; a refund declined leaves the sale.
    data = _csv(
        """
Date,Customer,Product,Draft,Posted,Payment Status,Status,Amount
2024-01-05,Acme,Lager,Yes,No,Failed,Sent,100
2024-01-06,Beta,Stout,No,Yes,Declined,Overdue,200
2024-01-07,Gamma,Ale,Yes,No,Paid,Refund declined,300
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "brewery.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 600.0)


def test_a_customer_ref_of_codes_is_the_client(conn):
    data = b"Customer Ref,Date,Amount\nACM01,2024-01-05,100\nBET01,2024-01-06,200\n"
    counts, _parsed, _pre = import_file(conn, data, "sage.csv")
    assert counts.clients == 2


def test_the_total_after_discount_beats_the_total(conn):
    data = b"Date,Customer,Total,Total after discount\n2024-01-05,Acme,100,90\n"
    counts, _parsed, _pre = import_file(conn, data, "disc.csv")
    assert counts.revenue == 90.0


def test_names_with_a_short_prefix_and_a_colon_stay_whole(conn):
    data = _csv(
        """
Customer,Date,Amount
Acme,2026-01-05,100
Re:Store Ltd,2026-01-07,300
Re:Cycle Ltd,2026-01-08,400
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "colons.csv")
    assert counts.clients == 3


def test_a_title_above_blank_rows_above_the_table(conn):
    data = b"Sales report\n" + b"\n" * 120 + b"Date,Customer,Amount\n2024-01-05,Acme,100\n"
    counts, _parsed, _pre = import_file(conn, data, "low.csv")
    assert counts.rows_imported == 1
