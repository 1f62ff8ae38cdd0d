"""Statuses and document kinds of CRM and ERP exports: what says a line is no sale is rejected,
what only sounds like it (a parcel lost, a client churned) is a sale; the net amount is read."""

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


def test_a_status_where_something_else_was_lost_is_a_sale(conn):
    # An invoice's parcel or tracking lost leaves the sale. By hand: 100 + 200 + 400 + 800.
    data = _csv(
        """
Invoice,Date,Customer,Amount,Status
1,2024-01-05,Acme,100,Tracking lost
2,2024-01-06,Beta,200,Lost & Found return processed
3,2024-01-07,Gamma,400,Lost in transit - reshipped
4,2024-01-08,Delta,800,Paid
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "shipments.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (4, 0, 1500.0)


@pytest.mark.parametrize(
    "lost",
    ["Lost", "Closed Lost", "Closed - Lost", "Lost (price)", "Deal lost", "Lost to competitor",
     "אבוד", "Провалена"],
)  # fmt: skip
def test_a_deal_lost_is_still_no_sale(conn, lost):
    data = _csv(
        f"""
Deal,Close Date,Account,Amount,Status
1,2024-01-05,Acme,100,Invoiced
2,2024-01-06,Beta,200,{lost}
"""
    )
    counts, parsed, _pre = import_file(conn, data, "deals.csv")
    assert (counts.rows_imported, counts.revenue) == (1, 100.0)
    assert set(parsed.rejected["row"]) == {3}


_CLIENT_STATES = ["Active", "Lost", "Churned", "Inactive", "Former"]


@pytest.mark.parametrize(
    "label",
    ["Customer Status", "Account Status", "Client Status", "Customer Stage", "סטטוס לקוח",
     "Статус клиента", "Статус контрагента", "Status"],
)  # fmt: skip
def test_a_clients_status_leaves_its_invoices_sales(conn, label):
    # A churned or lost client's past invoices are its sales: the churn analysis needs them.
    # By hand: 100 + 200 + 400 + 800 + 1,600.
    lines = [f"Invoice,Date,Customer,Amount,{label}"] + [
        f"{i + 1},2024-01-0{i + 1},Client {i},{100 * 2**i},{state}"
        for i, state in enumerate(_CLIENT_STATES)
    ]
    counts, _parsed, _pre = import_file(conn, _csv("\n".join(lines)), "invoices.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (5, 0, 3100.0)


def test_acumatica_overdue_charges_and_unreleased_invoices_are_no_sales(conn):
    # Acumatica's AR invoices: an Overdue Charge bills a late payment, Balanced and On Hold are
    # not released yet; Open and Closed are sales, a Credit Memo is taken off.
    # By hand: 100 + 200 - 50.
    data = _csv(
        """
Type,Reference Nbr.,Status,Date,Customer,Customer Name,Amount,Balance,Currency
Invoice,AR001,Open,2024-01-05,C01,Acme,100,100,USD
Invoice,AR002,Closed,2024-01-06,C02,Beta,200,0,USD
Overdue Charge,AR003,Open,2024-01-07,C01,Acme,15,15,USD
Invoice,AR004,Balanced,2024-01-08,C03,Gamma,400,400,USD
Invoice,AR006,On Hold,2024-01-10,C03,Gamma,800,800,USD
Credit Memo,AR005,Open,2024-01-09,C02,Beta,50,50,USD
"""
    )
    counts, parsed, _pre = import_file(conn, data, "AR301000.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 250.0)
    assert set(parsed.rejected["row"]) == {4, 5, 6}


def test_balanced_outside_acumatica_is_a_sale(conn):
    # Without Acumatica's Nbr. labels a Balanced invoice may be one settled.
    data = _csv(
        """
Invoice,Date,Customer,Amount,Status
1,2024-01-05,Acme,100,Balanced
2,2024-01-06,Beta,200,Open
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "invoices.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 300.0)


def test_dynamics_365_sales_revenue_is_the_pre_freight_amount(conn):
    # Total Amount = Total Pre-Freight Amount + Freight Amount + Total Tax; the pre-freight
    # amount is the lines less the order's discount. By hand: 100 + 200.
    data = _csv(
        """
Invoice ID,Date,Customer,Total Detail Amount,Total Discount Amount,Total Pre-Freight Amount,Freight Amount,Total Tax,Total Amount
INV-1,2024-01-05,Acme,110,10,100,20,17,137
INV-2,2024-01-06,Beta,200,0,200,0,34,234
"""  # noqa: E501
    )
    counts, _parsed, pre = import_file(conn, data, "Invoices.csv")
    assert pre.layout.mapping_labels()["revenue"] == "Total Pre-Freight Amount"
    assert counts.revenue == 300.0


def test_dynamics_365_finance_revenue_is_the_sales_balance(conn):
    # The invoice journal: Invoice amount adds the sales tax to the Sales balance.
    data = _csv(
        """
Invoice,Date,Invoice account,Name,Sales balance,Sales tax,Invoice amount
INV-1,2024-01-05,C01,Acme,100,17,117
INV-2,2024-01-06,C02,Beta,200,34,234
"""
    )
    counts, _parsed, pre = import_file(conn, data, "CustInvoiceJour.csv")
    assert pre.layout.mapping_labels()["revenue"] == "Sales balance"
    assert counts.revenue == 300.0


@pytest.mark.parametrize(
    ("labels", "revenue"),
    [
        # The freight or a balance is what these name: the amount stays the revenue.
        (["Freight amount after discount", "Amount"], "Amount"),
        (["Balance amount after discount", "Amount"], "Amount"),
        (["Balance", "Amount"], "Amount"),
        (["Freight Amount", "Total Amount"], "Total Amount"),
    ],
)
def test_a_freight_or_a_balance_is_no_revenue(conn, labels, revenue):
    data = _csv(f"Date,Customer,{','.join(labels)}\n2024-01-05,Acme,5,100\n2024-01-06,Beta,7,200")
    _counts, _parsed, pre = import_file(conn, data, "orders.csv")
    assert pre.layout.mapping_labels()["revenue"] == revenue


def _dates(conn) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT DISTINCT order_date FROM sales").fetchall()}


@pytest.mark.parametrize(
    ("header", "dates"),
    [
        # SugarCRM's deals won: sold when closed, not when the deal was entered.
        ("Date Created,Close Date", {"2024-03-15", "2024-04-20"}),
        ("Creation Date,Date Closed", {"2024-03-15", "2024-04-20"}),
        # Ordinary files keep their dates: an order's date, a shop's Created at (an archived
        # order's Closed at is later), a day before its month.
        ("Order Date,Date Created", {"2024-01-05", "2024-01-06"}),
        ("Created at,Closed at", {"2024-01-05", "2024-01-06"}),
        ("Date Created,Month", {"2024-01-05", "2024-01-06"}),
    ],
)
def test_a_deal_is_dated_by_its_close_not_its_creation(conn, header, dates):
    data = _csv(
        f"""
Opportunity Name,Account Name,Amount,{header}
Deal A,Acme,100,2024-01-05,{"2024-01" if "Month" in header else "2024-03-15"}
Deal B,Beta,200,2024-01-06,{"2024-01" if "Month" in header else "2024-04-20"}
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "deals.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 300.0)
    assert _dates(conn) == dates
