"""Files of documents that undo a sale: SAP's cancellations, 1C's deletion mark, credit notes
written positive, statuses of rejected, deleted, expired or uncaptured payments."""

from __future__ import annotations

from tests.hostile.case import Case


def status_kind_cases() -> list[Case]:
    """Real exports whose undoing documents take nothing or their amount off revenue."""
    return [
        Case(
            "sap_billing_types_cancellation.csv",
            lambda p: (
                b"Billing Document,Billing Type,Billing Date,Sold-To Party,Sold-To Party Name,"
                b"Net Value\n"
                b'90000001,Invoice,05.01.2024,100001,Acme Ltd,"1.000,00"\n'
                b'90000002,Invoice,17.01.2024,100002,Beta Works,"2.000,00"\n'
                b'90000003,Invoice Cancellation,20.01.2024,100002,Beta Works,"2.000,00"\n'
                b'90000004,Credit Memo,25.01.2024,100001,Acme Ltd,"300,00"\n'
                b"90000005,F2,14.02.2024,100003,Gamma Co,400\n"
                b"90000006,S1,15.02.2024,100003,Gamma Co,400\n"
                b"90000007,G2,16.02.2024,100001,Acme Ltd,100\n"
            ),
            rows=7,
            revenue=600.0,
            note="its cancellation cancel out",
        ),
    ]
