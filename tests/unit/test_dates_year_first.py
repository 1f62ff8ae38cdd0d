"""Two-digit years written first (yy-mm-dd): told from d/m/y and m/d/y by the column."""

from __future__ import annotations

import pandas as pd

from kam_core.ingest.header import detect_layout
from kam_core.ingest.parse import parse_dates
from kam_core.ingest.validate import parse_sheet
from kam_core.ingest.written import year_first
from tests.support.grids import chunked_grid


def read(*values: str, monthfirst: bool | None = None) -> tuple[list[str | None], str]:
    parsed, order = parse_dates(pd.Series(list(values), dtype="str"), monthfirst)
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in parsed], order


def test_a_quarter_written_year_first_is_read_in_its_year():
    # 24 in every first part, days from 05 to 30 last: the first part is the year.
    assert read("24-01-05", "24-02-17", "24-03-30") == (
        ["2024-01-05", "2024-02-17", "2024-03-30"],
        "ymd",
    )


def test_the_same_quarter_written_day_first_keeps_the_year_last():
    assert read("05-01-24", "17-02-24", "30-03-24") == (
        ["2024-01-05", "2024-02-17", "2024-03-30"],
        "dmy",
    )


def test_the_same_quarter_written_month_first_keeps_the_year_last():
    assert read("01/05/24", "02/17/24", "03/30/24") == (
        ["2024-01-05", "2024-02-17", "2024-03-30"],
        "mdy",
    )


def test_a_first_part_no_day_can_have_is_a_year():
    assert read("99-12-31")[0] == ["1999-12-31"]
    assert read("00-03-15")[0] == ["2000-03-15"]


def test_a_year_last_that_would_be_years_ahead_makes_the_first_part_the_year():
    today = pd.Timestamp("2026-12-02")
    # Year last, 24-01-30 is 24 January 2030; year first, 30 January 2024.
    assert year_first(pd.Series(["24-01-30"], dtype="str"), today)
    assert not year_first(pd.Series(["30-01-24"], dtype="str"), today)


def test_a_single_date_either_way_stays_day_month_year():
    assert read("10-11-12") == (["2012-11-10"], "dmy")


def test_month_first_chosen_by_the_user_is_not_second_guessed():
    assert read("24-01-05", "24-02-17", monthfirst=True)[0] == [None, None]


def test_four_digit_years_and_other_dates_of_the_column_keep_their_reading():
    assert read("24-01-05", "24-02-17", "24-03-30", "2024-03-31", "15/03/2024")[0] == [
        "2024-01-05",
        "2024-02-17",
        "2024-03-30",
        "2024-03-31",
        "2024-03-15",
    ]


def test_the_import_says_the_dates_were_read_year_first():
    rows = [["Date", "Client", "Amount"]]
    rows += [[f"24-{m:02d}-{d:02d}", f"Client {d}", "10"] for m in (1, 2, 3) for d in (3, 17, 28)]
    grid = chunked_grid(rows, 4)
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.rows["order_date"].dt.strftime("%Y-%m-%d").tolist()[:3] == [
        "2024-01-03",
        "2024-01-17",
        "2024-01-28",
    ]
    assert parsed.date_orders == {"order_date": "ymd"}
    assert any("two-digit year first" in note and "'24-01-03'" in note for note in parsed.notes)


def test_a_bill_on_the_same_day_of_each_month_keeps_the_year_last():
    monthly = [f"01-{m:02d}-{y}" for y in (24, 25) for m in range(1, 13)]
    dates, order = read(*monthly)
    assert order == "dmy"
    assert dates[:2] == ["2024-01-01", "2024-02-01"] and dates[-1] == "2025-12-01"
    assert read(*[f"15-{m:02d}-{y}" for y in (23, 24) for m in range(1, 13)])[1] == "dmy"
