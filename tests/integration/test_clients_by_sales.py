"""One quarter from three systems: codes with Hebrew names, padded codes with English names,
then English names without codes. The third names no code and no name the database holds, yet
every sale of the quarter is there: its clients are the stored clients of the same sales."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.identity import matched_notes

# (day, code, Hebrew name, English name, amount): the quarter as the first system stored it.
QUARTER = [
    (dt.date(2025, 1, 6), "100001", 'אקמה בע"מ', "Acme Ltd", 1200.00),
    (dt.date(2025, 1, 8), "100002", "ביתא עבודות", "Beta Works", 300.00),
    (dt.date(2025, 2, 10), "100001", 'אקמה בע"מ', "Acme Ltd", 845.50),
    (dt.date(2025, 2, 14), "100003", "גמא ושות'", "Gamma & Co", 99.90),
    (dt.date(2025, 2, 20), "100003", "גמא ושות'", "Gamma & Co", 410.00),
    (dt.date(2025, 3, 3), "100002", "ביתא עבודות", "Beta Works", 1150.25),
    (dt.date(2025, 3, 17), "100001", 'אקמה בע"מ', "Acme Ltd", 2000.00),
    (dt.date(2025, 3, 25), "100003", "גמא ושות'", "Gamma & Co", 75.00),
]
# By hand: Acme 1200 + 845.50 + 2000 = 4045.50; Beta 300 + 1150.25 = 1450.25;
# Gamma 99.90 + 410 + 75 = 584.90; the quarter 6080.65.
QUARTER_TOTAL = 6080.65
# The third export's rows beyond the quarter stored: a later sale of Acme (after the last
# stored day), and two clients of their own. Delta shares one day and amount with Beta (3 March,
# 1,150.25), Epsilon two with Acme: chance, not the same clients.
EXTRA = [
    (dt.date(2025, 3, 28), "Acme Ltd", 500.00),
    (dt.date(2025, 3, 3), "Delta Foods", 1150.25),
    (dt.date(2025, 3, 20), "Delta Foods", 60.00),
    (dt.date(2025, 1, 6), "Epsilon Trade", 1200.00),
    (dt.date(2025, 2, 10), "Epsilon Trade", 845.50),
    (dt.date(2025, 3, 5), "Epsilon Trade", 320.00),
]
# Stored after all three: the quarter, Acme's 500, Delta 1,150.25 + 60 = 1,210.25, Epsilon
# 1,200 + 845.50 + 320 = 2,365.50: 6,080.65 + 500 + 1,210.25 + 2,365.50 = 10,156.40.
TOTAL = 10156.40


def priority_csv(path: Path) -> Path:
    """The first system: its own codes and Hebrew names, day-first dates, invoice numbers."""
    lines = ["תאריך,חשבונית,מס' לקוח,שם לקוח,סכום"]
    lines += [
        f'{d:%d/%m/%Y},IV{k:04d},{c},"{h.replace(chr(34), chr(34) * 2)}",{a:.2f}'
        for k, (d, c, h, _e, a) in enumerate(QUARTER, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sap_xlsx(path: Path) -> Path:
    """The second system: the codes padded to ten digits, English names, its own numbers."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    days = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["Billing Date", "Billing Document", "Sold-To Party", "Name", "Net"])
    for k, (day, code, _h, name, amount) in enumerate(QUARTER, start=1):
        sheet.write_datetime(k, 0, dt.datetime.combine(day, dt.time()), days)
        sheet.write_row(k, 1, [str(90001000 + k), code.zfill(10), name, amount])
    book.close()
    return path


def names_csv(path: Path) -> Path:
    """The third system: English names, no code, no order number."""
    rows = [(d, e, a) for d, _c, _h, e, a in QUARTER] + EXTRA
    lines = ["Date,Customer,Amount"] + [f"{d:%Y-%m-%d},{n},{a:.2f}" for d, n, a in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _by_client(conn) -> dict[str, float]:
    found = conn.execute(
        "SELECT client_id, round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return {str(c): float(v) for c, v in found}


def _import(conn, path: Path, duplicates: str = "skip"):
    return import_file(conn, path.read_bytes(), path.name, duplicates=duplicates)[0]


def test_a_third_export_naming_the_clients_in_english_is_the_quarter_stored_once(
    tmp_path: Path,
):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        first = _import(conn, priority_csv(tmp_path / "priority.csv"))
        assert (first.rows_imported, first.revenue) == (8, QUARTER_TOTAL)
        second = _import(conn, sap_xlsx(tmp_path / "sap.xlsx"))
        assert second.rows_imported == 0
        assert round(sum(_by_client(conn).values()), 2) == QUARTER_TOTAL

        third = _import(conn, names_csv(tmp_path / "names.csv"))
        # Acme, Beta and Gamma are the stored clients of their sales; Delta and Epsilon, who
        # share one or two amounts with them, stay clients of their own.
        assert third.matched.by_sales == {
            "acme ltd": "100001",
            "beta works": "100002",
            "gamma co": "100003",
        }
        assert third.rows_probable_duplicate == 8
        assert third.rows_imported == 6
        assert _by_client(conn) == {
            "100001": 4545.50,  # 4,045.50 + the new 500
            "100002": 1450.25,
            "100003": 584.90,
            "delta foods": 1210.25,
            "epsilon trade": 2365.50,
        }
        assert round(sum(_by_client(conn).values()), 2) == TOTAL
        said = " ".join(matched_notes(third.matched))
        assert 'Acme Ltd as 100001 (אקמה בע"מ)' in said
        assert "undo this import" in said
    finally:
        conn.close()


def test_undone_and_imported_again_keeping_the_rows_the_clients_stay_apart(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, priority_csv(tmp_path / "priority.csv"))
        path = names_csv(tmp_path / "names.csv")
        joined = _import(conn, path)
        assert len(joined.matched.by_sales) == 3
        from kam_core.store.sales import undo_upload

        undo_upload(conn, joined.upload_id)
        assert round(sum(_by_client(conn).values()), 2) == QUARTER_TOTAL
        # The user says they are other clients: every row of the file is stored as its own.
        kept = _import(conn, path, duplicates="keep")
        assert kept.matched.by_sales == {}
        assert kept.rows_imported == 14
        # 6,080.65 stored + the file's 6,080.65 + 500 + 1,210.25 + 2,365.50 = 16,237.05.
        assert round(sum(_by_client(conn).values()), 2) == 16237.05
    finally:
        conn.close()


def test_a_new_client_sharing_two_amounts_with_a_stored_one_of_more_sales_stays_apart(
    tmp_path: Path,
):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, priority_csv(tmp_path / "priority.csv"))
        # Only Epsilon: two of its three rows are two of Acme's three (day and amount).
        path = tmp_path / "epsilon.csv"
        lines = ["Date,Customer,Amount"] + [
            f"{d:%Y-%m-%d},{n},{a:.2f}" for d, n, a in EXTRA if n == "Epsilon Trade"
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        counts = _import(conn, path)
        assert counts.matched.by_sales == {}
        assert (counts.rows_imported, counts.rows_probable_duplicate) == (3, 0)
        # 6,080.65 + 2,365.50
        assert round(sum(_by_client(conn).values()), 2) == 8446.15
    finally:
        conn.close()
