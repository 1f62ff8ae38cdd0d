"""Importing files whose dates are written with month names, and a monthly export, end to end."""

from __future__ import annotations

import datetime as dt

from kam_core.importing import import_file

HEBREW_HEADER = ["תאריך הזמנה", "לקוח", "סכום"]
HEBREW_ROWS = [
    ["15 במרץ 2024", "אקמה", "100"],
    ["יום ו׳, 15 במרץ 2024", "אקמה", "20"],  # 15 March 2024 was a Friday (יום ו׳)
    ["3 בינו׳ 2024", "בטא", "50"],
    ["29 בפברואר 2024", "בטא", "70"],  # a leap day
    ["31 בפברואר 2024", "גמא", "5"],  # no such day: rejected
    ["מרץ 2024", "גמא", "9"],  # a month among full dates: rejected with its own reason
    ["1 мая 2024 г.", "גמא", "30"],
]
# What the rows above must become, worked out by hand: (date, client, amount, source row).
HEBREW_STORED = [
    (dt.date(2024, 1, 3), "בטא", 50.0, 4),
    (dt.date(2024, 2, 29), "בטא", 70.0, 5),
    (dt.date(2024, 3, 15), "אקמה", 100.0, 2),
    (dt.date(2024, 3, 15), "אקמה", 20.0, 3),
    (dt.date(2024, 5, 1), "גמא", 30.0, 8),
]
HEBREW_REJECTED = [
    [6, "31 בפברואר 2024", "order date is not a date"],
    [
        7,
        "מרץ 2024",
        "order date names a month without a day, while the column's other dates have days",
    ],
]


def stored(conn) -> list[tuple]:
    return conn.execute(
        """SELECT order_date, client_name, revenue, source_row FROM sales
           ORDER BY order_date, source_row"""
    ).fetchall()


def run(conn, path):
    return import_file(conn, path.read_bytes(), path.name)


def test_a_csv_with_hebrew_month_names_stores_each_day_and_explains_each_refusal(conn, make_csv):
    counts, parsed, _pre = run(conn, make_csv([HEBREW_HEADER, *HEBREW_ROWS]))
    assert stored(conn) == HEBREW_STORED
    assert parsed.rejected[["row", "value", "reason"]].values.tolist() == HEBREW_REJECTED
    assert counts.rows_imported == 5 and counts.rows_rejected == 2
    assert parsed.notes == []


def test_a_workbook_with_hebrew_month_names_as_text_is_read_like_the_csv(conn, make_xlsx):
    counts, parsed, _pre = run(conn, make_xlsx({"מכירות": [HEBREW_HEADER, *HEBREW_ROWS]}))
    assert stored(conn) == HEBREW_STORED
    assert parsed.rejected[["row", "value", "reason"]].values.tolist() == HEBREW_REJECTED
    assert counts.rows_imported == 5


def test_a_monthly_export_stores_first_days_and_says_so(conn, make_csv):
    rows = [
        ["Order Date", "Customer", "Amount"],
        ["Jan-24", "Acme", "1000"],  # Excel's mmm-yy, as a CSV export writes it
        ["Feb-24", "Acme", "1200"],
        ["מרץ 2024", "Beta", "300"],
        ["2024-04", "Beta", "310"],
        ["05/2024", "Acme", "900"],
    ]
    counts, parsed, _pre = run(conn, make_csv(rows))
    assert stored(conn) == [
        (dt.date(2024, 1, 1), "Acme", 1000.0, 2),
        (dt.date(2024, 2, 1), "Acme", 1200.0, 3),
        (dt.date(2024, 3, 1), "Beta", 300.0, 4),
        (dt.date(2024, 4, 1), "Beta", 310.0, 5),
        (dt.date(2024, 5, 1), "Acme", 900.0, 6),
    ]
    assert counts.rows_rejected == 0
    assert parsed.notes == [
        "A (Order Date): the dates name a month without a day (a monthly export); "
        "each is stored as the first day of its month."
    ]


MONTHLY = [
    ["Order Date", "Customer", "Amount"],
    ["Jan-24", "Acme", "1000"],
    ["Feb-24", "Beta", "5"],
]
MONTHLY_NOTE = "stored as the first day of its month"


def test_the_command_line_reports_the_monthly_note_in_text_and_json(tmp_path, make_csv, capsys):
    import json

    from tests.integration.commands import kam_here

    path = make_csv(MONTHLY)
    code, out, _err = kam_here(capsys, tmp_path / "text.duckdb", "import", path)
    assert code == 0 and MONTHLY_NOTE in out
    code, out, _err = kam_here(capsys, tmp_path / "json.duckdb", "import", path, "--json")
    assert code == 0
    notes = json.loads(out.strip().splitlines()[-1])["notes"]
    assert any(MONTHLY_NOTE in note for note in notes), notes
