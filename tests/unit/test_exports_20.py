"""Amounts marked CR or DR, Magento's Closed orders, SugarCRM's expected close, a client's
status on its invoices and NetSuite's Name: shapes of real exports, read as they mean."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kam_core.importing import import_file
from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.header import auto_map
from kam_core.ingest.parse import numbers


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def _stored(conn) -> list[tuple[str, str, float]]:
    rows = conn.execute(
        "SELECT client_name, CAST(order_date AS VARCHAR), revenue FROM sales ORDER BY source_row"
    ).fetchall()
    return [(name, day, revenue) for name, day, revenue in rows]


def test_amounts_marked_cr_or_dr_read_with_their_side():
    cells = ["1,200.50 DR", "200.00 CR", "500.00CR", "-300.00", "12 cr", "7 Dr.", "-5 CR", None]
    got = numbers(pa.array(cells, pa.string()))
    # A credit below zero, a debit above; a minus beside a mark says the side twice: not read.
    want = [1200.5, -200.0, -500.0, -300.0, -12.0, 7.0, np.nan, np.nan]
    np.testing.assert_array_equal(got, want)


def test_amounts_marked_cr_with_a_decimal_comma():
    got = numbers(pa.array(["1.200,50 Cr", "3,5 DR"], pa.string()), comma_default=True)
    np.testing.assert_array_equal(got, [-1200.5, 3.5])


def test_an_invoice_listing_with_cr_and_dr_stores_credits_negative(conn):
    # Each row was rejected as "not an amount". By hand: 1,200.50 - 200 - 500 + 300 = 800.50;
    # the client named '... CR' keeps its name.
    data = _csv(
        """
Customer,Invoice No,Date,Amount
Acme Corp,INV-1,2024-01-15,"1,200.50 DR"
Beta LLC,INV-2,2024-02-10,200.00 CR
Acme Corp,INV-3,2024-03-01,500.00CR
Gamma CR,INV-4,2024-03-05,300.00
"""
    )
    counts, parsed, _pre = import_file(conn, data, "ledger.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    assert counts.revenue == pytest.approx(800.5)
    assert [row[2] for row in _stored(conn)] == [1200.5, -200.0, -500.0, 300.0]
    assert {row[0] for row in _stored(conn)} == {"Acme Corp", "Beta LLC", "Gamma CR"}
    assert any("CR or DR" in note for note in parsed.notes)


def test_magento_orders_closed_are_refunded_no_sale(conn):
    # Magento's Closed is an order refunded in full: it was stored as a sale (350 for 150).
    # By hand: Complete 100 + Processing 50; Closed 200 and Canceled 70 rejected.
    data = _csv(
        """
ID,Purchase Date,Bill-to Name,Grand Total (Base),Grand Total (Purchased),Status
000000001,"Jan 15, 2024 10:00:00 AM",Pat Doe,100.00,100.00,Complete
000000002,"Jan 16, 2024 11:00:00 AM",Sam Poe,200.00,200.00,Closed
000000003,"Feb 2, 2024 09:00:00 AM",Pat Doe,50.00,50.00,Processing
000000004,"Feb 3, 2024 09:00:00 AM",Kim Loe,70.00,70.00,Canceled
"""
    )
    counts, parsed, _pre = import_file(conn, data, "magento_orders.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (2, 2, 150.0)
    assert sorted(parsed.rejected["value"]) == ["Canceled", "Closed"]


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        # An invoice list: Closed is paid.
        ("Customer,Invoice No,Date,Amount,Status", ["Acme,I-1,2024-01-15,100,Closed"]),
        # A shop's orders without Magento's labels.
        ("Order Date,Customer,Grand Total,Status", ["2024-01-15,Acme,100,Closed"]),
        # A CRM's deals: Closed is won.
        ("Account Name,Close Date,Amount,Stage", ["Acme,2024-01-15,100,Closed"]),
    ],
)
def test_closed_elsewhere_stays_a_sale(conn, header, rows):
    # By hand: 100 (Closed) + 200 (Open or Complete), both stored.
    other = rows[0].replace("Closed", "Open").replace("100", "200")
    data = _csv("\n".join([header, *rows, other]))
    counts, _parsed, _pre = import_file(conn, data, "closed.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (2, 0, 300.0)


def test_sugarcrm_deals_are_dated_by_their_expected_close(conn):
    # SugarCRM writes a deal's close under Expected Close Date only: the deals won were dated
    # by their creation (2024-01-02, 2024-02-01). By hand: 1,000 + 700, the lost deal rejected.
    data = _csv(
        """
Opportunity Name,Account Name,Sales Stage,Amount,Expected Close Date,Date Created
Big deal,Acme Corp,Closed Won,1000,2024-03-15,2024-01-02
Small deal,Beta LLC,Closed Lost,500,2024-04-10,2024-01-05
Mid deal,Gamma Inc,Closed Won,700,2024-05-20,2024-02-01
"""
    )
    counts, _parsed, pre = import_file(conn, data, "sugar_opportunities.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (2, 1, 1700.0)
    assert pre.layout.columns[pre.layout.mapping["order_date"]] == "Expected Close Date"
    assert _stored(conn) == [
        ("Acme Corp", "2024-03-15", 1000.0),
        ("Gamma Inc", "2024-05-20", 700.0),
    ]


@pytest.mark.parametrize(
    ("labels", "date"),
    [
        # A close date of its own beats the one hoped for.
        (["Account Name", "Sales Stage", "Amount", "Expected Close Date", "Close Date"], 4),
        # No stage: not a deal list, so the hoped close is no sale's date.
        (["Account Name", "Amount", "Expected Close Date", "Date Created"], 3),
        # A sale's own date beats it.
        (["Account Name", "Stage", "Amount", "Expected Close Date", "Date"], 4),
        (["Компания", "Стадия", "Сумма", "Предполагаемая дата закрытия", "Дата создания"], 3),
    ],
)
def test_an_expected_close_only_stands_in_for_a_close_in_a_deal_list(labels, date):
    assert auto_map(labels)["order_date"] == date


def test_a_client_status_active_or_lost_on_its_invoices_keeps_them(conn):
    # Each invoice carries its client's status: the lost client's invoices were rejected as
    # deals lost (300 for 1,000). By hand: 100 + 200 + 300 + 400.
    data = _csv(
        """
Customer,Invoice No,Date,Amount,Status
Acme Corp,INV-1,2024-01-15,100,Active
Acme Corp,INV-2,2024-02-15,200,Active
Beta LLC,INV-3,2024-01-20,300,Lost
Beta LLC,INV-4,2024-02-20,400,Lost
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "clients_invoices.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (4, 0, 1000.0)


@pytest.mark.parametrize(
    "text",
    [
        # A deal list: no invoice number.
        """
Customer,Date,Amount,Status
Acme Corp,2024-01-15,100,Active
Acme Corp,2024-02-15,200,Active
Beta LLC,2024-01-20,300,Lost
Beta LLC,2024-02-20,400,Lost
""",
        # One client's rows differ: the status is each row's own.
        """
Customer,Invoice No,Date,Amount,Status
Acme Corp,INV-1,2024-01-15,100,Active
Acme Corp,INV-2,2024-02-15,200,Active
Beta LLC,INV-3,2024-01-20,300,Active
Beta LLC,INV-4,2024-02-20,400,Lost
""",
        # No client has two rows: nothing shows the status is the client's.
        """
Customer,Invoice No,Date,Amount,Status
Acme Corp,INV-1,2024-01-15,100,Active
Gamma Inc,INV-2,2024-02-15,200,Active
Beta LLC,INV-3,2024-01-20,300,Lost
Delta Co,INV-4,2024-02-20,400,Lost
""",
    ],
)
def test_lost_stays_no_sale_where_it_may_be_the_rows_own(conn, text):
    # By hand: the Lost rows rejected; stored 100 + 200, and 300 where that row is Active.
    counts, _parsed, _pre = import_file(conn, _csv(text), "deals.csv")
    lost = text.count("Lost")
    assert counts.rows_rejected == lost
    assert counts.revenue == {1: 600.0, 2: 300.0}[lost]


def test_netsuite_saved_search_name_is_the_client(conn):
    # NetSuite writes the customer under a bare Name beside Type: the file was refused for
    # want of a client. By hand: Acme 1,000 + 400, Beta 250.
    data = _csv(
        """
Type,Date,Document Number,Name,Amount
Invoice,1/15/2024,INV1001,Acme Corp,1000.00
Invoice,2/10/2024,INV1002,Beta LLC,250.00
Invoice,3/5/2024,INV1003,Acme Corp,400.00
"""
    )
    counts, _parsed, pre = import_file(conn, data, "netsuite_search.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 1650.0)
    assert pre.layout.columns[pre.layout.mapping["client_name"]] == "Name"
    totals = conn.execute(
        "SELECT client_name, SUM(revenue) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert totals == [("Acme Corp", 1400.0), ("Beta LLC", 250.0)]


def test_a_bare_name_beside_a_type_of_goods_is_no_client(conn):
    # Type names the goods, so Name may be the product's: still refused for want of a client.
    data = _csv(
        """
Type,Date,Document Number,Name,Amount
Hardware,1/15/2024,INV1001,Router X1,1000.00
Software,2/10/2024,INV1002,Office Suite,250.00
"""
    )
    with pytest.raises(ImportRefused, match="client"):
        import_file(conn, data, "items.csv")
