"""A US export of a quarter already stored: the stored rows decide the order of day and month
where every date of the file reads both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.store import connect

# Six invoices, every day 12 or less, so each US date (month first) also reads day first.
SALES = [
    ("2024-01-05", "01/05/2024", "1001", "Acme Ltd", 1234.50),
    ("2024-01-09", "01/09/2024", "1002", "Beta Works", 980.00),
    ("2024-02-03", "02/03/2024", "1003", "Acme Ltd", 2500.00),
    ("2024-02-11", "02/11/2024", "1004", "Gamma Co", 410.25),
    ("2024-03-06", "03/06/2024", "1005", "Beta Works", 1750.75),
    ("2024-03-12", "03/12/2024", "1006", "Gamma Co", 3200.00),
]
TOTAL = 10075.5  # by hand: 1,234.50 + 980 + 2,500 + 410.25 + 1,750.75 + 3,200


def _files(tmp_path: Path) -> tuple[Path, Path]:
    iso = tmp_path / "ledger.csv"
    iso.write_text(
        "Date,Invoice,Customer,Amount\n"
        + "".join(f"{d},{i},{c},{a:.2f}\n" for d, _us, i, c, a in SALES),
        encoding="utf-8",
    )
    us = tmp_path / "quickbooks.csv"
    us.write_text(
        "Date,Transaction type,Num,Customer,Amount\n"
        + "".join(f'{us},Invoice,{i},{c},"{a:,.2f}"\n' for _d, us, i, c, a in SALES),
        encoding="utf-8",
    )
    return iso, us


def _stored(conn) -> tuple[int, float, list[str]]:
    count, revenue = conn.execute("SELECT count(*), sum(revenue) FROM sales").fetchall()[0]
    days = conn.execute("SELECT DISTINCT CAST(order_date AS VARCHAR) FROM sales ORDER BY 1")
    return count, round(revenue, 2), [d for (d,) in days.fetchall()]


def test_a_us_export_of_a_stored_quarter_is_read_month_first_and_skipped(tmp_path: Path):
    iso, us = _files(tmp_path)
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, iso.read_bytes(), iso.name)
        counts, parsed, _pre = import_file(conn, us.read_bytes(), us.name)
        assert parsed.date_orders["order_date"] == "mdy"
        # Num is the stored Invoice: read month first, each row is a stored row exactly.
        assert (counts.rows_imported, counts.rows_duplicate) == (0, 6)
        assert _stored(conn) == (6, TOTAL, [d for d, *_ in SALES])
        assert parsed.notes[0] == (
            "A (Date): no date in the column tells whether the day or the month comes first "
            "(such as '01/05/2024'). Read month first, 6 of its 6 rows are rows already stored "
            "(the same day and amount); read day first, 0. They were read month first."
        )
    finally:
        conn.close()


def test_into_an_empty_database_the_same_file_is_read_day_first_as_before(tmp_path: Path):
    _iso, us = _files(tmp_path)
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, parsed, _pre = import_file(conn, us.read_bytes(), us.name)
        assert parsed.date_orders["order_date"] == "dmy"
        assert counts.rows_imported == 6
        # 01/05/2024 read as 1 May, and so on: the note asks for month first.
        assert _stored(conn)[2][0] == "2024-03-02"
        assert any("--monthfirst" in note for note in parsed.notes)
    finally:
        conn.close()


def test_stored_rows_of_other_days_leave_the_order_to_the_default(tmp_path: Path):
    _iso, us = _files(tmp_path)
    other = tmp_path / "other.csv"
    other.write_text("Date,Customer,Amount\n2023-06-01,Delta,5.00\n", encoding="utf-8")
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, other.read_bytes(), other.name)
        _counts, parsed, _pre = import_file(conn, us.read_bytes(), us.name)
        assert parsed.date_orders["order_date"] == "dmy"
    finally:
        conn.close()


def test_a_date_only_day_first_keeps_the_stored_rows_from_reading_the_column_month_first(
    tmp_path: Path,
):
    iso, us = _files(tmp_path)
    # The US export with one more sale dated 25/03/2024: that day can only be day first.
    us.write_text(us.read_text(encoding="utf-8") + "25/03/2024,Invoice,1007,Acme Ltd,99.00\n")
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, iso.read_bytes(), iso.name)
        _counts, parsed, _pre = import_file(conn, us.read_bytes(), us.name)
        assert parsed.date_orders["order_date"] == "dmy"
        assert not any("Read month first" in note for note in parsed.notes)
    finally:
        conn.close()


def test_month_first_asked_of_a_column_whose_dates_are_day_first_is_refused(tmp_path: Path):
    path = tmp_path / "day_first.csv"
    path.write_text(
        "Date,Customer,Amount\n25/03/2024,Acme Ltd,100.00\n05/03/2024,Acme Ltd,200.00\n"
        "10/02/2024,Beta Works,300.00\n",
        encoding="utf-8",
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        with pytest.raises(ImportRefused) as refused:
            import_file(conn, path.read_bytes(), path.name, monthfirst=True)
        assert str(refused.value) == (
            "A (Date): month first was asked, but 1 of its dates can only be read day first "
            "(such as '25/03/2024'), more than can only be read month first; read month first, "
            "the others would be stored on other days (05/03/2024 as 3 May 2024). Import the "
            "file reading the day first."
        )
        assert not conn.execute("SELECT count(*) FROM sales").fetchall()[0][0]
        # Read day first, as the column says: 25 March, 5 March, 10 February.
        counts, _parsed, _pre = import_file(conn, path.read_bytes(), path.name)
        assert counts.rows_imported == 3
        assert _stored(conn)[2] == ["2024-02-10", "2024-03-05", "2024-03-25"]
    finally:
        conn.close()


def test_month_first_asked_of_month_first_dates_with_one_day_first_typo_is_read_so(
    tmp_path: Path,
):
    _iso, us = _files(tmp_path)
    # Two dates only month first (01/13, 02/20) outvote the one only day first.
    us.write_text(
        us.read_text(encoding="utf-8")
        + "01/13/2024,Invoice,1007,Acme Ltd,10.00\n02/20/2024,Invoice,1008,Acme Ltd,20.00\n"
        + "25/03/2024,Invoice,1009,Acme Ltd,30.00\n"
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, parsed, _pre = import_file(conn, us.read_bytes(), us.name, monthfirst=True)
        assert counts.rows_imported == 8
        assert list(parsed.rejected["value"]) == ["25/03/2024"]
    finally:
        conn.close()
