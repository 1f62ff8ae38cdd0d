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
    ]
