"""Files of an eighteenth round: statuses that only sound like no sale (a parcel lost, a client
churned), an ERP's late charges and unreleased invoices, net amounts beside totals with tax and
freight, deals dated by their close."""

from __future__ import annotations

from tests.hostile.case import Case


def eighteenth_status_cases() -> list[Case]:
    """Statuses, document kinds, net amounts and close dates of CRM and ERP exports."""
    return [
        Case(
            "status_tracking_lost_on_invoices.csv",
            lambda p: (
                b"Invoice,Date,Customer,Amount,Status\n1,2024-01-05,Acme,100,Tracking lost\n"
                b"2,2024-01-06,Beta,200,Lost in transit - reshipped\n"
                b"3,2024-01-07,Gamma,400,Closed - Lost\n"
            ),
            rows=2,
            rejected=1,
            revenue=300.0,
            value="Closed - Lost",
        ),
        Case(
            "status_of_the_client_beside_its_invoices.csv",
            lambda p: (
                b"Invoice,Date,Customer,Amount,Status\n1,2024-01-05,Acme,100,Active\n"
                b"2,2024-01-06,Beta,200,Lost\n3,2024-01-07,Gamma,400,Churned\n"
            ),
            rows=3,
            revenue=700.0,
        ),
        Case(
            "acumatica_ar_invoices_with_an_overdue_charge.csv",
            lambda p: (
                b"Type,Reference Nbr.,Status,Date,Customer,Customer Name,Amount,Balance,Currency\n"
                b"Invoice,AR001,Open,2024-01-05,C01,Acme,100,100,USD\n"
                b"Invoice,AR002,Closed,2024-01-06,C02,Beta,200,0,USD\n"
                b"Overdue Charge,AR003,Open,2024-01-07,C01,Acme,15,15,USD\n"
                b"Invoice,AR004,Balanced,2024-01-08,C03,Gamma,400,400,USD\n"
                b"Credit Memo,AR005,Open,2024-01-09,C02,Beta,50,50,USD\n"
            ),
            rows=3,
            rejected=2,
            revenue=250.0,
            note="Overdue Charge",
        ),
        Case(
            "dynamics_365_invoices_with_freight_and_tax.csv",
            lambda p: (
                b"Invoice ID,Date,Customer,Total Pre-Freight Amount,Freight Amount,Total Tax,"
                b"Total Amount\nINV-1,2024-01-05,Acme,100,20,17,137\n"
                b"INV-2,2024-01-06,Beta,200,0,34,234\n"
            ),
            rows=2,
            revenue=300.0,
        ),
        Case(
            "dynamics_365_finance_sales_balance.csv",
            lambda p: (
                b"Invoice,Date,Invoice account,Name,Invoice amount,Sales tax,Sales balance\n"
                b"INV-1,2024-01-05,C01,Acme,117,17,100\nINV-2,2024-01-06,C02,Beta,234,34,200\n"
            ),
            rows=2,
            revenue=300.0,
        ),
        Case(
            "sugarcrm_deals_created_then_closed.csv",
            lambda p: (
                b"Opportunity Name,Account Name,Sales Stage,Amount,Date Created,Close Date\n"
                b"A,Acme,Closed Won,100,2024-01-05,2024-03-15\n"
                b"B,Beta,Closed Won,200,2024-01-06,2024-04-20\n"
                b"C,Gamma,Prospecting,400,2024-01-07,2024-05-01\n"
            ),
            rows=2,
            rejected=1,
            revenue=300.0,
            dates=frozenset({"2024-03-15", "2024-04-20"}),
        ),
    ]
