"""Amounts far out of line with the rest of a file are imported and named in a note."""

from __future__ import annotations

import pandas as pd

from kam_core.importing import import_file
from kam_core.ingest.outliers import out_of_line, out_of_time
from kam_core.store import connect


def _rows(amounts: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"revenue": amounts, "source_row": range(2, len(amounts) + 2)})


def test_a_typo_of_many_zeros_is_named_with_its_row_and_figures():
    # 29 lines of 1,000.00 and 1,000.00 typed as 10,000,000: 10,000 times the median line,
    # 10,000,000 / 10,029,000 = 99.7% of the revenue.
    note = out_of_line(_rows([1000.0] * 15 + [10_000_000.0] + [1000.0] * 14))
    assert note == (
        "Revenue far out of line with the rest of the file (row 17: 10,000,000.00): 10,000 times "
        "the median line (1,000.00), 99.7% of the file's revenue. It is imported as written; "
        "if it is a typo, correct the row in the file and upload it again (after an import, "
        "undo it first)."
    )


def test_a_large_order_among_ordinary_ones_is_left_be():
    assert out_of_line(_rows([1000.0] * 40 + [500_000.0])) is None  # 500 times the median


def test_a_far_line_that_barely_moves_the_total_is_left_be():
    # 1,500 times the median, but 150,000 of 2,150,000: 7% of the revenue.
    assert out_of_line(_rows([100.0] * 20_000 + [150_000.0])) is None


def test_a_few_lines_say_nothing_about_each_other():
    assert out_of_line(_rows([10.0] * 10 + [1_000_000.0])) is None


def test_a_return_far_out_of_line_counts_by_its_size():
    note = out_of_line(_rows([50.0] * 30 + [-5_000_000.0]))
    assert note is not None and "row 32: -5,000,000.00" in note


def test_the_import_reports_it_among_its_notes(tmp_path):
    lines = ["Date,Client,Revenue"] + [
        f"2024-01-{1 + i % 28:02d},C{i % 5},{100 + i}" for i in range(40)
    ]
    lines.insert(21, "2024-01-15,C3,98765432.10")  # row 22 of the file
    conn = connect(str(tmp_path / "kam.duckdb"))
    try:
        counts, parsed, _pre = import_file(conn, ("\n".join(lines) + "\n").encode(), "q.csv")
    finally:
        conn.close()
    assert counts.rows_imported == 41
    assert any("row 22: 98,765,432.10" in note for note in parsed.notes)


def _dated(dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"order_date": pd.to_datetime(dates), "source_row": range(2, len(dates) + 2)}
    )


def test_a_year_typed_ten_years_back_is_named_with_the_files_own_span():
    dates = [f"2026-{1 + i % 6:02d}-{1 + i % 28:02d}" for i in range(40)]
    dates[9] = "2016-03-15"  # row 11; the others from 1 January to 24 June (i = 23)
    note = out_of_time(_dated(dates))
    assert note == (
        "Dated more than a year apart from every other row of the file (row 11: 15/03/2016; the "
        "others from 01/01/2026 to 24/06/2026). They are imported as written; if a date is a "
        "typo, correct the row in the file and upload it again (after an import, undo it "
        "first)."
    )


def test_two_years_with_a_quiet_year_between_are_two_periods():
    dates = [f"2022-{1 + i % 12:02d}-01" for i in range(30)] + [
        f"2024-{1 + i % 12:02d}-01" for i in range(30)
    ]
    assert out_of_time(_dated(dates)) is None


def test_a_late_row_after_an_old_file_is_named_too():
    dates = [f"2019-{1 + i % 12:02d}-05" for i in range(30)] + ["2025-02-01"]
    note = out_of_time(_dated(dates))
    assert note is not None and "row 32: 01/02/2025" in note
