"""A re-export of a month without order numbers, two of its lines with their amounts corrected:
the corrected lines are said and skipped (kept on request), not added beside the old ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kam_core.importing import describe_amended, import_file
from kam_core.store import connect
from kam_core.store.sales import undo_upload

CLIENTS = ["Acme", "Beta", "Gamma", "Delta"]
# May 2025, a line a day: day k (1..20) of client k % 4, amount 100 + 10 (k - 1).
MAY = [(dt.date(2025, 5, k), CLIENTS[(k - 1) % 4], 100.0 + 10 * (k - 1)) for k in range(1, 21)]
MAY_TOTAL = 3900.0  # 20 x 100 + 10 x (0 + 1 + ... + 19) = 2,000 + 1,900
# The later export: 4 May's Delta 130 became 145, 11 May's Gamma 200 became 180.
LATER = [(d, c, a + 15 if d.day == 4 else a - 20 if d.day == 11 else a) for d, c, a in MAY]
LATER_TOTAL = 3895.0  # 3,900 + 15 - 20


def _csv(path: Path, rows) -> Path:
    lines = ["Date,Customer,Amount"] + [f"{d:%Y-%m-%d},{c},{a:.2f}" for d, c, a in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(conn, path: Path, duplicates: str = "skip"):
    return import_file(conn, path.read_bytes(), path.name, duplicates=duplicates)[0]


def _total(conn) -> float:
    return round(float(conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0]), 2)


def test_corrected_lines_without_an_order_number_are_said_and_not_added(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        first = _import(conn, _csv(tmp_path / "may.csv", MAY))
        later = _csv(tmp_path / "may_again.csv", LATER)
        counts = _import(conn, later)
        assert (counts.rows_imported, counts.rows_duplicate) == (0, 18)
        assert counts.rows_probable_duplicate == 2
        # It was 4,225: the corrected 145 and 180 beside the stored 130 and 200.
        assert _total(conn) == MAY_TOTAL
        said = describe_amended(counts.overlap)
        assert "Delta on 04/05/2025: 130.00 stored, 145.00 in this file" in said
        assert f"undo import {first.upload_id}" in said
        # As the note says, to take the file's amounts: undo the first, import this one.
        undo_upload(conn, first.upload_id)
        _import(conn, later)
        assert _total(conn) == LATER_TOTAL
    finally:
        conn.close()


def test_kept_both_amounts_count(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, _csv(tmp_path / "may.csv", MAY))
        counts = _import(conn, _csv(tmp_path / "may_again.csv", LATER), duplicates="keep")
        assert counts.rows_imported == 2
        assert _total(conn) == MAY_TOTAL + 145.0 + 180.0
    finally:
        conn.close()


def test_a_second_sale_on_a_day_whose_stored_line_the_file_repeats_is_new(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, _csv(tmp_path / "may.csv", MAY))
        more = [*MAY, (dt.date(2025, 5, 1), "Acme", 55.0)]
        counts = _import(conn, _csv(tmp_path / "may_more.csv", more))
        assert (counts.rows_imported, counts.rows_probable_duplicate) == (1, 0)
        assert _total(conn) == MAY_TOTAL + 55.0
    finally:
        conn.close()


def test_a_month_mostly_new_keeps_a_line_of_another_amount_on_a_stored_day(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, _csv(tmp_path / "one.csv", MAY[:1]))  # Acme 100 on 1 May
        # Another system's May: Acme 120 on 1 May and 19 lines of other days, none stored.
        other = [(dt.date(2025, 5, 1), "Acme", 120.0)] + [(d, c, a + 1) for d, c, a in MAY[1:]]
        counts = _import(conn, _csv(tmp_path / "other.csv", other))
        assert (counts.rows_imported, counts.rows_probable_duplicate) == (20, 0)
    finally:
        conn.close()
