"""Files of a twenty-second round: client codes written in two cases, a list of cancelled
invoices alone, and Hebrew's זוכה (credited) among an invoice's states."""

from __future__ import annotations

from tests.hostile.case import Case


def twentysecond_cases() -> list[Case]:
    """One client per code whatever its capitals; what is no sale stays out."""
    return [
        Case(
            "client_codes_in_two_cases.csv",
            lambda p: (
                b"Date,Client ID,Client,Amount\n"
                b"2025-04-01,c001,Acme,100.00\n"
                b"2025-04-02,C001,Acme,200.50\n"
                b"2025-04-03,acme-01,Beta,300.00\n"
                b"2025-04-04,ACME-01,Beta,400.25\n"
            ),
            rows=4,
            revenue=1000.75,
            ids=frozenset({"C001", "ACME-01"}),
        ),
        Case(
            "cancelled_invoices_alone.csv",
            lambda p: (
                b"Date,Type,Num,Customer,Amount\n"
                b"2025-04-01,Cancelled Invoice,1001,Acme,100.00\n"
                b"2025-04-02,Cancelled Invoice,1002,Beta,250.00\n"
            ),
            refused="All 2 data rows were rejected",
        ),
        Case(
            "status_credited_hebrew.csv",
            lambda p: (
                "תאריך,חשבונית,לקוח,סכום,סטטוס\n"
                "01/04/2025,1001,אקמה,100.00,שולם\n"
                "02/04/2025,1002,ביתא,250.00,זוכה\n"
                "03/04/2025,1003,אקמה,40.00,פתוח\n"
            ).encode(),
            rows=2,
            rejected=1,
            revenue=140.0,
            value="זוכה",
        ),
    ]
