"""Workbooks of a twenty-seventh round, on OpenDocument durations: a cell typed as a duration
(`office:value-type="time"`, `PT99999999H`) was read as empty, its row rejected as "missing"
without its value."""

from __future__ import annotations

from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet


def _ods_text(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def _ods_duration(value: str) -> str:
    return (
        f'<table:table-cell office:value-type="time" office:time-value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods_durations() -> bytes:
    """An order date and an amount that are durations (LibreOffice's [HH]:MM, 99,999,999
    hours and 36 hours) beside a sale: both rows rejected showing the duration as written."""
    amount = (
        '<table:table-cell office:value-type="float" office:value="{0}"><text:p>{0}</text:p>'
        "</table:table-cell>"
    )
    rows = [
        _ods_text("Order Date") + _ods_text("Customer") + _ods_text("Amount"),
        _ods_duration("PT99999999H") + _ods_text("Acme") + amount.format(100),
        _ods_text("2024-01-05") + _ods_text("Beta") + amount.format(50),
        _ods_text("2024-01-06") + _ods_text("Gamma") + _ods_duration("PT36H"),
    ]
    return ods_sheet("".join(f"<table:table-row>{row}</table:table-row>" for row in rows))


def round27_odsdurations_cases() -> list[Case]:
    return [
        Case(
            "ods_durations_as_date_and_amount.ods",
            lambda p: ods_durations(),
            rows=1,
            rejected=2,
            revenue=50.0,
            value="PT99999999H",
            reason="revenue is not an amount",
        ),
    ]
