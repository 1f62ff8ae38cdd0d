"""Cells that read as something else than they are: dates with offsets or beyond any order's
years, names made only of invisible marks."""

import pandas as pd

from kam_core.importing import parse, preview
from kam_core.ingest.parse import parse_dates

HEADER = "Order Date,Customer,Amount\n"


def _parsed(text: str):
    return parse(preview(None, text.encode(), "t.csv"))


def test_a_time_with_its_offset_keeps_the_date_as_written():
    got, _order = parse_dates(
        pd.Series(["2024-01-05T23:30:00+02:00", "2024-01-06T01:00:00-0500", "2024-01-07 08:00Z"])
    )
    assert [d.date().isoformat() for d in got] == ["2024-01-05", "2024-01-06", "2024-01-07"]


def test_a_date_beyond_the_years_of_any_order_is_rejected_as_such_not_as_unreadable():
    parsed = _parsed(
        HEADER
        + "9999-12-31,Alpha,1\n"
        + "31/12/1024,Beta,2\n"
        + "2024-02-31,Gamma,3\n"  # no such day: not a date at all
        + "2024-01-05,Delta,4\n"
    )
    reasons = dict(zip(parsed.rejected["row"], parsed.rejected["reason"], strict=True))
    assert reasons[2] == "order date is outside the years 1950 to 2100"
    assert reasons[3] == "order date is outside the years 1950 to 2100"
    assert reasons[4] == "order date is not a date"
    assert parsed.rows["client_name"].tolist() == ["Delta"]


def test_a_name_of_nothing_but_invisible_marks_is_no_client():
    parsed = _parsed(
        HEADER
        + "2024-01-05,\u200f\u200b\u2060,1\n"
        + "2024-01-05,\u200f\u05d0\u05dc\u05d5\u05df,2\n"  # a Hebrew name keeps its mark
    )
    reasons = dict(zip(parsed.rejected["row"], parsed.rejected["reason"], strict=True))
    assert reasons == {2: "client is missing (no client id and no client name)"}
    assert parsed.rows["client_name"].tolist() == ["\u200f\u05d0\u05dc\u05d5\u05df"]
