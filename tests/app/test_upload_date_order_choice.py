"""The Upload page asks for the order of day and month only where the file's dates leave it
open (every part 12 or less, none deciding); where the dates decide it, or are ISO, the choice
changes nothing and is not shown."""

from __future__ import annotations

import duckdb

from tests.support.apptest import app_at, texts

CSV = "text/csv"
LABEL = "Dates such as 03/04/2024 are"


def _choice(at):
    return next((r for r in at.radio if r.label == LABEL), None)


def _upload(name: str, text: str):
    at = app_at("upload")
    at.file_uploader[0].set_value((name, text.encode(), CSV))
    at.run()
    assert not at.exception
    return at


def _import(at) -> None:
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception


def _stored_days(path) -> list[str]:
    conn = duckdb.connect(str(path))
    try:
        rows = conn.execute("SELECT CAST(order_date AS VARCHAR) FROM sales ORDER BY 1")
        return [r[0] for r in rows.fetchall()]
    finally:
        conn.close()


def test_an_iso_file_shows_no_choice(fresh_db):
    at = _upload("iso.csv", "Date,Client ID,Amount\n2025-04-01,C1,100\n2025-01-02,C2,200\n")
    assert _choice(at) is None
    _import(at)
    assert _stored_days(fresh_db) == ["2025-01-02", "2025-04-01"]


def test_an_ambiguous_file_shows_the_choice_read_day_first(fresh_db):
    at = _upload("eu.csv", "Date,Client ID,Amount\n01/02/2025,C1,100\n03/04/2025,C2,200\n")
    assert _choice(at).value == "day"
    assert "no date in the column tells whether the day or the month comes first" in texts(at)
    _import(at)
    assert _stored_days(fresh_db) == ["2025-02-01", "2025-04-03"]  # 1 Feb, 3 Apr


def test_month_first_picked_for_an_ambiguous_file_is_honoured(fresh_db):
    at = _upload("us.csv", "Date,Client ID,Amount\n01/02/2025,C1,100\n03/04/2025,C2,200\n")
    _choice(at).set_value("month")
    at.run()
    assert _choice(at).value == "month"
    assert not at.error
    _import(at)
    assert _stored_days(fresh_db) == ["2025-01-02", "2025-03-04"]  # 2 Jan, 4 Mar


def test_a_file_whose_dates_say_day_first_shows_no_choice_and_reads_day_first(fresh_db):
    # 25/03/2024 can only be 25 March: 05/03/2024 is the 5th of March too.
    at = _upload("eu.csv", "Date,Client ID,Amount\n25/03/2024,C1,100\n05/03/2024,C1,200\n")
    assert _choice(at) is None
    _import(at)
    assert _stored_days(fresh_db) == ["2024-03-05", "2024-03-25"]


def test_a_file_whose_dates_say_month_first_shows_no_choice_and_reads_month_first(fresh_db):
    # 04/13/2024 can only be 13 April: 04/05/2024 is the 5th of April too.
    at = _upload("us.csv", "Date,Client ID,Amount\n04/13/2024,C1,100\n04/05/2024,C1,200\n")
    assert _choice(at) is None
    _import(at)
    assert _stored_days(fresh_db) == ["2024-04-05", "2024-04-13"]


def test_an_open_second_date_column_shows_the_choice(fresh_db):
    # The order dates decide day first; the due dates alone would leave it open.
    text = "Date,Due Date,Client ID,Amount\n25/03/2024,01/04/2024,C1,100\n"
    at = _upload("eu.csv", text + "05/03/2024,02/04/2024,C1,200\n")
    assert _choice(at).value == "day"
