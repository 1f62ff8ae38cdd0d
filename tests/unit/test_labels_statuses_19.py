"""Status columns told by their labels and values, labels that are no order number, status words
that mean no sale, and the labels of more real exports."""

from __future__ import annotations

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
