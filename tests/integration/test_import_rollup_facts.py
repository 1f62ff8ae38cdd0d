"""Client facts take each attribute's latest non-null value: (day, upload, source row) order."""

from __future__ import annotations

import datetime as dt

from kam_core.store.rollup import refresh_rollup

D1, D2 = dt.date(2024, 1, 5), dt.date(2024, 1, 9)


def _insert(conn, rows: list[tuple]) -> None:
    """rows: (key, upload, source row, date, client, name, manager)."""
    conn.executemany(
        "INSERT INTO sales (row_key, upload_id, source_row, order_date, client_id, client_name, "
        "manager, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, 1.0)",
        rows,
    )


def _facts(conn) -> dict[str, tuple]:
    got = conn.execute(
        "SELECT client_id, client_name, manager, first_date, last_date, n_rows FROM client_facts"
    ).fetchall()
    return {row[0]: row[1:] for row in got}


def test_one_upload_the_later_day_then_the_later_row_wins_and_nulls_are_passed_over(conn):
    _insert(
        conn,
        [
            (1, 1, 9, D1, "C1", "Old name", "Dana"),  # an earlier day, a later row
            (2, 1, 3, D2, "C1", "New name", None),  # the latest day: its name, no manager
            (3, 1, 2, D2, "C1", "Same day, earlier row", "Eli"),
            (4, 1, 7, D1, "C2", "Beta", None),
            (5, 1, 8, D1, "C2", None, "Noa"),  # same day, later row: manager only
        ],
    )
    refresh_rollup(conn)
    assert _facts(conn) == {
        "C1": ("New name", "Eli", D1, D2, 3),
        "C2": ("Beta", "Noa", D1, D1, 2),
    }


def test_two_uploads_on_one_day_the_later_upload_wins_whatever_its_row(conn):
    _insert(
        conn,
        [
            (1, 1, 900, D1, "C1", "First upload", "Dana"),
            (2, 2, 5, D1, "C1", "Second upload", None),
            (3, 1, 2, D2, "C2", "Only one", "Eli"),
        ],
    )
    refresh_rollup(conn)
    assert _facts(conn) == {
        "C1": ("Second upload", "Dana", D1, D1, 2),
        "C2": ("Only one", "Eli", D2, D2, 1),
    }
