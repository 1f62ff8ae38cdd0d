"""The same quarter from an ERP workbook and a BI CSV, laid out differently: stored once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from kam_core.importing import import_file
from kam_core.store import connect

# (order id, date, client code, client name, amount, manager); the total is summed by hand.
ORDERS = [
    ("SO-1001", dt.date(2024, 1, 4), "C001", "Acme Ltd", 1200.5, "Dana Levi"),
    ("SO-1002", dt.date(2024, 1, 19), "C002", "Beta Inc", 310.25, "Avi Cohen"),
    ("SO-1003", dt.date(2024, 2, 2), "C001", "Acme Ltd", 89.9, "Dana Levi"),
    ("SO-1004", dt.date(2024, 2, 27), "C003", "Gamma & Co", 4500.0, "Avi Cohen"),
    ("SO-1005", dt.date(2024, 3, 15), "C002", "Beta Inc", 17.35, "Avi Cohen"),
]
TOTAL = 6118.0


def erp_workbook(path: Path) -> Path:
    """SAP-style: a title, 'Customer' holding codes beside 'Customer Name', a total line."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Report")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, "Sales Q1 2024, all regions")
    header = ["Customer", "Customer Name", "Invoice Date", "Invoice No", "Net Amount", "Sales Rep"]
    sheet.write_row(2, 0, header)
    for k, (order, day, code, name, amount, manager) in enumerate(ORDERS, start=3):
        sheet.write_row(k, 0, [code, name])
        sheet.write_datetime(k, 2, dt.datetime.combine(day, dt.time()), dates)
        sheet.write_row(k, 3, [order, amount, manager])
    sheet.write_row(3 + len(ORDERS), 0, ["Total", None, None, None, TOTAL])
    book.close()
    return path


def bi_csv(path: Path) -> Path:
    """Another tool's export: other names and order, ';', decimal commas, dd.mm.yyyy."""
    lines = ["Order Date;Order ID;Client ID;Client Name;Manager;Revenue"]
    for order, day, code, name, amount, manager in sorted(ORDERS, key=lambda o: o[1]):
        text = f"{amount:.2f}".replace(".", ",")
        lines.append(f"{day:%d.%m.%Y};{order};{code};{name};{manager};{text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_the_second_export_of_the_quarter_stores_nothing_and_names_stay_names(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        first = erp_workbook(tmp_path / "q1_erp.xlsx")
        counts, _parsed, pre = import_file(conn, first.read_bytes(), first.name)
        assert counts.rows_imported == len(ORDERS)
        assert pre.layout.mapping_labels()["client_id"] == "Customer"
        assert pre.layout.mapping_labels()["client_name"] == "Customer Name"
        second = bi_csv(tmp_path / "q1_bi.csv")
        again, _parsed, _pre = import_file(conn, second.read_bytes(), second.name)
        assert again.rows_imported == 0
        assert again.rows_duplicate == len(ORDERS)
        stored = conn.execute(
            "SELECT count(*), round(sum(revenue), 2), count(DISTINCT client_id) FROM sales"
        ).fetchone()
        assert stored == (len(ORDERS), TOTAL, 3)
        names = {r[0] for r in conn.execute("SELECT DISTINCT client_name FROM sales").fetchall()}
        assert names == {"Acme Ltd", "Beta Inc", "Gamma & Co"}
    finally:
        conn.close()
