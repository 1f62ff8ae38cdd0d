"""Dates written with month names in English, Hebrew and Russian, as exports write them."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from babel.dates import get_month_names

from kam_core.ingest.months import month_words, read_named
from kam_core.ingest.parse import parse_dates


def dates(*values: object) -> list[str | None]:
    parsed, _ = parse_dates(pd.Series(list(values), dtype="str"))
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in parsed]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # read before, still read
        ("15 Mar 2024", "2024-03-15"),
        ("March 15, 2024", "2024-03-15"),
        ("15-Mar-2024", "2024-03-15"),
        ("15-Mar-24", "2024-03-15"),
        # eBay's month-day-year with dashes and a two-digit year, and slashes
        ("Mar-15-24", "2024-03-15"),
        ("Mar/15/2024", "2024-03-15"),
        ("Feb-30-24", None),
        ("15.03.2024", "2024-03-15"),
        ("15/03/24", "2024-03-15"),
        # English, any case, a weekday before, an ordinal, a time of day after
        ("MARCH 15, 2024", "2024-03-15"),
        ("15 march 2024", "2024-03-15"),
        ("Friday, March 15, 2024", "2024-03-15"),
        ("Fri, 15 Mar 2024", "2024-03-15"),
        ("15th March 2024", "2024-03-15"),
        ("Sept 5, 2024", "2024-09-05"),
        ("2024 Mar 15", "2024-03-15"),
        ("15 Mar 2024 10:30", "2024-03-15"),
        # Hebrew: with and without the prefix ב, abbreviated with a geresh or an apostrophe
        ("15 במרץ 2024", "2024-03-15"),
        ("15 מרץ 2024", "2024-03-15"),
        ("15 ב-מרץ 2024", "2024-03-15"),
        ("יום ו׳, 15 במרץ 2024", "2024-03-15"),
        ("יום ו', 15 במרץ 2024", "2024-03-15"),
        ("יום שישי, 15 במרץ 2024", "2024-03-15"),
        ("3 בינו׳ 2024", "2024-01-03"),
        ("3 ינו' 2024", "2024-01-03"),
        ("1 בדצמ׳ 2023", "2023-12-01"),
        ("20 באוגוסט 2023", "2023-08-20"),
        ("7 במאי 2024", "2024-05-07"),
        ("15 במרץ 2024 14:05:00", "2024-03-15"),
        # Russian: genitive and nominative, abbreviated with and without a dot, 'г.' after
        ("15 марта 2024", "2024-03-15"),
        ("15 мар. 2024", "2024-03-15"),
        ("15 мар 2024", "2024-03-15"),
        ("15 марта 2024 г.", "2024-03-15"),
        ("15 марта 2024 года", "2024-03-15"),
        ("пт, 15 марта 2024 г.", "2024-03-15"),
        ("1 февр. 2024", "2024-02-01"),
        ("5 сен 2024", "2024-09-05"),
        ("9 Мая 2024", "2024-05-09"),
        ("15 март 2024", "2024-03-15"),
    ],
)
def test_a_date_written_with_a_month_name_is_read(raw, expected):
    assert dates(raw) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("29 בפברואר 2024", "2024-02-29"),  # 2024 is a leap year
        ("29 февраля 2024", "2024-02-29"),
        ("Feb 29, 2024", "2024-02-29"),
        ("29 בפברואר 2023", None),  # 2023 is not
        ("29 Feb 2023", None),
        ("31 בפברואר 2024", None),
        ("31 апреля 2024", None),
        ("31 Apr 2024", None),
        ("29 Feb 1900", None),  # 1900 was not a leap year either (and is out of range)
    ],
)
def test_leap_days_are_read_and_days_no_calendar_has_are_refused(raw, expected):
    assert dates(raw) == [expected]


@pytest.mark.parametrize(
    "raw",
    [
        "15 במרץ",  # no year
        "15 Mar",
        "Mar 15",  # no year; 'Mar 15' is not Excel's mmm-yy either (that has a dash)
        "15 Smarch 2024",
        "15 במרצים 2024",
        "32 Mar 2024",
        "שבת",
        "Total March",
    ],
)
def test_text_that_is_not_a_whole_date_is_not_read(raw):
    assert dates(raw) == [None]


def test_a_column_mixing_month_names_iso_dmy_and_serials_is_read_cell_by_cell():
    assert dates("15 במרץ 2024", "2024-03-16", "17/03/2024", "45000", "18 марта 2024", None) == [
        "2024-03-15",
        "2024-03-16",
        "2024-03-17",
        "2023-03-15",  # serial 45000
        "2024-03-18",
        None,
    ]


def test_month_names_do_not_change_the_day_first_order_of_the_other_cells():
    assert dates("03/04/2024", "15 Mar 2024") == ["2024-04-03", "2024-03-15"]
    parsed, order = parse_dates(pd.Series(["01/13/2024", "2 Feb 2024"], dtype="str"))
    assert order == "mdy" and parsed.iloc[0] == pd.Timestamp("2024-01-13")


def test_every_month_name_babel_knows_reads_as_its_month():
    for locale in ("en", "he", "ru"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale).items():
                    assert read_named(f"2 {name} 2024")[0].month == month, (locale, name)


def test_a_prefix_two_months_share_names_neither():
    words = month_words()
    assert words["sep"] == 9 and words["фев"] == 2 and words["ספט"] == 9
    assert "ju" not in words and "ма" not in words and "יו" not in words


def test_cells_in_several_chunks_are_read_like_one_array():
    from kam_core.ingest.parse import date_column
    from kam_core.ingest.text import clean_arrow

    cells = pa.chunked_array([["15 במרץ 2024", "2024-01-02"], ["15 במרץ 2024", None, "1 мая 2024"]])
    got = date_column(clean_arrow(cells)).values
    assert [str(d)[:10] for d in got] == [
        "2024-03-15",
        "2024-01-02",
        "2024-03-15",
        "NaT",
        "2024-05-01",
    ]
