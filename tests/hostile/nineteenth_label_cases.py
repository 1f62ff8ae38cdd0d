"""Files of a nineteenth round: status columns under labels read as the order number or the
region, labels that are no order number, status words meaning no sale, labels of real exports."""

from __future__ import annotations

from tests.hostile.case import Case


def nineteenth_label_cases() -> list[Case]:
    """Statuses, order-number labels and export labels of ERP, shop and CRM files."""
    return [
        Case(
            "intacct_invoices_state_draft.csv",
            lambda p: (
                b"Customer ID,Customer name,Invoice number,Date,Total amount,State\n"
                b"C-100,Acme Corp,INV-001,01/15/2024,1000.00,Paid\n"
                b"C-200,Beta LLC,INV-002,02/20/2024,2500.00,Posted\n"
                b"C-100,Acme Corp,INV-003,03/05/2024,750.00,Draft\n"
            ),
            rows=2,
            rejected=1,
            revenue=3500.0,
            value="Draft",
        ),
        Case(
            "clover_order_payment_state_refunded.csv",
            lambda p: (
                b"Order ID,Order Date,Customer Name,Order Total,Order Payment State\n"
                b"ABC1,2024-01-15,Pat Doe,12.50,Paid\nABC2,2024-01-16,Sam Poe,20.00,Refunded\n"
                b"ABC3,2024-02-17,Pat Doe,7.50,Open\n"
            ),
            rows=2,
            rejected=1,
            revenue=20.0,
            value="Refunded",
        ),
        Case(
            "order_source_and_currency_are_no_order_number.csv",
            lambda p: (
                b"Date,Customer,Amount,Order Source,Invoice Currency\n"
                b"2024-01-15,Acme,100,Web,USD\n2024-01-16,Beta,200,Web,USD\n"
            ),
            rows=2,
            revenue=300.0,
        ),
        Case(
            "statuses_reversed_storno_chargeback_proforma.csv",
            lambda p: (
                "Date,Customer,Amount,Status\n2024-01-01,Acme,1,Paid\n"
                "2024-01-02,Acme,2,Returned\n2024-01-03,Acme,4,Reversed\n"
                "2024-01-04,Acme,8,Storno\n2024-01-05,Acme,16,Сторнирован\n"
                "2024-01-06,Acme,32,Chargeback\n2024-01-07,Acme,64,Proforma\n"
                "2024-01-08,Acme,128,Expired\n2024-01-09,Acme,256,Pending payment\n"
            ).encode(),
            rows=3,
            rejected=6,
            revenue=259.0,
        ),
        Case(
            "sage200_ledger_refund_beside_credit_note.csv",
            lambda p: (
                b"Customer,Type,Date,Net Value\nABS Garages,Invoice,02/01/2024,1000.00\n"
                b"ABS Garages,Receipt,20/01/2024,-1200.00\n"
                b"Bronson Ltd,Invoice,05/02/2024,500.00\n"
                b"Bronson Ltd,Credit Note,06/02/2024,-50.00\n"
                b"Bronson Ltd,Refund,07/02/2024,60.00\n"
            ),
            rows=3,
            rejected=2,
            revenue=1450.0,
            value="Refund",
        ),
    ]
