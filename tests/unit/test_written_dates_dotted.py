"""Dates written with points are day first beside slashed dates, unless told otherwise."""

from __future__ import annotations

from kam_core.importing import parse, preview


def test_dotted_dates_follow_month_first_when_the_user_says_so():
    data = b"Date,Client,Amount\n03.04.2024,Acme,100\n04.05.2024,Beta,200\n"
    parsed = parse(preview(None, data, "d.csv"), monthfirst=True)
    assert [str(d.date()) for d in parsed.rows["order_date"]] == ["2024-03-04", "2024-04-05"]
