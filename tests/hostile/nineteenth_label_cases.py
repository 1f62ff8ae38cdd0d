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
    ]
