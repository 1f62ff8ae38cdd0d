"""Value parsing: amounts, dates, flags and identifiers as real exports write them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kam_core.ingest.parse import (
    client_key,
    date_order,
    parse_dates,
    parse_flags,
    parse_ids,
    parse_numbers,
)

NBSP = "\u00a0"


def text(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def one_number(value: object) -> float:
    return parse_numbers(text(value)).iloc[0]


def dates(*values: object, monthfirst: bool | None = None) -> list[str | None]:
    parsed, _ = parse_dates(text(*values), monthfirst)
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in parsed]


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", 1234.5),
        ("1,234.56", 1234.56),
        ("1,234,567", 1234567.0),
        ("1 234 567", 1234567.0),
        (f"1{NBSP}234,5", 1234.5),
        ("1.234,56", 1234.56),
        ("1.234.567", 1234567.0),
        ("12,5", 12.5),
        ("₪ 1,234", 1234.0),
        ("$1,000.00", 1000.0),
        ("€ 99.90", 99.9),
        ("£1,234.5", 1234.5),
        ("1 234 ₽", 1234.0),
        ('100 ש"ח', 100.0),
        ("USD 1,000.00", 1000.0),
        ("-7", -7.0),
        ("−5", -5.0),  # the Unicode minus sign
        ("12-", -12.0),
        ("$-12", -12.0),
        ("(12)", -12.0),
        ("(1,234.50)", -1234.5),
        ("(1.234,50)", -1234.5),
        ("1.234,5-", -1234.5),
        ("1 234,50 ₽", 1234.5),  # a decimal comma before a trailing currency sign
        ("12,50 €", 12.5),
        ("12,50 руб.", 12.5),
        ("(12,50) ₪", -12.5),
        ('12,5 ש"ח', 12.5),
        ("1,234 ₽", 1234.0),
        ("1,234.56 USD", 1234.56),
        ("+5", 5.0),
        ("  42  ", 42.0),
        ("1e3", 1000.0),
    ],
)
def test_amount_written_the_way_exports_write_it_is_read(raw, expected):
    assert one_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw", ["abc", "n/a", "12 boxes", "1,2,3.4.5", "1.2,3.4", "15.01.2024", "--", "", None]
)
def test_text_that_is_not_a_number_reads_as_missing(raw):
    assert math.isnan(one_number(raw))


def test_a_column_with_decimal_commas_reads_a_dotted_thousand_as_a_thousand():
    assert parse_numbers(text("1.234,56", "1.000", "12")).tolist() == [1234.56, 1000.0, 12.0]


def test_indian_digit_grouping_reads_as_the_amount_it_writes():
    # Lakhs and crores grouped by two after the thousands (Excel's en-IN format).
    values = text("1,23,456.00", "12,34,567.89", "1,00,000", "₹ 99,99,99,999.99", "5,000")
    assert parse_numbers(values).tolist() == [
        123_456.0,
        1_234_567.89,
        100_000.0,
        999_999_999.99,
        5_000.0,
    ]


@pytest.mark.parametrize("raw", ["1,2,34,567", "12,345,67", "1,23,45", "01,23,456"])
def test_digits_grouped_neither_way_are_no_amount(raw):
    assert math.isnan(one_number(raw))


def test_numbers_stored_as_numbers_are_read_as_is():
    assert parse_numbers(text("100", "0.5", "-3", None)).tolist()[:3] == [100.0, 0.5, -3.0]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-15 00:00:00", "2024-01-15"),  # an Excel date, as the reader hands it over
        ("2024-01-15T13:30:00", "2024-01-15"),  # an .ods date with a time of day
        ("2024-01-15", "2024-01-15"),
        ("2024/01/15", "2024-01-15"),
        ("45000", "2023-03-15"),  # an Excel serial number
        ("45000.75", "2023-03-15"),
        ("15/01/2024", "2024-01-15"),
        ("15.01.2024", "2024-01-15"),
        ("15-01-2024", "2024-01-15"),
        ("15/01/24", "2024-01-15"),
        ("20240115", "2024-01-15"),
        ("20240115.0", "2024-01-15"),
        ("15-Jan-2024", "2024-01-15"),
        ("Jan 15, 2024", "2024-01-15"),
    ],
)
def test_date_written_the_way_exports_write_it_is_read(raw, expected):
    assert dates(raw) == [expected]


@pytest.mark.parametrize(
    "raw",
    ["31/02/2024", "2024-02-30", "2024-02-30 00:00:00", "29.02.2023", "13/13/2024", "garbage", "0"],
)
def test_a_date_that_does_not_exist_is_refused_not_rolled_over(raw):
    assert dates(raw) == [None]


def test_ambiguous_day_month_text_is_read_day_first():
    assert dates("03/04/2024", "05/06/2024") == ["2024-04-03", "2024-06-05"]
    assert date_order(text("03/04/2024")) == "dmy"


def test_a_second_part_above_twelve_makes_the_column_month_first():
    assert dates("01/13/2024", "02/03/2024") == ["2024-01-13", "2024-02-03"]
    assert parse_dates(text("01/13/2024", "02/03/2024"))[1] == "mdy"


def test_a_first_part_above_twelve_keeps_the_column_day_first():
    assert dates("13/01/2024", "02/03/2024") == ["2024-01-13", "2024-03-02"]


def test_the_dates_read_one_way_only_outvote_a_date_typed_the_other_way():
    # Three dates only month first (day 13, 20, 28), one only day first: the column is month
    # first, 6/4 is June 4th, and 25/03 is no date in it (its row is rejected, not the column
    # turned day first with the others swapped or rejected).
    column = ("01/13/2024", "02/20/2024", "03/28/2024", "6/4/2024", "25/03/2024")
    assert dates(*column) == ["2024-01-13", "2024-02-20", "2024-03-28", "2024-06-04", None]
    assert date_order(text(*column)) == "mdy"
    assert date_order(text("13/01/2024", "20/02/2024", "02/13/2024")) == "dmy"


def test_month_first_text_with_a_time_of_day_and_am_pm_is_read():
    assert dates("1/15/2024 1:30:00 PM", "2/3/2024 10:00 am") == ["2024-01-15", "2024-02-03"]
    assert dates("15.01.2024 0:00:00") == ["2024-01-15"]


def test_monthfirst_overrides_the_column_decision():
    assert dates("03/04/2024", "05/06/2024", monthfirst=True) == ["2024-03-04", "2024-05-06"]
    assert dates("13/04/2024", monthfirst=True) == [None]


def test_a_column_mixing_excel_dates_serials_and_text_is_read_row_by_row():
    assert dates("2024-01-15 00:00:00", "45000", "15/01/2024", None) == [
        "2024-01-15",
        "2023-03-15",
        "2024-01-15",
        None,
    ]


# --- flags and identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("false", False),
        ("x", True),
        ("1", True),
        ("0", False),
        ("2", True),
        ("כן", True),
        ("לא", False),
        ("הוחזר", True),
        ("да", True),
        ("Нет", False),
        ("Возврат", True),
    ],
)
def test_flags_in_three_languages_are_read(raw, expected):
    assert parse_flags(text(raw)).tolist() == [expected]


@pytest.mark.parametrize("raw", ["maybe", "", None])
def test_a_flag_that_is_neither_yes_nor_no_reads_as_missing(raw):
    assert pd.isna(parse_flags(text(raw)).iloc[0])


def test_identifiers_keep_leading_zeros_and_lose_a_numeric_point_zero():
    assert parse_ids(text("00001", "123.0", " A-7 ", "")).tolist()[:3] == ["00001", "123", "A-7"]


def test_a_client_id_derived_from_the_name_ignores_case_spaces_and_punctuation():
    keys = client_key(text("ACME Ltd.", "Acme  Ltd", "Beta", None)).tolist()
    assert keys[:3] == ["acme ltd", "acme ltd", "beta"]
    assert pd.isna(keys[3])


def test_names_told_apart_only_by_their_vowel_signs_are_two_clients():
    # Devanagari and Thai write vowels as marks on letters: राम and रीम, กิน and กัน are two
    # names. Hebrew points are optional: שָׁלוֹם and שלום are one name, written two ways.
    keys = client_key(text("राम", "रीम", "กิน", "กัน", "שָׁלוֹם", "שלום", "Müller", "Mu\u0308ller"))
    assert len(set(keys.tolist()[:4])) == 4
    assert keys[4] == keys[5] == "שלום"
    assert keys[6] == keys[7] == "müller"


# --- issue 10: values that cannot poison a report -----------------------------------------------


def sheet_of(rows: list[list[str]]):
    """Parse rows (header first) as one sheet, with the house's layout detection."""
    import pyarrow as pa

    from kam_core.ingest import detect_layout, parse_sheet
    from kam_core.ingest.grid import SheetGrid

    width = max(len(r) for r in rows)
    columns = {
        f"c{i}": pa.array([r[i] if i < len(r) else None for r in rows]) for i in range(width)
    }
    grid = SheetGrid("Sales", pa.table(columns), 1, tuple("ABCDEFG"[:width]))
    return parse_sheet(grid, detect_layout(grid))


def test_amounts_beyond_the_bound_or_infinite_are_rejected_with_their_value():
    parsed = sheet_of(
        [
            ["Order Date", "Customer", "Amount", "Profit"],
            ["2024-01-05", "A", "1e309", "1"],
            ["2024-01-06", "B", "5", "-1e13"],
            ["2024-01-07", "C", "1000000000000", "-1000000000000"],
        ]
    )
    assert list(parsed.rows["client_name"]) == ["C"]
    found = parsed.rejected[["row", "value", "reason"]].values.tolist()
    assert found == [
        [2, "1e309", "revenue is out of range (beyond 1,000,000,000,000 per line)"],
        [3, "-1e13", "profit is out of range (beyond 1,000,000,000,000 per line)"],
    ]


def test_an_order_dated_after_tomorrow_is_rejected_as_in_the_future():
    import datetime as dt

    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    later = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    parsed = sheet_of(
        [["Order Date", "Customer", "Amount"], [tomorrow, "A", "1"], [later, "B", "2"]]
    )
    assert list(parsed.rows["client_name"]) == ["A"]  # one day of grace (time zones)
    assert parsed.rejected[["row", "value", "reason"]].values.tolist() == [
        [3, later, "order date is in the future"]
    ]


def test_a_workbook_date_in_the_future_is_shown_as_its_day():
    # The reader hands a workbook's date over with its midnight; the manager typed the day.
    parsed = sheet_of(
        [
            ["Order Date", "Customer", "Amount"],
            ["2099-07-09 00:00:00", "A", "1"],
            ["2024-01-05 00:00:00", "B", "2"],
            ["2099-07-10 13:30:00", "C", "3"],
        ]
    )
    assert list(parsed.rows["client_name"]) == ["B"]
    assert parsed.rejected[["row", "value"]].values.tolist() == [
        [2, "2099-07-09"],
        [4, "2099-07-10 13:30:00"],
    ]


def test_a_serial_no_calendar_has_is_not_a_date_and_keeps_its_value():
    parsed = sheet_of([["Order Date", "Customer", "Amount"], ["99999999", "A", "1"]])
    assert parsed.rejected[["value", "reason"]].values.tolist() == [
        ["99999999", "order date is not a date"]
    ]


def test_invisible_characters_are_dropped_from_names_and_ids():
    from kam_core.ingest.parse import clean_name

    names = text(
        "\ufeffAcme", "Ac\u200bme", "Acme\u2060", "Ac\x00me", "\u200fשלום\u200e", "👩\u200d💻"
    )
    assert list(clean_name(names)) == [
        "Acme",
        "Acme",
        "Acme",
        "Acme",
        "\u200fשלום\u200e",
        "👩\u200d💻",
    ]
    assert list(parse_ids(text("\ufeff007", "00\u200b7"))) == ["007", "007"]


def test_a_terminals_escape_sequences_leave_no_trace_in_a_name():
    from kam_core.ingest.parse import clean_name

    names = text(
        "\x1b]0;pwned\x07Acme\x1b[2J", "Beta\x1b[31m Ltd\x1b[0m", "\x9b1mGamma", "Del\x1bta"
    )
    assert list(clean_name(names)) == ["Acme", "Beta Ltd", "Gamma", "Delta"]


def test_column_parsers_read_arrow_columns_in_several_chunks_like_a_series():
    import numpy as np
    import pyarrow as pa

    from kam_core.ingest.parse import dates as parse_date_column
    from kam_core.ingest.parse import numbers as parse_number_column
    from kam_core.ingest.text import clean_arrow

    # The reader hands columns over in record batches: values of one column in two chunks.
    amounts = pa.chunked_array([["12", " 1.234,5 "], [None, "(7)", "", "x"]])
    got = parse_number_column(clean_arrow(amounts))
    assert got[:2].tolist() == [12.0, 1234.5]  # a decimal comma in the second chunk counts
    assert np.isnan(got[2]) and got[3] == -7.0 and np.isnan(got[4]) and np.isnan(got[5])
    days = pa.chunked_array([["2024-02-29", "2024-02-30"], ["31/01/2024", None]])
    parsed, order = parse_date_column(clean_arrow(days))
    assert [None if np.isnat(d) else str(d)[:10] for d in parsed] == [
        "2024-02-29",
        None,  # no 30 February: not rolled over to March
        "2024-01-31",
        None,
    ]
    assert order == "dmy"


def test_repeated_dates_are_read_once_each_and_land_on_every_cell_that_holds_them():
    import numpy as np
    import pyarrow as pa

    from kam_core.ingest.parse import date_column
    from kam_core.ingest.text import clean_arrow

    # Few distinct texts in many cells, over two chunks, with blanks, a month name, a date
    # before 1900 and a day that does not exist: each cell gets its own text's reading.
    cycle = ["2024-03-05", "05/03/2024", None, "March 2024", "1800-01-01", "2024-02-30"]
    days = pa.chunked_array([cycle * 3, cycle * 2])
    column = date_column(clean_arrow(days))
    shown = [None if np.isnat(d) else str(d)[:10] for d in column.values]
    assert shown == ["2024-03-05", "2024-03-05", None, None, None, None] * 5
    assert column.order == "dmy"
    assert column.months.tolist() == [False, False, False, True, False, False] * 5
    assert column.outside.tolist() == [False, False, False, False, True, False] * 5
    assert not column.monthly
    monthly = date_column(clean_arrow(pa.array(["Jan 2024", "Feb 2024", None] * 4)))
    assert monthly.monthly
    assert [None if np.isnat(d) else str(d)[:10] for d in monthly.values] == [
        "2024-01-01",
        "2024-02-01",
        None,
    ] * 4


def test_clean_arrow_keeps_the_cells_own_array_when_nothing_needs_trimming():
    import pyarrow as pa

    from kam_core.ingest.text import clean_arrow

    tidy = pa.chunked_array([["a", "b"], [None, "c d"]])
    assert clean_arrow(tidy) is tidy  # no copy of a column that is clean already
    messy = pa.chunked_array([[" a", "b"], ["  ", "c"]])
    assert clean_arrow(messy).to_pylist() == ["a", "b", None, "c"]


def test_direction_marks_in_amounts_and_dates_do_not_make_them_unreadable():
    # Hebrew exports leave right-to-left marks, embeddings and isolates around figures.
    amounts = text("\u200f1,000", "1,000\u200e", "\u202b1,000\u202c", "\u2067₪ 1,000\u2069", "12")
    assert list(parse_numbers(amounts)) == [1000.0, 1000.0, 1000.0, 1000.0, 12.0]
    written = text("\u200f15/03/2024", "15 במרץ\u200f 2024", "\u200e2024-03-15")
    assert [str(d.date()) for d in parse_dates(written)[0]] == ["2024-03-15"] * 3


def test_written_amounts_that_repeat_are_each_read_in_their_place():
    # Each distinct text is read once and put back in every cell that holds it.
    cells = ["₪ 1,234.50", "(2,000)", None, "₪ 1,234.50", "12", "abc", "(2,000)", "$1,234.5"]
    got = parse_numbers(pd.Series(cells * 3, dtype="str")).tolist()
    want = [1234.5, -2000.0, None, 1234.5, 12.0, None, -2000.0, 1234.5] * 3
    assert [None if v != v else v for v in got] == want


def test_dots_grouping_thousands_twice_make_every_dot_of_the_column_a_group_mark():
    # "1.234.567" proves the column groups thousands with dots: "1.234" beside it is 1,234.
    got = parse_numbers(text("1.234.567", "1.234", "12.000", None))
    assert got[:3].tolist() == [1_234_567.0, 1_234.0, 12_000.0]
    assert math.isnan(got[3])
    # Without such a cell a dot stays a decimal mark, as it is in most exports.
    assert parse_numbers(text("1.234", "12.5")).tolist() == [1.234, 12.5]


def test_a_minus_among_the_leading_signs_makes_the_amount_negative():
    got = parse_numbers(text("+-5", "-+5", "+5", "(5)", "5-", "₪ -5"))
    assert got.tolist() == [-5.0, -5.0, 5.0, -5.0, -5.0, -5.0]


def test_an_en_dash_is_a_minus_and_other_scripts_digits_are_digits():
    got = parse_numbers(text("–100.00", "₪ –1,234.50", "(–5)", "١٢٣٫٥", "۱۲۳٬۴۵۶", "１２３", "––5"))
    assert got.tolist()[:6] == [-100.0, -1234.5, -5.0, 123.5, 123456.0, 123.0]
    assert math.isnan(got.tolist()[6])  # two dashes: no sign read, as two minus signs


def test_a_dated_total_row_is_known_by_the_sum_it_closes():
    from kam_core.ingest.skipped import dated_totals

    names = pa.array(
        ["Acme", "Beta", "Total", "Gamma", "Delta", "Subtotal", "Grand Total", "Total", "Omega"]
    )
    amounts = np.array([100.0, 200.0, 300.0, 50.0, 25.005, 75.0, 375.0, 40.0, 40.0])
    got, doubtful = dated_totals([names], amounts)
    # Row 2 closes Acme and Beta, row 5 Gamma and Delta (to the cent), row 6 every row so far;
    # row 7 follows no two rows it sums: a client called Total stays a client, and is doubted.
    assert np.flatnonzero(got).tolist() == [2, 5, 6]
    assert np.flatnonzero(doubtful).tolist() == [7]
    assert not dated_totals([pa.array(["Total", "Acme"])], np.array([5.0, 5.0]))[0].any()


def test_a_subtotal_off_by_rounding_neither_is_stored_nor_hides_the_totals_after_it():
    from kam_core.ingest.skipped import dated_totals

    # Three rows of 33.33 shown, 100.00 their total (the export summed 33.333...); then a
    # month whose total is exact, and a grand total of every row, rounded the same way.
    names = pa.array(
        ["Acme", "Beta", "Total", "Acme", "Beta", "Gamma", "Total", "Acme", "Beta", "Total",
         "Grand Total"]
    )  # fmt: skip
    amounts = np.array(
        [100, 200, 300, 33.33, 33.33, 33.33, 100.00, 150, 250, 400, 800.00], dtype=float
    )
    got, doubtful = dated_totals([names], amounts)
    assert np.flatnonzero(got).tolist() == [2, 6, 9, 10]
    assert not doubtful.any()


def test_a_total_in_words_not_known_does_not_hide_the_next_total():
    from kam_core.ingest.skipped import dated_totals

    # "合计" is no total word here: it stays a sale (its amount sums the rows before it, but so
    # may a client's), and the "Total" after it closes only the rows that follow it.
    names = pa.array(["Acme", "Beta", "合计", "Acme", "Beta", "Total", "Omega", "Total"])
    amounts = np.array([100, 200, 300, 101, 201, 302, 7, 8], dtype=float)
    got, doubtful = dated_totals([names], amounts)
    assert np.flatnonzero(got).tolist() == [5]
    assert np.flatnonzero(doubtful).tolist() == [7]


def test_a_row_named_like_a_total_that_sums_nothing_is_imported_and_named_in_a_note():
    parsed = sheet_of(
        [
            ["Order Date", "Customer", "Amount"],
            ["2024-01-05", "Acme", "100"],
            ["2024-01-06", "Beta", "200"],
            ["2024-01-31", "Total", "300"],
            ["2024-02-05", "Acme", "5"],
            ["2024-02-29", "Total", "50"],
        ]
    )
    assert parsed.skipped["total"] == 1
    assert list(parsed.rows["client_name"]) == ["Acme", "Beta", "Acme", "Total"]
    assert parsed.notes == [
        "Row(s) 4 were skipped as totals: dated, the client or product reads like a total and "
        "the amount is the sum of the rows before it.",
        "Row(s) 6: the client reads like a total, but the amount is not the sum of the rows "
        "before it, so each was imported as a sale. If one is a total, undo this import, "
        "delete the row from the file and import it again.",
    ]


def test_a_client_called_total_something_keeps_its_sales_unless_one_sums_from_the_last_total():
    from kam_core.ingest.skipped import dated_totals

    # 'Total Energies' is a client: its 50 after B and C (30 + 20) is a sale, and it is not
    # doubted either. Only a sum since the last real total (or of every row) skips it.
    names = pa.array(["A", "Total Energies", "B", "C", "Total Energies", "D"])
    got, doubtful = dated_totals([names], np.array([100, 50, 30, 20, 50, 10], dtype=float))
    assert not got.any() and not doubtful.any()


def test_a_name_longer_than_any_name_rejects_its_row_and_is_shown_cut_short():
    long = "N" * 256
    parsed = sheet_of(
        [
            ["Order Date", "Customer", "Amount", "Note"],
            ["2024-01-05", "A" * 255, "1", ""],  # the bound itself is a name
            ["2024-01-06", long, "2", "x" * 5_000],
        ]
    )
    assert list(parsed.rows["client_name"]) == ["A" * 255]
    rejected = parsed.rejected.iloc[0]
    assert rejected["reason"] == (
        "client name is longer than 255 characters; no name or code is that long"
    )
    assert rejected["value"] == "N" * 200
    # The row's cells are kept for the report up to 1,000 characters, marked as cut.
    assert rejected["Customer"] == "N" * 256
    assert rejected["Note"] == "x" * 1_000 + "\u2026"


def test_amounts_whose_points_all_have_three_digits_after_them_are_read_and_noted():
    rows = [["Order Date", "Customer", "Amount"]]
    rows += [["05.01.2024", n, a] for n, a in (("A", "1.234"), ("B", "2.500"), ("C", "999"))]
    parsed = sheet_of(rows)
    assert list(parsed.rows["revenue"]) == [1.234, 2.5, 999.0]  # a point is a decimal mark
    assert parsed.notes == [
        "C (Amount): every amount with a point has three digits after it (such as '1.234'); the "
        "point was read as a decimal mark. If it groups thousands in this file, the amounts are "
        "a thousand times too small: undo the import."
    ]
    # One amount with two decimals (or a comma anywhere) settles it: no note.
    rows.append(["06.01.2024", "D", "2.50"])
    assert sheet_of(rows).notes == []
    # A currency, a bracket or a trailing minus does not hide it.
    decorated = [rows[0], *([f"0{d}.01.2024", n, a] for d, n, a in
                 ((5, "A", "₪1.500"), (6, "B", "(2.500)"), (7, "C", "3.250-")))]  # fmt: skip
    assert "three digits after it (such as '₪1.500')" in sheet_of(decorated).notes[0]


def test_a_name_written_with_separate_accents_counts_its_letters_against_the_bound():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "é" * 200)  # 400 code points, 200 letters
    parsed = sheet_of([["Order Date", "Customer", "Amount"], ["2024-01-05", decomposed, "1"]])
    assert len(parsed.rows) == 1 and parsed.rejected.empty


def test_with_both_decimal_marks_in_a_column_only_amounts_that_read_either_way_are_not_read():
    # A colleague typed '1,5' into a column whose '1,234.50' shows commas grouping thousands:
    # every '2,000' was read as 2.0 (a thousand times too small) without a word. Now each
    # amount that reads one way only is read so; '2,000' (2 or 2,000) is not read at all.
    read = parse_numbers(text("1,234.50", "2,000", "15,000", "1,5", "3,250", "$1,234", "7.25"))
    assert [v for v in read.tolist() if not math.isnan(v)] == [1234.5, 1.5, 7.25]
    assert read.isna().tolist() == [False, True, True, False, True, True, False]
    read = parse_numbers(text("2.500", "0,50", "1,234.50", "1.234.567", "0,500"))
    assert read.isna().tolist() == [True, False, False, False, False]
    assert read.dropna().tolist() == [0.5, 1234.5, 1234567.0, 0.5]


def test_a_value_starting_with_zero_comma_is_a_decimal_comma():
    # '0,500' cannot group thousands (no group starts with 0): the column's commas are decimal.
    assert parse_numbers(text("0,500", "1,750", "2,250")).tolist() == [0.5, 1.75, 2.25]
    assert parse_numbers(text("1,250", "10,500")).tolist() == [1250.0, 10500.0]


def test_ids_written_with_direction_marks_full_width_or_no_break_spaces_are_one_client():
    ids = ["C1", "\u200fC1", "C1\u200e", "\u202bC1\u202c", "\u2067C1\u2069", "Ｃ１", "C1\u00a0"]
    assert parse_ids(text(*ids)).tolist() == ["C1"] * len(ids)
    assert parse_ids(text("אב-12\u200f", "00123")).tolist() == ["אב-12", "00123"]


def test_a_name_loses_direction_overrides_that_would_show_it_reversed():
    from kam_core.ingest.parse import clean_name

    assert clean_name(text("\u202eAcme\u202c", "שלום\u2069")).tolist() == ["Acme", "שלום"]


def test_two_minus_signs_are_not_read_as_one():
    assert math.isnan(one_number("--5"))
    assert math.isnan(one_number("−-5"))
    assert one_number("+-5") == -5.0 and one_number("-(5)") == -5.0


def test_client_keys_of_a_slice_of_large_text_are_the_names_own():
    # A slice converted from large_string starts its offsets past 0: ascii_lower misread it
    # ('Acme' gave 'cmeb').
    sliced = pa.array(["x", "Acme", "Beta", "Gamma", "École"], pa.large_string()).slice(1)
    assert client_key(pd.Series(sliced, dtype="str")).tolist() == ["acme", "beta", "gamma", "école"]


def test_only_nuls_padding_an_amount_are_dropped():
    assert one_number("100\x00\x00") == 100.0
    assert math.isnan(one_number("1\x0023"))  # a NUL inside is no padding: not read as 123
    assert math.isnan(one_number("5--"))


def test_compatibility_forms_are_read_only_in_ids_holding_full_width_letters():
    assert parse_ids(text("A²", "A2", "Ａ２")).tolist() == ["A²", "A2", "A2"]
    # A database whose ids were stored as written reads them so (meta name_keys below 3).
    assert parse_ids(text("\u200fC1", "'00123"), plain_ids=False).tolist() == ["\u200fC1", "'00123"]


def test_a_semicolon_file_reads_amounts_that_do_not_show_their_mark_with_a_decimal_comma():
    from kam_core.ingest.parse import numbers

    cells = pa.array(["1,750", "12.000", "300"])
    assert numbers(cells, comma_default=True).tolist() == [1.75, 12000.0, 300.0]
    # A point with two decimals shows the mark: the column is read with a decimal point.
    assert numbers(pa.array(["1.234", "2.50"]), comma_default=True).tolist() == [1.234, 2.5]


def test_one_of_each_mark_before_three_digits_rejects_both_rather_than_guess():
    from kam_core.ingest.parse import decimal_marks_mixed, numbers

    got = numbers(pa.array(["1,750", "12.000", "300"]))
    assert math.isnan(got[0]) and math.isnan(got[1]) and got[2] == 300.0
    assert decimal_marks_mixed(pa.array(["1,750", "12.000", "300"])) == ("1,750", "12.000")
    assert decimal_marks_mixed(pa.array(["1,750", "12.000"]), comma_default=True) is None


@pytest.mark.parametrize(
    "label",
    [
        "סכום כולל",
        "Gesamtergebnis",
        "Totale complessivo",
        "Eindtotaal",
        "Suma końcowa",
        "Totals Q1",
    ],
)
def test_a_pivot_table_s_grand_total_in_other_languages_is_a_total(label):
    from kam_core.ingest.skipped import dated_totals

    names = pa.array(["Acme", "Beta", "Gamma", label])
    got, _doubtful = dated_totals([names], np.array([100.5, 200.0, 300.0, 600.5]))
    assert np.flatnonzero(got).tolist() == [3]


def test_an_amount_ending_in_its_decimal_point_and_a_fraction_below_one_are_read():
    from kam_core.ingest.parse import numbers

    assert numbers(pa.array(["100.", "2.50"])).tolist() == [100.0, 2.5]
    # Beside '1,234.50' and a typed '1,5', '0.001' reads one way only: no group starts with 0.
    assert numbers(pa.array(["1,234.50", "1,5", "0.001"])).tolist() == [1234.5, 1.5, 0.001]


def test_a_comma_before_three_digits_in_every_amount_of_a_semicolon_file_is_noted():
    from kam_core.ingest.parse import thousands_in_doubt

    assert thousands_in_doubt(pa.array(["1,234", "12,500", "100"]), ",") == "1,234"
    assert thousands_in_doubt(pa.array(["1,234", "12,50"]), ",") is None
    assert thousands_in_doubt(pa.array(["1.234", "2.500"])) == "1.234"


def test_a_point_before_three_digits_is_told_past_the_first_cells_of_a_long_column():
    from kam_core.ingest.parse import thousands_in_doubt

    three = ["1.500", "(2.250)", None, "₪3.000"] * 2_000  # 8,000 cells, past the first 4,096
    assert thousands_in_doubt(pa.array(three)) == "1.500"
    # One amount with two decimals settles the column wherever it is: first, last or between.
    for at in (0, 4_095, 4_096, len(three)):
        assert thousands_in_doubt(pa.array([*three[:at], "2.50", *three[at:]])) is None
    # A ';' file's commas likewise; no point (or comma) at all is no doubt either.
    assert thousands_in_doubt(pa.array(["1,500", "2,250"] * 3_000), ",") == "1,500"
    assert thousands_in_doubt(pa.array(["1,500"] * 5_000 + ["2,5"]), ",") is None
    assert thousands_in_doubt(pa.array(["1500", "2250"] * 3_000)) is None
    assert thousands_in_doubt(pa.array(["1.500", "2.250"] * 3_000), ",") is None


def test_a_column_of_two_decimals_is_cleared_of_doubt_on_its_first_cells(monkeypatch):
    import pyarrow.compute as pc

    from kam_core.ingest import parse

    trimmed: list[int] = []
    rtrim = pc.utf8_rtrim

    def counted(arr, *args, **kwargs):
        trimmed.append(len(arr))
        return rtrim(arr, *args, **kwargs)

    monkeypatch.setattr(parse.pc, "utf8_rtrim", counted)
    amounts = pa.array([f"{i % 900 + 100}.{i % 90 + 10}" for i in range(200_000)])
    assert parse.thousands_in_doubt(amounts) is None
    # Two passes over 200,000 amounts before: the first 4,096 cells decide it now.
    assert trimmed and max(trimmed) <= 4_096


def test_dates_written_with_their_times_are_the_dates_written():
    values = text(
        "01/02/2024 00:00:31",
        "01/02/2024 23:59:59",
        "2024-03-31 23:30:00 -0500",
        "Sun, 04 Feb 2024 10:00:00",
        "05/02/2024 10:00 AM",
        "12:00",
    )
    result = parse_dates(values)[0]
    read = result.astype(str).tolist()
    assert read[:5] == ["2024-02-01", "2024-02-01", "2024-03-31", "2024-02-04", "2024-02-05"]
    assert pd.isna(result.iloc[5])  # a time alone is no date


def test_a_long_column_of_repeating_clients_is_searched_for_totals_once_per_client(monkeypatch):
    import pyarrow.compute as pc

    from kam_core.ingest import skipped
    from kam_core.ingest.skipped import dated_totals

    # 200 blocks of 499 sales of 1.00 to 30 clients (and a cell left empty), each closed by a
    # total of its 499 amounts, written 'Total', 'TOTAL' or 'סה"כ', in chunks as a file reads.
    names, amounts, totals = [], [], []
    for block in range(200):
        for i in range(499):
            names.append(None if i == 7 else f"Client {(block + i) % 30}")
            amounts.append(1.0)
        totals.append(len(names))
        names.append(("Total", "TOTAL", 'סה"כ')[block % 3])
        amounts.append(499.0)
    column = pa.chunked_array([pa.array(names[:40_000]), pa.array(names[40_000:])])
    seen = []
    regex = pc.match_substring_regex

    def counted(cells, *args, **kwargs):
        seen.append(len(cells))
        return regex(cells, *args, **kwargs)

    monkeypatch.setattr(pc, "match_substring_regex", counted)
    got, doubtful = dated_totals([column], np.array(amounts))
    assert np.flatnonzero(got).tolist() == totals
    assert not doubtful.any()
    assert seen == [33]  # 30 clients and 3 labels, not 100,000 cells
    # An order number per line is searched cell by cell: encoding it would cost more.
    orders = pa.array([f"SO-{i}" for i in range(100_000)])
    assert not len(skipped._hinted(orders))
    assert seen[1:] == [100_000]
