"""The Upload page shows what the rows already stored decided: the order of day and month a
file was read in (a pick still wins), and the new clients taken as stored ones by their sales."""

from __future__ import annotations

import duckdb

from kam_core.importing import import_file
from kam_core.store import connect
from tests.integration.test_clients_by_sales import TOTAL, names_csv, priority_csv
from tests.support.apptest import app_at, texts
from ui.text import esc

CSV = "text/csv"
# Stored from one system in ISO dates: 5 Jan, 12 Mar, 1 May, 3 Jun 2024; 1,000 in all.
STORED = "Date,Client ID,Amount\n2024-01-05,C1,100\n2024-03-12,C2,200\n2024-05-01,C1,300\n"
STORED += "2024-06-03,C2,400\n"
# The same sales from a US system, month first, every part 12 or less: read day first they
# are 1 May, 3 Dec, 5 Jan, 6 Mar.
US = "Date,Client ID,Amount\n01/05/2024,C1,100\n03/12/2024,C2,200\n05/01/2024,C1,300\n"
US += "06/03/2024,C2,400\n"


def _store(path, name: str, data: bytes) -> None:
    conn = connect(path)
    try:
        import_file(conn, data, name)
    finally:
        conn.close()


def _stored_days(path) -> list[str]:
    conn = duckdb.connect(str(path))
    try:
        rows = conn.execute("SELECT DISTINCT CAST(order_date AS VARCHAR) FROM sales ORDER BY 1")
        return [r[0] for r in rows.fetchall()]
    finally:
        conn.close()


def _order(at):
    return next(r for r in at.radio if r.label == "Dates such as 03/04/2024 are")


def test_the_order_the_stored_rows_decided_is_the_order_shown(fresh_db):
    _store(fresh_db, "erp.csv", STORED.encode())
    at = app_at("upload")
    at.file_uploader[0].set_value(("us.csv", US.encode(), CSV))
    at.run()
    assert not at.exception
    assert _order(at).value == "month"  # it showed "day first" while reading month first
    assert esc("They were read month first.") in texts(at)
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    # Every row is a stored one: the four days of the ISO export, nothing more.
    assert _stored_days(fresh_db) == ["2024-01-05", "2024-03-12", "2024-05-01", "2024-06-03"]


def test_a_pick_of_day_first_wins_over_the_stored_rows(fresh_db):
    _store(fresh_db, "erp.csv", STORED.encode())
    at = app_at("upload")
    at.file_uploader[0].set_value(("us.csv", US.encode(), CSV))
    at.run()
    _order(at).set_value("day")
    at.run()
    assert _order(at).value == "day"
    assert esc("They were read month first.") not in texts(at)
    at.run()  # and it stays picked on the next run
    assert _order(at).value == "day"
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    # Read day first: 1 May, 3 Dec, 5 Jan, 6 Mar beside the four stored days.
    assert "2024-12-03" in _stored_days(fresh_db)


def test_an_ambiguous_file_into_an_empty_database_shows_day_first(fresh_db):
    at = app_at("upload")
    at.file_uploader[0].set_value(("us.csv", US.encode(), CSV))
    at.run()
    assert _order(at).value == "day"


def test_the_page_names_the_new_clients_taken_as_stored_ones_before_the_import(fresh_db, tmp_path):
    first = priority_csv(tmp_path / "priority.csv")
    _store(fresh_db, first.name, first.read_bytes())
    third = names_csv(tmp_path / "names.csv")
    at = app_at("upload")
    at.file_uploader[0].set_value((third.name, third.read_bytes(), CSV))
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "3 clients new to the database have" in shown
    assert esc('Acme Ltd as 100001 (אקמה בע"מ)') in shown
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    conn = duckdb.connect(str(fresh_db))
    try:
        total = conn.execute("SELECT round(sum(revenue), 2) FROM sales").fetchone()[0]
    finally:
        conn.close()
    assert float(total) == TOTAL  # 10,156.40: the quarter once, with the new rows


def test_the_page_says_which_lines_without_an_order_number_correct_stored_ones(fresh_db, tmp_path):
    from tests.integration.test_overlap_amended_day import LATER, MAY, MAY_TOTAL, _csv

    first = _csv(tmp_path / "may.csv", MAY)
    _store(fresh_db, first.name, first.read_bytes())
    later = _csv(tmp_path / "may_again.csv", LATER)
    at = app_at("upload")
    at.file_uploader[0].set_value((later.name, later.read_bytes(), CSV))
    at.run()
    assert not at.exception
    assert esc("(such as Delta on 04/05/2025: 130.00 stored, 145.00 in this file)") in texts(at)
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    conn = duckdb.connect(str(fresh_db))
    try:
        total = conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0]
    finally:
        conn.close()
    assert float(total) == MAY_TOTAL  # 3,900, not 4,225


def test_month_first_picked_for_dates_that_say_day_first_is_refused_and_can_be_picked_back(
    fresh_db,
):
    # The due dates leave the order open (the choice is shown); the order dates say day first.
    day_first = "Date,Due Date,Client ID,Amount\n25/03/2024,01/04/2024,C1,100\n"
    day_first += "05/03/2024,02/04/2024,C1,200\n"
    at = app_at("upload")
    at.file_uploader[0].set_value(("eu.csv", day_first.encode(), CSV))
    at.run()
    assert _order(at).value == "day"
    _order(at).set_value("month")
    at.run()
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert esc("(05/03/2024 as 3 May 2024)") in said
    assert not [b for b in at.button if b.label == "Import"]
    _order(at).set_value("day")
    at.run()
    assert not at.error
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert _stored_days(fresh_db) == ["2024-03-05", "2024-03-25"]
