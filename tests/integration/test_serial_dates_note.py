"""Figures alone in a date column are read as Excel day numbers, and the import says so."""

from __future__ import annotations

from kam_core.i18n import strip_isolates, use_language
from kam_core.importing import import_file
from kam_core.store import connect

HEADER = b"Order Date,Customer,Amount\n"


def _import(tmp_path, body: bytes, lang: str = "en"):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        with use_language(lang):
            counts, parsed, pre = import_file(conn, HEADER + body, "sales.csv")
            notes = [strip_isolates(n) for n in [*pre.book.notes, *parsed.notes]]
        dates = [
            str(d) for (d,) in conn.execute("SELECT order_date FROM sales ORDER BY 1").fetchall()
        ]
    finally:
        conn.close()
    return counts, notes, dates


def test_a_column_of_day_numbers_is_read_and_noted_with_one_worked_out(tmp_path):
    # 45123 days after 30 Dec 1899 (Excel's day 0, its 1900 leap day included) is 16 Jul 2023.
    counts, notes, dates = _import(tmp_path, b"45123,Acme,10\n45124,Beta,20\n")
    assert counts.rows_imported == 2
    assert dates == ["2023-07-16", "2023-07-17"]
    said = [n for n in notes if "Excel day numbers" in n]
    assert said == [
        "A (Order Date): numbers such as '45123' were read as Excel day numbers "
        "('45123' is 16 Jul 2023)."
    ]


def test_a_day_number_among_written_dates_is_noted_too(tmp_path):
    _, notes, dates = _import(tmp_path, b"2024-01-05,Acme,10\n45124,Beta,20\n")
    assert dates == ["2023-07-17", "2024-01-05"]
    assert any("'45124' were read as Excel day numbers" in n for n in notes)


def test_written_dates_and_months_say_nothing_of_day_numbers(tmp_path):
    _, notes, _ = _import(tmp_path, b"2024-01-05,Acme,10\n06/01/2024,Beta,20\n")
    assert not any("day numbers" in n for n in notes)


def test_the_note_in_hebrew(tmp_path):
    _, notes, _ = _import(tmp_path, b"45123,Acme,10\n", lang="he")
    assert any("נקראו כמספרי ימים של Excel" in n for n in notes)
