"""Files of a twentieth round: amounts marked CR or DR, Magento's Closed orders, SugarCRM's
expected close, a client's status on its invoices, NetSuite's Name."""

from __future__ import annotations

from tests.hostile.case import Case


def twentieth_cases() -> list[Case]:
    """Real exports read as they mean: credits, refunds, close dates, clients."""
    return [
        Case(
            "ledger_amounts_marked_cr_dr.csv",
            lambda p: (
                b"Customer,Invoice No,Date,Amount\n"
                b'Acme Corp,INV-1,2024-01-15,"1,200.50 DR"\n'
                b"Beta LLC,INV-2,2024-02-10,200.00 CR\n"
                b"Acme Corp,INV-3,2024-03-01,500.00CR\n"
                b"Gamma CR,INV-4,2024-03-05,300.00\n"
            ),
            rows=4,
            revenue=800.5,
            names=frozenset({"Acme Corp", "Beta LLC", "Gamma CR"}),
            note="CR or DR",
        ),
        Case(
            "magento_orders_closed_refunded.csv",
            lambda p: (
                b"ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),"
                b"Grand Total (Purchased),Status\n"
                b'000000001,Main Website,"Jan 15, 2024 10:00:00 AM",Pat Doe,Pat Doe,100.00,'
                b"100.00,Complete\n"
                b'000000002,Main Website,"Jan 16, 2024 11:00:00 AM",Sam Poe,Sam Poe,200.00,'
                b"200.00,Closed\n"
                b'000000003,Main Website,"Feb 2, 2024 09:00:00 AM",Pat Doe,Pat Doe,50.00,'
                b"50.00,Processing\n"
                b'000000004,Main Website,"Feb 3, 2024 09:00:00 AM",Kim Loe,Kim Loe,70.00,'
                b"70.00,Canceled\n"
            ),
            rows=2,
            rejected=2,
            revenue=150.0,
            value="Closed",
        ),
        Case(
            "sugarcrm_opportunities_expected_close.csv",
            lambda p: (
                b"Opportunity Name,Account Name,Sales Stage,Amount,Expected Close Date,"
                b"Date Created,Assigned User\n"
                b"Big deal,Acme Corp,Closed Won,1000,2024-03-15,2024-01-02,sally\n"
                b"Small deal,Beta LLC,Closed Lost,500,2024-04-10,2024-01-05,max\n"
                b"Mid deal,Gamma Inc,Closed Won,700,2024-05-20,2024-02-01,sally\n"
            ),
            rows=2,
            rejected=1,
            revenue=1700.0,
            value="Closed Lost",
            dates=frozenset({"2024-03-15", "2024-05-20"}),
        ),
        Case(
            "client_list_status_active_lost_on_invoices.csv",
            lambda p: (
                b"Customer,Invoice No,Date,Amount,Status\n"
                b"Acme Corp,INV-1,2024-01-15,100,Active\n"
                b"Acme Corp,INV-2,2024-02-15,200,Active\n"
                b"Beta LLC,INV-3,2024-01-20,300,Lost\n"
                b"Beta LLC,INV-4,2024-02-20,400,Lost\n"
            ),
            rows=4,
            revenue=1000.0,
            names=frozenset({"Acme Corp", "Beta LLC"}),
        ),
        Case(
            "netsuite_saved_search_name.csv",
            lambda p: (
                b"Type,Date,Document Number,Name,Memo,Amount\n"
                b"Invoice,1/15/2024,INV1001,Acme Corp,,1000.00\n"
                b"Invoice,2/10/2024,INV1002,Beta LLC,rush,250.00\n"
                b"Invoice,3/5/2024,INV1003,Acme Corp,,400.00\n"
            ),
            rows=3,
            revenue=1650.0,
            names=frozenset({"Acme Corp", "Beta LLC"}),
        ),
    ]
