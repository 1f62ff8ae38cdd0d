"""A month written without a day: the first of the month in a monthly export, refused elsewhere."""

from __future__ import annotations

import pandas as pd
import pytest

from kam_core.ingest.header import detect_layout
from kam_core.ingest.parse import date_column
from kam_core.ingest.text import clean_arrow
from kam_core.ingest.validate import parse_sheet
from tests.support.grids import chunked_grid


def column(*values: object):
    return date_column(clean_arrow(pd.Series(list(values), dtype="str")))


def shown(values) -> list[str | None]:
    return [None if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d") for d in values]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mar 2024", "2024-03-01"),
        ("March 2024", "2024-03-01"),
        ("Mar-24", "2024-03-01"),  # Excel's mmm-yy as a CSV export writes it
        ("Mar '24", "2024-03-01"),
        ("Dec-99", "1999-12-01"),
        ("מרץ 2024", "2024-03-01"),
        ("במרץ 2024", "2024-03-01"),
        ("март 2024", "2024-03-01"),
        ("марта 2024 г.", "2024-03-01"),
        ("2024-03", "2024-03-01"),
        ("2024/3", "2024-03-01"),
        ("03/2024", "2024-03-01"),
        ("03.2024", "2024-03-01"),
        ("2024 Mar", "2024-03-01"),
    ],
)
def test_a_month_alone_in_a_monthly_column_is_its_first_day(raw, expected):
    read = column(raw)
    assert shown(read.values) == [expected]
    assert read.monthly and read.months.tolist() == [True]


@pytest.mark.parametrize("raw", ["03/04", "3/24", "2024-13", "13/2024", "Mar 24", "00/2024"])
def test_a_pair_of_numbers_without_a_four_digit_year_or_a_real_month_is_not_a_month(raw):
    read = column(raw)
    assert shown(read.values) == [None]
    assert not read.monthly and read.months.tolist() == [False]


def test_a_monthly_export_keeps_its_months_across_forms_with_blanks_and_a_bad_cell():
    read = column("Jan 2024", None, "פבר׳ 2024", "2024-03", "garbage", "04/2024")
    assert read.monthly
    assert shown(read.values) == [
        "2024-01-01",
        None,
        "2024-02-01",
        "2024-03-01",
        None,
        "2024-04-01",
    ]
    assert read.months.tolist() == [True, False, True, True, False, True]


def test_a_month_among_full_dates_is_refused_and_marked_as_a_month():
    read = column("2024-03-15", "Mar 2024", "16 במרץ 2024", "2024-04")
    assert not read.monthly
    assert shown(read.values) == ["2024-03-15", None, "2024-03-16", None]
    assert read.months.tolist() == [False, True, False, True]


def test_a_monthly_sheet_stores_first_days_and_says_so():
    grid = chunked_grid(
        [
            ["Date", "Customer", "Amount"],
            ["Jan 2024", "Acme", "100"],
            ["Feb 2024", "Acme", "120"],
            ["מרץ 2024", "Beta", "50"],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert shown(parsed.rows["order_date"]) == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert parsed.rejected.empty
    assert parsed.notes == [
        "A (Date): the dates name a month without a day (a monthly export); "
        "each is stored as the first day of its month."
    ]


def test_a_month_in_a_sheet_of_full_dates_is_rejected_with_its_own_reason():
    grid = chunked_grid(
        [
            ["Order Date", "Customer", "Amount"],
            ["15 Mar 2024", "Acme", "100"],
            ["Mar 2024", "Acme", "120"],
            ["31 בפברואר 2024", "Beta", "50"],
            ["03/04", "Beta", "60"],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert shown(parsed.rows["order_date"]) == ["2024-03-15"]
    assert parsed.notes == []
    assert parsed.rejected[["row", "column", "value", "reason"]].values.tolist() == [
        [
            3,
            "A (Order Date)",
            "Mar 2024",
            "order date names a month without a day, while the column's other dates have days",
        ],
        [4, "A (Order Date)", "31 בפברואר 2024", "order date is not a date"],
        [5, "A (Order Date)", "03/04", "order date is not a date"],
    ]


def test_the_reason_and_the_note_read_in_hebrew():
    from kam_core.i18n import use_language

    rows = [["תאריך", "לקוח", "סכום"], ["15 במרץ 2024", "אקמה", "100"], ["מרץ 2024", "אקמה", "5"]]
    with use_language("he"):
        mixed = chunked_grid(rows)
        parsed = parse_sheet(mixed, detect_layout(mixed))
        monthly = chunked_grid([rows[0], rows[2]])
        notes = parse_sheet(monthly, detect_layout(monthly)).notes
    assert parsed.rejected["reason"].tolist() == [
        "תאריך ההזמנה מציין חודש בלי יום, ואילו בשאר התאריכים בעמודה יש יום"
    ]
    # The column is isolated: a note starting with it takes the Hebrew's direction.
    assert notes == [
        "\u2068A (תאריך)\u2069: התאריכים מציינים חודש בלי יום (ייצוא חודשי); כל אחד נשמר כיום "
        "הראשון בחודש שלו."
    ]
