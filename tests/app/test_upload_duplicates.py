"""The Upload page warns before importing a second export of stored orders, skips them by
default or keeps them, and reconciles the months after the import."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from kam_core.i18n import fmt_date
from kam_core.importing import import_file
from kam_core.store import connect
from tests.conftest import write_xlsx
from tests.support.apptest import app_at, texts
from ui.text import esc

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# One quarter, three lines a month: (order, date, client, product, amount with 3 decimals).
ORDERS = [
    (f"SO-{m}{i}", dt.date(2024, m, 3 + 7 * i), f"C{i}", "Bolts", 100.0 * i + m + 0.004)
    for m in (1, 2, 3)
    for i in (1, 2, 3)
]
ERP_TOTAL = round(sum(o[4] for o in ORDERS), 3)  # 1,818.036
REPORT_TOTAL = round(sum(round(o[4], 2) for o in ORDERS), 2)  # 1,818.00


@pytest.fixture
def exports(tmp_path):
    erp = [["Order ID", "Order Date", "Customer ID", "Product", "Region", "Amount"]]
    erp += [[o, d, c, p, "North", a] for o, d, c, p, a in ORDERS]
    report = [["Order ID", "Order Date", "Customer ID", "Amount"]]
    report += [[o, d, c, round(a, 2)] for o, d, c, _p, a in ORDERS]
    return (
        write_xlsx(tmp_path / "quarter_he.xlsx", {"Sales": erp}),
        write_xlsx(tmp_path / "quarter_report.xlsx", {"Sales": report}),
    )


def stored(path) -> tuple[int, float]:
    conn = duckdb.connect(str(path))
    try:
        count, revenue = conn.execute("SELECT count(*), sum(revenue) FROM sales").fetchone()
    finally:
        conn.close()
    return count, round(revenue, 3)


def reconciliation(at):
    return next(d.value for d in at.dataframe if "stored_revenue" in d.value.columns)


def upload_second(fresh_db, exports):
    erp, report = exports
    conn = connect(fresh_db)
    try:
        import_file(conn, erp.read_bytes(), erp.name)
    finally:
        conn.close()
    at = app_at("upload")
    at.file_uploader[0].set_value((report.name, report.read_bytes(), MIME))
    return at.run()


@pytest.mark.slow  # two quarter-sized exports imported through the page
def test_the_page_warns_before_the_import_and_skips_by_default(fresh_db, exports):
    assert (ERP_TOTAL, REPORT_TOTAL) == (1818.036, 1818.0)
    at = upload_second(fresh_db, exports)
    assert not at.exception
    today = fmt_date(dt.datetime.now(dt.UTC))
    # Shown as typed: the file name is the user's (escaped, it never becomes markdown).
    assert esc(
        f"9 of 9 rows look like rows already stored from quarter_he.xlsx, uploaded {today}: "
        "same order, client, date and amount."
    ) in texts(at)
    choice = next(r for r in at.radio if r.label == "Rows that look like rows already stored")
    assert choice.value == "skip"
    assert choice.options == ["Skip them (recommended)", "Keep them: import them as well"]
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert stored(fresh_db) == (9, ERP_TOTAL)
    shown = texts(at)
    assert "9 probable duplicates skipped" in shown
    assert "Revenue per month: the file against what is stored now" in shown
    months = reconciliation(at)
    assert months["month"].tolist() == ["Jan 2024", "Feb 2024", "Mar 2024"]
    assert months["uploads"].tolist() == [1, 1, 1]


@pytest.mark.slow  # two quarter-sized exports imported through the page
def test_keeping_them_doubles_the_quarter_and_the_reconciliation_shows_it(fresh_db, exports):
    at = upload_second(fresh_db, exports)
    choice = next(r for r in at.radio if r.label == "Rows that look like rows already stored")
    choice.set_value("keep").run()
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert stored(fresh_db) == (18, round(ERP_TOTAL + REPORT_TOTAL, 3))
    months = reconciliation(at)
    assert months["uploads"].tolist() == [2, 2, 2]
    # January: the report's 603.00 on top of the ERP's 603.012 (101.004 + 201.004 + 301.004).
    jan = months.iloc[0]
    assert (jan["file_revenue"], jan["stored_revenue"]) == (603.0, 1206.01)


@pytest.mark.slow  # two quarter-sized exports imported through the page
def test_a_corrected_amount_is_named_before_the_import_and_not_counted_twice(fresh_db, tmp_path):
    report = [["Order ID", "Order Date", "Customer ID", "Amount"]]
    report += [[o, d, c, round(a, 2)] for o, d, c, _p, a in ORDERS]
    conn = connect(fresh_db)
    try:
        first = write_xlsx(tmp_path / "quarter_report.xlsx", {"Sales": report})
        import_file(conn, first.read_bytes(), first.name)
    finally:
        conn.close()
    report[5][3] = 250.0  # SO-22 (202.00 stored) corrected in a later export
    second = write_xlsx(tmp_path / "quarter_corrected.xlsx", {"Sales": report})
    at = app_at("upload")
    at.file_uploader[0].set_value((second.name, second.read_bytes(), MIME))
    at.run()
    assert not at.exception
    assert esc(
        "1 line has the order, client and date of a stored line but another amount (such "
        "as order 'SO-22': 202.00 stored, 250.00 in this file). Skipped, the stored amount "
        "counts; kept, both count. If this file corrects the earlier one, undo import 1 in "
        "the import history and import this file again."
    ) in texts(at)
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert stored(fresh_db) == (9, REPORT_TOTAL)


def test_a_us_export_of_the_stored_quarter_is_read_month_first_on_the_page(fresh_db, tmp_path):
    rows = [("2024-01-05", "01/05/2024", 1234.5), ("2024-02-03", "02/03/2024", 980.0)]
    rows += [("2024-03-06", "03/06/2024", 2500.0)]
    iso = tmp_path / "ledger.csv"
    iso.write_text(
        "Date,Customer,Amount\n" + "".join(f"{d},Acme,{a}\n" for d, _u, a in rows), "utf-8"
    )
    conn = connect(fresh_db)
    try:
        import_file(conn, iso.read_bytes(), iso.name)
    finally:
        conn.close()
    us = "Date,Customer,Amount\n" + "".join(f"{u},Acme,{a}\n" for _d, u, a in rows)
    at = app_at("upload")
    at.file_uploader[0].set_value(("quickbooks.csv", us.encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert esc(
        "A (Date): no date in the column tells whether the day or the month comes first "
        "(such as '01/05/2024'). Read month first, 3 of its 3 rows are rows already stored "
        "(the same day and amount); read day first, 0. They were read month first."
    ) in texts(at)
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert stored(fresh_db) == (3, 4714.5)  # 1,234.50 + 980 + 2,500, once
