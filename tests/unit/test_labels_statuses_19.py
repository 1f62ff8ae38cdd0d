"""Status columns told by their labels and values, labels that are no order number, status words
that mean no sale, and the labels of more real exports."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest.header import auto_map
from kam_core.store import connect


@pytest.fixture
def conn(tmp_path):
    db = connect(tmp_path / "kam.duckdb")
    yield db
    db.close()


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def _rejected_values(parsed, column: str) -> list[str]:
    return parsed.rejected[parsed.rejected["column"].str.contains(column, regex=False)][
        "value"
    ].tolist()


@pytest.mark.parametrize(
    ("label", "no_sale"),
    [
        ("Order State", "Cancelled"),
        ("Invoice State", "Draft"),
        ("Status (Invoice)", "Void"),
        ("מצב הזמנה", "בוטל"),
        ("Order Status", "Cancelled"),
        ("Payment State", "Refunded"),
        ("Order Payment State", "Refunded"),
        ("Status Code", "CANCELLED"),
        ("Posting Status", "Unposted"),
        ("Approval Status", "Rejected"),
    ],
)
def test_a_status_column_is_read_whatever_its_label(conn, label, no_sale):
    # Each label was taken as the order number or the region, or ignored: the row that is no
    # sale was stored. By hand: 100 + 200.
    data = _csv(
        f"""
Date,Customer,Amount,{label}
2024-01-15,Acme,100,Paid
2024-02-15,Beta,200,Paid
2024-03-15,Acme,999,{no_sale}
"""
    )
    counts, parsed, pre = import_file(conn, data, "orders.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (2, 1, 300.0)
    assert "order_id" not in pre.layout.mapping and "region" not in pre.layout.mapping
    assert _rejected_values(parsed, label) == [no_sale]


def test_a_payment_state_failed_leaves_the_sale(conn):
    # A payment's state: only a void, a refund or a cancellation undoes the sale.
    data = _csv(
        """
Order ID,Order Date,Customer Name,Order Total,Order Payment State
A1,2024-01-15,Pat,12.50,Paid
A2,2024-01-16,Sam,20.00,Failed
A3,2024-01-17,Pat,7.50,Open
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "clover.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 40.0)


def test_sage_intacct_state_is_the_invoice_state_not_a_region(conn):
    # Sage Intacct's invoices: State Draft is no sale. By hand: 1,000 + 2,500 + 1,200.
    data = _csv(
        """
Customer ID,Customer name,Invoice number,Date,Total amount,State
C-100,Acme Corp,INV-001,01/15/2024,"1,000.00",Paid
C-200,Beta LLC,INV-002,02/20/2024,"2,500.00",Posted
C-100,Acme Corp,INV-003,03/05/2024,750.00,Draft
C-300,Gamma Inc,INV-004,03/28/2024,"1,200.00",Partially paid
"""
    )
    counts, parsed, _pre = import_file(conn, data, "intacct.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (3, 1, 4700.0)
    assert _rejected_values(parsed, "State") == ["Draft"]


def test_a_state_of_us_states_stays_the_region(conn):
    data = _csv(
        """
Date,Customer,Amount,State
2024-01-15,Acme,100,CA
2024-02-15,Beta,200,NY
2024-03-15,Gamma,400,TX
"""
    )
    counts, _parsed, pre = import_file(conn, data, "us.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 700.0)
    assert pre.layout.mapping_labels()["region"] == "State"
    regions = conn.execute("SELECT DISTINCT region FROM sales ORDER BY 1").fetchall()
    assert regions == [("CA",), ("NY",), ("TX",)]


@pytest.mark.parametrize(
    "label",
    ["Order Source", "Order Type", "Order Channel", "Invoice Currency", "Invoice Status Code",
     "Sales Order Type", "Order Notes", "סוג הזמנה", "מקור הזמנה"],
)  # fmt: skip
def test_an_order_attribute_is_no_order_number(conn, label):
    data = _csv(f"Date,Customer,Amount,{label}\n2024-01-15,Acme,100,X\n2024-02-15,Beta,200,X")
    counts, _parsed, pre = import_file(conn, data, "orders.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 300.0)
    assert "order_id" not in pre.layout.mapping


@pytest.mark.parametrize(
    ("label", "field"),
    [("Order No", "order_id"), ("Order #", "order_id"), ("Order Ref", "order_id"),
     ("Invoice", "order_id"), ("Sales Order", "order_id"), ("Sales Channel", "segment")],
)  # fmt: skip
def test_an_order_number_keeps_its_label(conn, label, field):
    data = _csv(f"Date,Customer,Amount,{label}\n2024-01-15,Acme,100,A1\n2024-02-15,Beta,200,A2")
    _counts, _parsed, pre = import_file(conn, data, "orders.csv")
    assert pre.layout.mapping_labels()[field] == label


def test_another_branchs_sales_are_not_duplicates_of_an_order_called_paid(conn):
    # Two branches' files with Order State = Paid on every row: matched on order 'Paid', date and
    # amount, the second branch's sales on the same days were skipped. By hand: 350 + 650.
    first = _csv(
        """
Date,Customer,Amount,Order State
2024-01-15,Acme,100,Paid
2024-01-16,Gamma,250,Paid
"""
    )
    second = _csv(
        """
Date,Customer,Amount,Order State,Branch
2024-01-15,Beta,100,Paid,South
2024-01-16,Delta,250,Paid,South
2024-01-17,Delta,300,Paid,South
"""
    )
    import_file(conn, first, "branch1.csv")
    counts, _parsed, _pre = import_file(conn, second, "branch2.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 650.0)
    assert conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0] == 1000.0


@pytest.mark.parametrize(
    "status",
    ["Reversed", "Storno", "Annulled", "Сторно", "Сторнирован", "Credited", "Chargeback",
     "Proforma", "Pro forma", "Expired", "Rückerstattet", "Storniert", "זוכתה", "זוכה"],
)  # fmt: skip
def test_a_status_reversed_credited_or_charged_back_is_no_sale(conn, status):
    data = _csv(
        f"""
Date,Customer,Amount,Status
2024-01-15,Acme,100,Paid
2024-02-15,Beta,200,Completed
2024-03-15,Acme,999,{status}
"""
    )
    counts, parsed, _pre = import_file(conn, data, "invoices.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (2, 1, 300.0)
    assert _rejected_values(parsed, "Status") == [status]


@pytest.mark.parametrize(
    "status",
    # A return stays a sale (as Returned always has); an order unpaid is still sold; a
    # chargeback won, a credit in part leave the sale.
    ["Returned", "Возврат", "הוחזר", "Pending payment", "Chargeback won",
     "Partially credited", "Written off"],
)  # fmt: skip
def test_a_status_that_leaves_the_sale(conn, status):
    data = _csv(
        f"""
Date,Customer,Amount,Status
2024-01-15,Acme,100,Paid
2024-02-15,Beta,200,Cancelled
2024-03-15,Acme,400,{status}
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "invoices.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 500.0)


def test_a_winner_among_a_tenders_states_stays_a_sale(conn):
    # Hebrew's זוכה is also a winner: beside לא זכה (not won) and הוגש (submitted) it is the
    # tender won, a sale: its 400 stays stored.
    data = _csv(
        """
Date,Customer,Amount,Status
2024-01-15,Acme,100,שולם
2024-02-15,Beta,200,לא זכה
2024-03-15,Acme,400,זוכה
2024-03-20,Gamma,700,הוגש
"""
    )
    import_file(conn, data, "tenders.csv")
    assert conn.execute("SELECT count(*) FROM sales WHERE revenue = 400").fetchone()[0] == 1


def test_a_payment_charged_back_is_no_sale(conn):
    data = _csv(
        """
Date,Customer,Amount,Payment Status
2024-01-15,Acme,100,Paid
2024-02-15,Beta,200,Failed
2024-03-15,Acme,400,Chargeback
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "payments.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 300.0)


def test_a_ledgers_refund_beside_its_credit_note_is_money_paid_back(conn):
    # Sage 200's sales ledger: the credit note takes 50 off; the refund pays it back to the
    # customer (money out, as the receipt is money in). By hand: 1,000 - 20 + 500 - 50.
    data = _csv(
        """
Customer,Type,Date,Ref,Net Value,Tax Value,Gross Value
ABS Garages,Invoice,02/01/2024,1001,1000.00,200.00,1200.00
ABS Garages,Receipt,20/01/2024,BACS,-1200.00,0.00,-1200.00
ABS Garages,Discount,20/01/2024,BACS,-20.00,0.00,-20.00
Bronson Ltd,Invoice,05/02/2024,1002,500.00,100.00,600.00
Bronson Ltd,Credit Note,06/02/2024,1003,-50.00,-10.00,-60.00
Bronson Ltd,Refund,07/02/2024,,60.00,0.00,60.00
"""
    )
    counts, parsed, _pre = import_file(conn, data, "sage200.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (4, 2, 1430.0)
    assert sorted(parsed.rejected["value"]) == ["Receipt", "Refund"]


def test_a_refund_beside_invoices_alone_is_still_a_credit(conn):
    # Without receipts and credit notes beside it, a Refund is the credit: taken off. By hand:
    # 1,000 + 500 - 60.
    data = _csv(
        """
Customer,Type,Date,Amount
ABS Garages,Invoice,02/01/2024,1000.00
Bronson Ltd,Invoice,05/02/2024,500.00
Bronson Ltd,Refund,07/02/2024,60.00
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "ledger.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 1440.0)


def test_sap_business_one_document_total_is_the_revenue(conn):
    # By hand: 11,700 + 3,510 + 585.
    data = _csv(
        """
Doc. No.,Posting Date,Customer/Vendor Code,Customer/Vendor Name,Document Total,Doc. Currency
1,15.01.2024,C20000,Maxi-Teq,"ILS 11,700.00",ILS
2,07.02.2024,C30000,Microchips,"ILS 3,510.00",ILS
3,12.03.2024,C20000,Maxi-Teq,"ILS 585.00",ILS
"""
    )
    counts, _parsed, pre = import_file(conn, data, "sapb1.csv")
    assert pre.layout.mapping_labels()["revenue"] == "Document Total"
    assert (counts.rows_imported, counts.clients, counts.revenue) == (3, 2, 15795.0)


def test_sage_200_account_code_and_name_are_the_client(conn):
    data = _csv(
        """
A/C,Name,Type,Date,Net Value
ABS001,ABS Garages,Invoice,02/01/2024,1000.00
BRO002,Bronson Ltd,Invoice,05/02/2024,500.00
"""
    )
    counts, _parsed, pre = import_file(conn, data, "sage200.csv")
    labels = pre.layout.mapping_labels()
    assert (labels["client_id"], labels["client_name"]) == ("A/C", "Name")
    assert (counts.clients, counts.revenue) == (2, 1500.0)


def test_moysklad_time_is_the_order_date_unless_a_date_is_named(conn):
    data = "Время;Номер;Контрагент;Сумма\n15.01.2024 10:00;00001;Ромашка;100\n"
    data += "20.02.2024 11:00;00002;Лютик;200\n"
    counts, _parsed, pre = import_file(conn, data.encode(), "moysklad.csv")
    assert pre.layout.mapping_labels()["order_date"] == "Время"
    assert counts.revenue == 300.0
    assert auto_map(["Дата", "Время", "Клиент", "Сумма"])["order_date"] == 0


@pytest.mark.parametrize(
    ("header", "date"), [("Timestamp,Client,Deal amount", "Timestamp"),
                         ("Timestamp,Date,Client,Deal amount", "Date")]
)  # fmt: skip
def test_a_forms_timestamp_dates_the_sale_where_no_date_is_named(conn, header, date):
    stamp = "1/15/2024 10:00:00," + ("1/20/2024," if "Date," in header else "")
    data = _csv(f"{header}\n{stamp}Acme,100\n{stamp}Beta,200")
    counts, _parsed, pre = import_file(conn, data, "form.csv")
    assert pre.layout.mapping_labels()["order_date"] == date
    assert counts.revenue == 300.0
