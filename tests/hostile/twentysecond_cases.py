"""Files of a twenty-second round: a list of cancelled invoices alone, and Hebrew's זוכה
(credited) among an invoice's states."""

from __future__ import annotations

from tests.hostile.case import Case


def twentysecond_cases() -> list[Case]:
    """What is no sale stays out."""
    return [
        Case(
            "cancelled_invoices_alone.csv",
            lambda p: (
                b"Date,Type,Num,Customer,Amount\n"
                b"2025-04-01,Cancelled Invoice,1001,Acme,100.00\n"
                b"2025-04-02,Cancelled Invoice,1002,Beta,250.00\n"
            ),
            refused="All 2 data row(s) were rejected",
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
