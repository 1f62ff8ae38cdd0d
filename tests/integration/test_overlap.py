"""The same quarter from two exports: probable duplicates found before storing, skipped or kept,
listed with the rejected rows, and the months reconciled after the import."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kam_core.i18n import fmt_date
from kam_core.importing import (
    check_duplicates,
    describe_overlap,
    import_file,
    parse,
    preview,
    reconcile,
    rejected_workbook,
)
from kam_core.store import connect
from kam_core.store.overlap import AMENDED_DAY_RULE, months_in_several_uploads

ROOT = Path(__file__).resolve().parents[2]

# One quarter of orders: (order id, date, client id, client, product, region, amount, qty).
# Amounts carry three decimals as the ERP writes them; none ends in 5, so the report's
# two-decimal rounding is unambiguous.
ORDERS = [
    ("SO-101", dt.date(2024, 1, 4), "C1", "Acme", "Bolts", "North", 29.472, 3),
    ("SO-101", dt.date(2024, 1, 4), "C1", "Acme", "Nuts", "North", 10.118, 1),
    ("SO-102", dt.date(2024, 1, 9), "C2", "Beta", "Bolts", "South", 1200.004, 40),
    ("SO-103", dt.date(2024, 1, 17), "C3", "Gamma", "Washers", "North", 310.999, 12),
    ("SO-104", dt.date(2024, 1, 25), "C4", "Delta", "Nuts", "East", 45.5, 2),
    # The same line twice in one order: both exports list it twice.
    ("SO-201", dt.date(2024, 2, 2), "C1", "Acme", "Bolts", "North", 58.941, 6),
    ("SO-201", dt.date(2024, 2, 2), "C1", "Acme", "Bolts", "North", 58.941, 6),
    ("SO-202", dt.date(2024, 2, 14), "C2", "Beta", "Washers", "South", 999.996, 30),
    ("SO-203", dt.date(2024, 2, 20), "C3", "Gamma", "Bolts", "North", 77.777, 7),
    ("SO-204", dt.date(2024, 2, 28), "C4", "Delta", "Nuts", "East", -12.341, -1),
    ("SO-301", dt.date(2024, 3, 3), "C1", "Acme", "Nuts", "North", 150.0, 15),
    ("SO-302", dt.date(2024, 3, 11), "C2", "Beta", "Bolts", "South", 2400.009, 80),
    ("SO-303", dt.date(2024, 3, 19), "C3", "Gamma", "Washers", "North", 5.003, 1),
    ("SO-304", dt.date(2024, 3, 27), "C4", "Delta", "Bolts", "East", 64.128, 4),
]
ERP_HEADER = ["Order ID", "Order Date", "Customer ID", "Customer", "Product", "Region", "Amount"]
ERP_HEADER += ["Qty"]
REPORT_HEADER = ["Order ID", "Order Date", "Customer ID", "Customer", "Amount"]
ROWS = len(ORDERS)
# Single-export totals, summed by hand from the table above.
ERP_TOTAL = 5398.547
REPORT_TOTAL = 5398.55


def erp_rows(with_ids: bool = True) -> list[list[object]]:
    """The ERP dump: Product, Region, quantity and three-decimal amounts."""
    rows = [[o, d, c, n, p, r, a, q] for o, d, c, n, p, r, a, q in ORDERS]
    header = ERP_HEADER
    if not with_ids:
        rows, header = [r[1:] for r in rows], header[1:]
    return [header, *rows]


def report_rows(with_ids: bool = True) -> list[list[object]]:
    """The report: no Product, Region or quantity; amounts rounded to the cent."""
    rows = [[o, d, c, n, round(a, 2)] for o, d, c, n, _p, _r, a, _q in ORDERS]
    header = REPORT_HEADER
    if not with_ids:
        rows, header = [r[1:] for r in rows], header[1:]
    return [header, *rows]


def run(conn, path: Path, **kwargs):
    return import_file(conn, path.read_bytes(), path.name, **kwargs)


def stored_total(conn) -> tuple[int, float]:
    count, revenue = conn.execute("SELECT count(*), sum(revenue) FROM sales").fetchall()[0]
    return count, round(revenue, 3)


def today() -> str:
    return fmt_date(dt.datetime.now(dt.UTC))


@pytest.fixture
def exports(make_xlsx):
    def make(with_ids: bool) -> tuple[Path, Path]:
        suffix = "" if with_ids else "_no_ids"
        erp = make_xlsx({"Sales": erp_rows(with_ids)}, f"quarter_erp{suffix}.xlsx")
        report = make_xlsx({"Sales": report_rows(with_ids)}, f"quarter_report{suffix}.xlsx")
        return erp, report

    return make


def test_the_hand_totals_match_the_table():
    assert round(sum(o[6] for o in ORDERS), 3) == ERP_TOTAL
    assert round(sum(round(o[6], 2) for o in ORDERS), 2) == REPORT_TOTAL


@pytest.mark.parametrize("with_ids", [True, False], ids=["order ids", "no order ids"])
@pytest.mark.parametrize("first", ["erp", "report"])
def test_a_second_export_of_the_quarter_is_skipped_and_the_totals_stay_single(
    conn, exports, with_ids, first
):
    erp, report = exports(with_ids)
    one, two = (erp, report) if first == "erp" else (report, erp)
    run(conn, one)
    counts, parsed, _ = run(conn, two)
    assert (counts.rows_imported, counts.rows_duplicate, counts.rows_probable_duplicate) == (
        0,
        0,
        ROWS,
    )
    assert stored_total(conn) == (ROWS, ERP_TOTAL if first == "erp" else REPORT_TOTAL)
    rule = "order" if with_ids else "month"
    assert [(m.upload_id, m.file_name, m.rule, m.rows) for m in counts.overlap.matches] == [
        (1, one.name, rule, ROWS)
    ]
    assert len(parsed.rejected) == ROWS


@pytest.mark.parametrize("with_ids", [True, False], ids=["order ids", "no order ids"])
def test_keeping_the_second_export_doubles_the_quarter(conn, exports, with_ids):
    erp, report = exports(with_ids)
    run(conn, erp)
    counts, parsed, _ = run(conn, report, duplicates="keep")
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (ROWS, 0)
    assert counts.overlap.count == ROWS
    assert stored_total(conn) == (2 * ROWS, round(ERP_TOTAL + REPORT_TOTAL, 3))
    assert parsed.rejected.empty


def test_the_warning_before_the_import_names_the_file_the_date_and_the_rule(conn, exports):
    erp, report = exports(True)
    run(conn, erp)
    pre = preview(conn, report.read_bytes(), report.name)
    overlap = check_duplicates(conn, parse(pre))
    assert describe_overlap(overlap) == (
        f"{ROWS} of {ROWS} rows look like rows already stored from quarter_erp.xlsx, "
        f"uploaded {today()}: same order, client, date and amount"
    )
    assert stored_total(conn) == (ROWS, ERP_TOTAL)  # looking stored nothing


def test_without_order_ids_the_rule_is_the_month(conn, exports):
    erp, report = exports(False)
    run(conn, erp)
    overlap = check_duplicates(conn, parse(preview(conn, report.read_bytes(), report.name)))
    assert describe_overlap(overlap).endswith("same client, date and amount for most of the month")


def test_an_exact_reimport_is_counted_as_already_stored_not_as_a_probable_duplicate(conn, exports):
    erp, _ = exports(True)
    run(conn, erp)
    again, _, _ = run(conn, erp)
    assert (again.rows_duplicate, again.rows_probable_duplicate, again.overlap.count) == (
        ROWS,
        0,
        0,
    )


def test_a_third_copy_of_a_line_stored_twice_is_new(conn, make_xlsx, exports):
    erp, _ = exports(True)
    run(conn, erp)
    rows = report_rows(True)
    rows.append(list(rows[6]))  # SO-201's line a third time
    counts, _, _ = run(conn, make_xlsx({"Sales": rows}, "report_plus.xlsx"))
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (1, ROWS)
    assert stored_total(conn) == (ROWS + 1, round(ERP_TOTAL + 58.94, 3))


def test_lines_of_one_order_differing_in_amount_or_quantity_are_corrected_lines(conn, make_xlsx):
    header = ["Order ID", "Order Date", "Customer ID", "Amount", "Qty"]
    day = dt.date(2024, 1, 4)
    run(conn, make_xlsx({"S": [header, ["A1", day, "C1", 10.0, 1], ["A2", day, "C1", 20.0, 2]]}))
    other = [header, ["A1", day, "C1", 10.02, 1], ["A2", day, "C1", 20.001, 3]]
    counts, _, _ = run(conn, make_xlsx({"S": other}, "other.xlsx"))
    # 10.02 is two cents off; A2 agrees on the amount to the cent but not on the quantity:
    # neither is the stored line, each is its order's line corrected (stored, each order
    # counted twice).
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, 2)
    assert "amended" in {m.rule for m in counts.overlap.matches}
    assert stored_total(conn) == (2, 30.0)


def test_amounts_equal_by_chance_in_a_month_mostly_new_are_not_duplicates(conn, make_xlsx):
    header = ["Order Date", "Customer ID", "Amount"]
    first = [[*header, "Product"], [dt.date(2024, 1, 4), "C1", 10.0, "Bolts"]]
    run(conn, make_xlsx({"S": first}))
    rows = [header, [dt.date(2024, 1, 4), "C1", 10.0]]
    rows += [[dt.date(2024, 1, day), "C2", float(day)] for day in range(5, 10)]
    counts, _, _ = run(conn, make_xlsx({"S": rows}, "january.xlsx"))
    # 1 of 6 January rows matches: well below 80% of the month.
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (6, 0)


def test_skipped_rows_are_listed_in_the_rejected_rows_workbook_with_the_upload(conn, exports):
    erp, report = exports(True)
    run(conn, erp)
    _, parsed, _ = run(conn, report)
    sheet = openpyxl.load_workbook(io.BytesIO(rejected_workbook(parsed.rejected))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:5] == ["sheet", "row", "column", "value", "reason"]
    reason = f"probable duplicate of quarter_erp.xlsx (import 1, uploaded {today()})"
    assert [r[header.index("reason")] for r in rows[1:]] == [reason] * ROWS
    assert [r[header.index("row")] for r in rows[1:]] == list(range(2, ROWS + 2))
    first = dict(zip(header, rows[1], strict=True))
    assert (first["Order ID"], first["Customer ID"], first["Amount"]) == ("SO-101", "C1", 29.47)
    assert first["Order Date"] == "2024-01-04"


def test_reconciliation_shows_a_doubled_month_and_the_data_check_lists_it(conn, exports):
    erp, report = exports(True)
    run(conn, erp)
    _, parsed, _ = run(conn, report)
    months = reconcile(conn, parsed)
    assert months["month"].astype(str).tolist() == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert months["file_rows"].tolist() == months["stored_rows"].tolist() == [5, 5, 4]
    assert months["uploads"].tolist() == [1, 1, 1]
    assert months_in_several_uploads(conn).empty
    _, parsed, _ = run(conn, report, duplicates="keep")
    months = reconcile(conn, parsed).set_index(months["month"].astype(str))
    jan = months.loc["2024-01-01"]
    # January: the report's 1,596.09 on top of the ERP's 1,596.093.
    assert (jan["file_revenue"], jan["stored_revenue"], jan["difference"]) == (
        1596.09,
        3192.18,
        1596.09,
    )
    assert months["uploads"].tolist() == [2, 2, 2]
    check = months_in_several_uploads(conn)
    assert check["upload_id"].tolist() == [1, 3] * 3
    assert check["shared_rows"].tolist() == [5, 5, 5, 5, 4, 4]


def kam(db: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kam_core", "--db", str(db), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_skips_or_keeps_and_reports_the_count(db_file, exports, tmp_path):
    erp, report = exports(True)
    assert kam(db_file, "import", erp, "--json").returncode == 0
    rejected = tmp_path / "rejected.xlsx"
    skipped = kam(db_file, "import", report, "--json", "--rejected-out", rejected)
    assert skipped.returncode == 0, skipped.stderr
    out = json.loads(skipped.stdout)
    assert (out["rows_imported"], out["rows_probable_duplicate"]) == (0, ROWS)
    assert out["probable_duplicates"]["matches"][0]["file_name"] == "quarter_erp.xlsx"
    sheet = openpyxl.load_workbook(rejected).active
    assert sheet.max_row == ROWS + 1
    kept = kam(db_file, "import", report, "--duplicates", "keep")
    assert kept.returncode == 0, kept.stderr
    assert f"probable duplicates {ROWS:>8,}  kept" in kept.stdout
    conn = connect(db_file)
    try:
        history = conn.execute(
            "SELECT rows_imported, rows_probable_duplicate FROM uploads ORDER BY upload_id"
        ).fetchall()
    finally:
        conn.close()
    assert history == [(ROWS, 0), (0, ROWS), (ROWS, 0)]
    refused = kam(db_file, "import", report, "--duplicates", "maybe")
    assert refused.returncode == 2


def test_lines_of_one_order_pair_by_product_when_both_exports_name_it(conn, make_xlsx):
    header = ["Order ID", "Order Date", "Customer ID", "Product", "Amount"]
    day = dt.date(2024, 5, 6)
    run(
        conn,
        make_xlsx(
            {"S": [header, ["A1", day, "C1", "Bolts", 10.0], ["A1", day, "C1", "Nuts", 10.0]]}
        ),
    )
    # Same order and amounts to the cent, lines in another order, one product that was not sold.
    later = [
        [*header, "Region"],
        ["A1", day, "C1", "Nuts", 9.999, "North"],
        ["A1", day, "C1", "Bolts", 10.001, "North"],
        ["A1", day, "C1", "Washers", 10.0, "North"],
    ]
    counts, parsed, _ = run(conn, make_xlsx({"S": later}, "later.xlsx"))
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (1, 2)
    assert sorted(parsed.rejected["row"]) == [2, 3]


def test_the_share_of_a_month_is_a_stored_setting(conn, make_xlsx):
    from kam_core.store.settings import write_setting

    header = ["Order Date", "Customer ID", "Amount"]
    run(conn, make_xlsx({"S": [[*header, "Product"], [dt.date(2024, 1, 4), "C1", 10.0, "Bolts"]]}))
    rows = [header, [dt.date(2024, 1, 4), "C1", 10.0], [dt.date(2024, 1, 5), "C2", 5.0]]
    write_setting(conn, "duplicate_month_share", 0.5)  # 1 of 2 January rows is enough
    counts, _, _ = run(conn, make_xlsx({"S": rows}, "january.xlsx"))
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (1, 1)


@pytest.mark.parametrize("written", ["1898.62", "1898.63"])
def test_a_half_cent_rounded_either_way_is_the_same_amount(tmp_path, written):
    # The ERP holds 1898.625; one report rounds it half up, another (printf, pandas, .NET)
    # half to even: both are the stored order, neither is stored twice.
    conn = connect(tmp_path / "kam.duckdb")
    try:
        raw = "Order ID,Order Date,Customer,Amount\nSO-9,2024-01-05,Acme,1898.625\n"
        import_file(conn, raw.encode(), "erp.csv")
        report = f"Order ID,Order Date,Customer,Amount\nSO-9,2024-01-05,Acme,{written}\n"
        counts, _parsed, _pre = import_file(conn, report.encode(), "report.csv")
        assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, 1)
        assert counts.overlap.matches[0].rule == "order"
        # A cent less is another amount: the order's line corrected, not the same amount.
        other = "Order ID,Order Date,Customer,Amount\nSO-9,2024-01-05,Acme,1898.61\n"
        counts, _parsed, _pre = import_file(conn, other.encode(), "other.csv")
        assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, 1)
        assert counts.overlap.matches[0].rule == "amended"
    finally:
        conn.close()


def test_two_branches_exports_of_one_month_are_not_called_one_period_stored_twice(conn, tmp_path):
    north = tmp_path / "north.csv"
    north.write_text("Date,Customer,Amount\n2024-01-05,Acme,100\n2024-01-09,Beta,50\n")
    south = tmp_path / "south.csv"
    south.write_text("Date,Customer,Amount\n2024-01-06,Gamma,70\n2024-01-12,Delta,30\n")
    import_file(conn, north.read_bytes(), north.name)
    import_file(conn, south.read_bytes(), south.name)
    assert months_in_several_uploads(conn).empty  # no client in both: two parts, not twice
    again = tmp_path / "north_again.csv"  # the north branch's month from another tool
    again.write_text("Order Date,Client,Revenue\n2024-01-05,Acme,100.004\n")
    import_file(conn, again.read_bytes(), again.name, duplicates="keep")
    check = months_in_several_uploads(conn)
    assert sorted(check["upload_id"].unique().tolist()) == [1, 2, 3]


def _quarter(header: list[str], line) -> list[list[object]]:
    """The quarter's orders as another export writes them: line(order) gives a row."""
    return [header, *(line(*order) for order in ORDERS)]


def test_orders_and_products_written_otherwise_are_the_same_quarter(conn, make_xlsx, exports):
    erp, _ = exports(True)
    run(conn, erp)
    # Another system: order numbers without their prefix, products by code.
    other = _quarter(
        ["Order", "Date", "Customer ID", "Item", "Amount"],
        lambda o, d, c, _n, p, _r, a, _q: [o.removeprefix("SO-"), d, c, f"P-{p[:3]}", round(a, 2)],
    )
    counts, _, _ = run(conn, make_xlsx({"S": other}, "other_system.xlsx"))
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, ROWS)
    assert stored_total(conn) == (ROWS, ERP_TOTAL)
    assert "the order number or product written otherwise" in describe_overlap(counts.overlap)


def test_the_same_orders_under_client_codes_after_names_are_the_same_quarter(conn, make_xlsx):
    names = _quarter(
        ["Order ID", "Order Date", "Customer", "Amount"],
        lambda o, d, _c, n, _p, _r, a, _q: [o, d, n, a],
    )
    codes = _quarter(
        ["Order ID", "Order Date", "Customer ID", "Amount"],
        lambda o, d, c, _n, _p, _r, a, _q: [o, d, c, round(a, 2)],
    )
    run(conn, make_xlsx({"S": names}, "by_name.xlsx"))
    counts, _, _ = run(conn, make_xlsx({"S": codes}, "by_code.xlsx"))
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, ROWS)
    assert "the client written otherwise" in describe_overlap(counts.overlap)
    assert stored_total(conn) == (ROWS, ERP_TOTAL)


def test_amounts_in_whole_units_are_the_same_quarter_rounded(conn, make_xlsx, exports):
    _, report = exports(False)
    run(conn, report)
    whole = _quarter(
        ["Order Date", "Customer ID", "Amount"],
        lambda _o, d, c, _n, _p, _r, a, _q: [d, c, float(round(a))],
    )
    counts, _, _ = run(conn, make_xlsx({"S": whole}, "whole_units.xlsx"))
    # Amounts already whole (150.00, 1,200.00) are the stored lines exactly.
    assert counts.rows_imported == 0
    assert (counts.rows_duplicate, counts.rows_probable_duplicate) == (5, ROWS - 5)
    assert stored_total(conn) == (ROWS, REPORT_TOTAL)


def test_a_corrected_amount_between_two_exports_in_cents_is_a_new_figure(conn, make_xlsx, exports):
    _, report = exports(False)
    run(conn, report)
    rows = report_rows(False)
    rows[3][-1] = round(rows[3][-1] + 0.3, 2)  # 310.999 was 311.00, corrected to 311.30
    counts, _, _ = run(conn, make_xlsx({"S": rows}, "corrected.xlsx"))
    # Not the stored amount rounded to whole units: the stored line corrected, said as such
    # (without an order number), and skipped; it was stored beside the 311.00.
    assert counts.rows_imported == 0 and counts.rows_probable_duplicate == 1
    assert [m.rule for m in counts.overlap.matches] == [AMENDED_DAY_RULE]
    assert stored_total(conn) == (ROWS, REPORT_TOTAL)


def test_a_branch_whose_short_invoice_numbers_meet_anothers_by_chance_is_stored(conn):
    # Two branches number invoices from 1; invoices 1 and 2 fall on the same day with the same
    # fee, the other eight do not: a short number without its client proves nothing unless
    # most of the month is stored already.
    def branch(name: str, day_of: dict[int, int]) -> bytes:
        lines = ["Invoice,Date,Customer,Amount"] + [
            f"{i},2024-01-{day_of.get(i, i + 10):02d},{name} client {i},{100 * i}"
            for i in range(1, 11)
        ]
        return ("\n".join(lines) + "\n").encode()

    north, _p1, _pre1 = import_file(conn, branch("North", {}), "north.csv")
    south, _p2, _pre2 = import_file(
        conn, branch("South", {i: i + 1 for i in range(3, 11)}), "s.csv"
    )
    assert (north.rows_imported, south.rows_imported, south.rows_probable_duplicate) == (10, 10, 0)


def test_the_same_invoices_with_codes_instead_of_names_are_probable_duplicates(conn):
    names = b"Invoice,Date,Customer,Amount\n101,2024-01-05,Acme,100\n102,2024-01-06,Beta,200\n"
    codes = b"Invoice,Date,Customer,Amount\n101,2024-01-05,C-001,100\n102,2024-01-06,C-002,200\n"
    import_file(conn, names, "names.csv")
    second, _parsed, _pre = import_file(conn, codes, "codes.csv")
    assert (second.rows_imported, second.rows_probable_duplicate) == (0, 2)


# An invoice list (one row an invoice, its total) and a line report of the same invoices.
INVOICE_LINES = [
    ("INV-1001", "2024-01-05", "Acme", 100.10),
    ("INV-1001", "2024-01-05", "Acme", 50.25),
    ("INV-1001", "2024-01-05", "Acme", 9.65),
    ("INV-1002", "2024-01-08", "Beta", 200.00),
    ("INV-1003", "2024-01-12", "Gamma", 30.333),
    ("INV-1003", "2024-01-12", "Gamma", 30.333),
    ("INV-1003", "2024-01-12", "Gamma", 30.334),
]
# The totals as the invoice list writes them, summed by hand: 160.00, 200.00, 91.00.
INVOICE_TOTALS = [
    ("INV-1001", "2024-01-05", "Acme", 160.00),
    ("INV-1002", "2024-01-08", "Beta", 200.00),
    ("INV-1003", "2024-01-12", "Gamma", 91.00),
]


def _csv(header: str, rows) -> bytes:
    return (header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)).encode()


@pytest.mark.parametrize("first", ["lines", "totals"])
def test_an_invoice_list_and_its_line_report_are_one_quarter(conn, first):
    lines = _csv("Invoice,Date,Customer,Line amount", INVOICE_LINES)
    totals = _csv("Invoice No,Invoice Date,Client,Total", INVOICE_TOTALS)
    one, two = (lines, totals) if first == "lines" else (totals, lines)
    import_file(conn, one, f"{first}.csv")
    counts, parsed, _ = import_file(conn, two, "second.csv")
    rows = len(INVOICE_TOTALS if first == "lines" else INVOICE_LINES)
    # INV-1002 is one line of 200.00 in both: the same line, already stored; the other
    # invoices pair as invoices.
    assert (counts.rows_imported, counts.rows_duplicate, counts.rows_probable_duplicate) == (
        0,
        1,
        rows - 1,
    )
    assert round(conn.execute("SELECT sum(revenue) FROM sales").fetchall()[0][0], 2) == 451.0
    assert {m.rule: m.rows for m in counts.overlap.matches} == {"invoice": rows - 1}
    assert describe_overlap(counts.overlap).startswith(
        f"{rows - 1} of {rows} rows look like rows already stored from {first}.csv"
    )
    assert len(parsed.rejected) == rows - 1


def test_an_invoice_whose_lines_add_up_to_another_total_is_new(conn):
    import_file(conn, _csv("Invoice,Date,Customer,Total", INVOICE_TOTALS), "totals.csv")
    corrected = [*INVOICE_LINES[:3], ("INV-1001", "2024-01-05", "Acme", 20.0)]  # 180.00 now
    counts, _, _ = import_file(conn, _csv("Invoice,Date,Customer,Amount", corrected), "l.csv")
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (4, 0)


def test_short_invoice_numbers_of_other_clients_do_not_pair_by_their_totals(conn):
    import_file(conn, b"Invoice,Date,Customer,Total\n7,2024-01-05,North A,150\n", "north.csv")
    south = b"Invoice,Date,Customer,Amount\n7,2024-01-05,South B,100\n7,2024-01-05,South B,50\n"
    counts, _, _ = import_file(conn, south, "south.csv")
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (2, 0)


def _january(days: range, decimals: int) -> list[tuple[str, str, float]]:
    """Three sales a day; amounts with three decimals, a second export rounds them to cents."""
    rows = []
    for day in days:
        for j in range(3):
            amount = 100 + day * 10 + j + 0.123  # 110.123, 111.123, 112.123 on the 1st
            rows.append((f"2024-01-{day:02d}", f"Client {j}", round(amount, decimals)))
    return rows


def test_a_month_cut_in_half_then_exported_whole_stores_only_its_second_half(conn):
    half = _csv("Date,Customer,Amount", _january(range(1, 16), 2))  # 1-15 January, 45 rows
    whole = _january(range(1, 32), 3)  # the whole month from another tool: 93 rows
    import_file(conn, half, "first_half.csv")
    counts, _, _ = import_file(conn, _csv("Order Date,Client,Revenue", whole), "january.csv")
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (48, 45)
    # Stored: the first half as its export wrote it, the second half from the whole month.
    expected = sum(a for d, _c, a in _january(range(1, 16), 2))
    expected += sum(a for d, _c, a in whole if int(d[-2:]) > 15)
    stored = conn.execute("SELECT sum(revenue) FROM sales").fetchall()[0][0]
    assert round(stored, 3) == round(expected, 3)


def test_a_few_equal_amounts_of_a_short_upload_are_not_called_a_cut(conn):
    few = _csv("Date,Customer,Amount", _january(range(1, 3), 2))  # 6 rows on the 1st and 2nd
    import_file(conn, few, "two_days.csv")
    whole = _csv("Order Date,Client,Revenue", _january(range(1, 32), 3))
    counts, _, _ = import_file(conn, whole, "january.csv")
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (93, 0)
