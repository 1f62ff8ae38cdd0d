"""Text files of a twenty-fourth round: Unix times among written dates (each row rejected as
not a date, the column being read as Unix times only where every cell is one), figures after a
direction override (shown reversed, stored in the order written: '\u202e0021' shows 1200 and
was stored as 21)."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from tests.hostile.round24_fuzz_cases import REVERSED, UNIX_AMONG_WRITTEN


def _dated(conn) -> list[tuple[str, str, float]]:
    return conn.execute(
        "SELECT client_name, order_date::VARCHAR, revenue FROM sales ORDER BY source_row"
    ).fetchall()


def test_unix_times_among_written_dates_are_read_each_as_its_day_in_utc(conn):
    counts, parsed, _pre = import_file(conn, UNIX_AMONG_WRITTEN, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    # By hand: 1704448800 is 2024-01-05 10:00 UTC, 1704585599000 ms 2024-01-06 23:59:59 UTC.
    assert _dated(conn) == [
        ("Acme", "2024-01-05", 1200.0),
        ("Beta", "2024-01-05", 800.0),
        ("Gamma", "2024-01-06", 300.0),
        ("Delta", "2024-01-07", 50.0),
    ]
    assert any(
        "2 dates among the written ones are Unix times" in note and "1704448800" in note
        for note in parsed.notes
    )


@pytest.mark.parametrize(
    "odd",
    ["0946684799", "9999999999", "17044488001", "45296.5x"],
    ids=["before 2000", "past next year", "eleven digits", "not a number"],
)
def test_other_numbers_among_written_dates_stay_no_date(conn, odd):
    data = f"Date,Client,Amount\n2024-01-05,Acme,1200\n{odd},Beta,800\n".encode()
    counts, parsed, _pre = import_file(conn, data, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)
    rejected = parsed.rejected.iloc[0]
    assert rejected["value"] == odd
    assert "not a date" in rejected["reason"] or "outside" in rejected["reason"]


def test_figures_after_a_direction_override_are_rejected_not_stored_reversed(conn):
    counts, parsed, _pre = import_file(conn, REVERSED, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 2)
    # By hand: Gamma's 1,200 (an embedding keeps the figures' order) and Delta's 5.
    assert _dated(conn) == [("Gamma", "2024-01-07", 1200.0), ("Delta", "2024-01-08", 5.0)]
    rejected = parsed.rejected.set_index("row")
    assert rejected.loc[2, "value"] == "\u202e0021"
    assert rejected.loc[2, "reason"] == "revenue is not an amount"
    assert rejected.loc[3, "value"] == "\u202e50/10/4202"
    assert rejected.loc[3, "reason"] == "order date is not a date"
