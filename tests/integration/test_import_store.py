"""Import into a real DuckDB file: counts, idempotent re-import, overlap, identical lines,
atomicity, undo, remembered mappings and the rejected-rows workbook."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from kam_core.importing import import_file, preview, rejected_workbook
from kam_core.ingest import ImportRefused
from kam_core.store import sales as sales_store
from kam_core.store import staging
from kam_core.store.sales import UndoError, list_uploads, undo_upload
from tests.conftest import SALES_HEADER, quarter_rows

HEADER = ["Order Date", "Customer ID", "Customer", "Amount", "Sales Rep", "Returned"]
# A report as an ERP prints it: instructions sheet, title, print date, blank line, an identical
# line twice, a blank row and a repeated header inside the data, totals in three languages, a
# date that does not exist and an amount that is a formula-looking text.
REPORT_ROWS = [
    ["Sales report Q1 2024"],  # 1
    ["Printed 01/04/2024"],  # 2
    [],  # 3
    HEADER,  # 4
    [dt.date(2024, 1, 5), "00001", "Acme", "1,200.00", "Dana", "no"],  # 5
    [dt.date(2024, 1, 5), "00001", "Acme", "1,200.00", "Dana", "no"],  # 6: same line again
    ["15/01/2024", "00002", "Beta", "₪ 300", "Ori", None],  # 7
    [],  # 8: blank
    HEADER,  # 9: repeated header
    [45000, "00003", "Gamma", "(50)", "Dana", "yes"],  # 10: serial date, negative amount
    ["Total", None, None, 2650, None, None],  # 11
    ["31/02/2024", "00002", "Beta", 10, "Ori", None],  # 12: no such date
    [dt.date(2024, 2, 1), "00004", '=HYPERLINK("http://x")', "=1+2", "Ori", None],  # 13
    ['סה"כ', None, None, 2650, None, None],  # 14
    [None, None, "Итого", 2650, None, None],  # 15
    [None, None, None, 2650, None, None],  # 16: an amount alone is a total
]
REPORT_STORED = [
    (dt.date(2024, 1, 5), "00001", "Acme", 1200.0, "Dana", False, 5),
    (dt.date(2024, 1, 5), "00001", "Acme", 1200.0, "Dana", False, 6),
    (dt.date(2024, 1, 15), "00002", "Beta", 300.0, "Ori", None, 7),
    (dt.date(2023, 3, 15), "00003", "Gamma", -50.0, "Dana", True, 10),
]


def run(conn, path, **kwargs):
    return import_file(conn, path.read_bytes(), path.name, **kwargs)


def stored(conn) -> list[tuple]:
    return conn.execute(
        """SELECT order_date, client_id, client_name, revenue, manager, returned, source_row
           FROM sales ORDER BY order_date, source_row, upload_id"""
    ).fetchall()


def table_sizes(conn) -> tuple[int, int, int]:
    return tuple(
        conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("sales", "upload_rows", "uploads")
    )


@pytest.fixture
def report(make_xlsx):
    return make_xlsx(
        {"Instructions": [["Fill in one line per order"]], "Sales": REPORT_ROWS}, "report.xlsx"
    )


@pytest.fixture
def q1(make_xlsx):
    return make_xlsx({"Sales": [SALES_HEADER, *quarter_rows([1, 2, 3])]}, "q1.xlsx")


@pytest.fixture
def q1_q2(make_xlsx):
    return make_xlsx({"Sales": [SALES_HEADER, *quarter_rows(range(1, 7))]}, "q1-q2.xlsx")


# --- counts ----------------------------------------------------------------------------------


def test_a_report_is_imported_with_every_row_counted(conn, report):
    counts, parsed, pre = run(conn, report)
    assert (pre.layout.sheet, pre.layout.header_row) == ("Sales", 4)
    assert counts.as_dict() | {"mapping": None} == {
        "upload_id": 1,
        "rows_read": 12,  # rows 5..16
        "rows_imported": 4,
        "rows_duplicate": 0,
        "rows_rejected": 2,
        "rows_skipped": 6,
        "rows_probable_duplicate": 0,
        "clients": 3,
        "clients_matched": 0,
        "revenue": 1200.0 + 1200.0 + 300.0 - 50.0,
        "sheet": "Sales",
        "mapping": None,
    }
    assert parsed.skipped == {"blank": 1, "repeated_header": 1, "total": 4, "page_line": 0}
    assert counts.mapping == {
        "order_date": "Order Date",
        "client_id": "Customer ID",
        "client_name": "Customer",
        "revenue": "Amount",
        "manager": "Sales Rep",
        "returned": "Returned",
    }
    assert stored(conn) == sorted(REPORT_STORED)


def test_rejected_rows_carry_sheet_excel_row_column_and_value(conn, report):
    _, parsed, _ = run(conn, report)
    reasons = parsed.rejected[["sheet", "row", "column", "value", "reason"]]
    assert reasons.to_dict("records") == [
        {
            "sheet": "Sales",
            "row": 12,
            "column": "A (Order Date)",
            "value": "31/02/2024",
            "reason": "order date is not a date",
        },
        {
            "sheet": "Sales",
            "row": 13,
            "column": "D (Amount)",
            "value": "=1+2",
            "reason": "revenue is not an amount",
        },
    ]
    assert parsed.rejected.loc[1, "Customer"] == '=HYPERLINK("http://x")'


def test_the_rejected_rows_workbook_opens_and_shows_formulas_as_text(conn, report):
    _, parsed, _ = run(conn, report)
    book = openpyxl.load_workbook(io.BytesIO(rejected_workbook(parsed.rejected)))
    sheet = book["Rejected rows"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:6] == ["sheet", "row", "column", "value", "reason", "Order Date"]
    assert rows[1][:5] == ("Sales", 12, "A (Order Date)", "31/02/2024", "order date is not a date")
    formula_row = rows[2]
    # String cells: never evaluated, so the value is shown exactly as the file had it.
    assert formula_row[header.index("value")] == "=1+2"
    assert formula_row[header.index("Customer")] == """=HYPERLINK("http://x")"""
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_client_named_but_without_id_gets_an_id_from_the_name(conn, q1):
    run(conn, q1)
    ids = conn.execute("SELECT DISTINCT client_id FROM sales ORDER BY 1").fetchall()
    assert ids == [("acme",), ("beta",), ("gamma",)]


def test_excel_subtotal_rows_are_skipped_but_a_client_called_total_is_kept(conn, make_xlsx):
    rows = [
        SALES_HEADER,
        [dt.date(2024, 1, 5), "Acme", 100, "Dana"],
        [dt.date(2024, 1, 9), "Acme", 50, "Dana"],
        [None, "Acme Total", 150, None],  # what Excel's Data > Subtotal writes
        [dt.date(2024, 1, 7), "Total Energies", 70, "Ori"],
        [None, "Итого за январь", 220, None],
        [None, "Grand Total", 220, None],
    ]
    counts, parsed, _ = run(conn, make_xlsx({"Sales": rows}))
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (3, 0, 220.0)
    assert parsed.skipped["total"] == 3
    names = conn.execute("SELECT DISTINCT client_name FROM sales ORDER BY 1").fetchall()
    assert names == [("Acme",), ("Total Energies",)]


def test_a_sheet_with_its_own_value_and_row_columns_reports_the_rejected_value(conn, make_xlsx):
    rows = [["date", "customer", "value", "row"], ["bad", "Acme", 6, 2], ["2024-01-05", "B", 5, 3]]
    _, parsed, _ = run(conn, make_xlsx({"Sales": rows}))
    record = parsed.rejected.iloc[0]
    assert (record["row"], record["value"], record["value (C)"], record["row (D)"]) == (
        2,
        "bad",
        "6",
        "2",
    )


def test_ambiguous_dates_are_read_day_first_unless_monthfirst_is_asked(conn, make_csv):
    path = make_csv([SALES_HEADER, ["03/04/2024", "Acme", "10", "Dana"]])
    run(conn, path)
    run(conn, path, monthfirst=True)
    dates = conn.execute("SELECT order_date FROM sales ORDER BY upload_id").fetchall()
    assert dates == [(dt.date(2024, 4, 3),), (dt.date(2024, 3, 4),)]


# --- re-import, overlap, identical lines -----------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(conn, report):
    run(conn, report)
    again, _, _ = run(conn, report)
    assert (again.rows_imported, again.rows_duplicate, again.clients, again.revenue) == (0, 4, 0, 0)
    assert (again.rows_rejected, again.rows_skipped) == (2, 6)
    assert stored(conn) == sorted(REPORT_STORED)


def test_a_q1_q2_file_after_the_q1_file_adds_only_the_q2_rows(conn, q1, q1_q2):
    first, _, _ = run(conn, q1)
    second, _, _ = run(conn, q1_q2)
    assert (first.rows_imported, first.revenue) == (9, 111.0 * (1 + 2 + 3))
    assert (second.rows_imported, second.rows_duplicate) == (9, 9)
    assert second.revenue == 111.0 * (4 + 5 + 6)
    months = conn.execute(
        "SELECT month(order_date), upload_id, count(*) FROM sales GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert months == [(m, 1 if m <= 3 else 2, 3) for m in range(1, 7)]


def test_identical_lines_in_one_file_are_all_kept_and_counted_by_occurrence(conn, make_xlsx):
    line = [dt.date(2024, 3, 1), "Acme", 50, "Dana"]
    twice = make_xlsx({"Sales": [SALES_HEADER, line, line]}, "twice.xlsx")
    thrice = make_xlsx({"Sales": [SALES_HEADER, line, line, line]}, "thrice.xlsx")
    assert run(conn, twice)[0].rows_imported == 2
    assert run(conn, twice)[0].rows_imported == 0
    # A later export with the line three times holds one line not stored yet.
    third, _, _ = run(conn, thrice)
    assert (third.rows_imported, third.rows_duplicate) == (1, 2)
    assert conn.execute("SELECT count(*), sum(revenue) FROM sales").fetchall() == [(3, 150.0)]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv"])
def test_the_same_table_imports_the_same_from_every_file_kind(
    conn, kind, make_xlsx, make_xls, make_ods, make_csv
):
    rows = [["Quarterly report"], [], SALES_HEADER, *quarter_rows([1, 2])]
    if kind == "csv":
        text_rows = [
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in r] for r in rows
        ]
        path = make_csv(text_rows, encoding="cp1255", delimiter=";")
    else:
        path = {"xlsx": make_xlsx, "xls": make_xls, "ods": make_ods}[kind]({"Sales": rows})
    counts, _, pre = run(conn, path)
    assert pre.layout.header_row == 3
    assert (counts.rows_read, counts.rows_imported, counts.rows_rejected) == (6, 6, 0)
    assert (counts.clients, counts.revenue) == (3, 111.0 * (1 + 2))
    assert conn.execute("SELECT min(order_date), max(order_date) FROM sales").fetchall() == [
        (dt.date(2024, 1, 5), dt.date(2024, 2, 20))
    ]


def test_a_hebrew_csv_report_in_windows_1255_with_totals_is_imported(conn, make_csv):
    rows = [
        ["דוח מכירות רבעוני"],
        [],
        ["תאריך", "מספר לקוח", "שם לקוח", "סכום", "סוכן"],
        ["15/01/2024", "1001", 'אלקטרה בע"מ', "12,500.00", "דנה"],
        ["13/03/2024", "1002", "שקד", "(500)", "דנה"],
        ['סה"כ מרץ', "", "", "-500", ""],  # a subtotal for March
        ['סה"כ', "", "", "12,000.00", ""],
    ]
    path = make_csv(rows, encoding="cp1255", delimiter=",", name="דוח.csv")
    counts, _, _ = run(conn, path)
    assert (counts.rows_imported, counts.rows_skipped, counts.revenue) == (2, 2, 12000.0)
    assert stored(conn)[0][:4] == (dt.date(2024, 1, 15), "1001", 'אלקטרה בע"מ', 12500.0)


# --- atomicity ------------------------------------------------------------------------------


def test_an_error_midway_through_an_import_leaves_nothing(conn, q1, q1_q2, monkeypatch):
    run(conn, q1)
    before = table_sizes(conn)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    # The uploads record is written after the rows: failing there must undo the rows too.
    monkeypatch.setattr(sales_store, "_record_upload", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run(conn, q1_q2)
    assert table_sizes(conn) == before == (9, 9, 1)
    monkeypatch.undo()
    assert run(conn, q1_q2)[0].rows_imported == 9  # the database is still usable


def test_all_or_nothing_with_a_rejected_row_imports_nothing(conn, report):
    with pytest.raises(ImportRefused) as err:
        run(conn, report, all_or_nothing=True)
    assert "2 rows were rejected" in str(err.value)
    assert "sheet 'Sales', row 12, A (Order Date): order date is not a date" in str(err.value)
    assert table_sizes(conn) == (0, 0, 0)


def test_a_sheet_with_no_valid_rows_is_refused_and_writes_nothing(conn, make_xlsx):
    path = make_xlsx({"Sales": [SALES_HEADER, ["not a date", "Acme", 10, "Dana"]]})
    with pytest.raises(ImportRefused, match=r"no valid rows to import.*row 2"):
        run(conn, path)
    assert table_sizes(conn) == (0, 0, 0)


# --- undo -----------------------------------------------------------------------------------


def test_undo_removes_the_rows_of_one_import(conn, q1, make_xlsx):
    other = make_xlsx({"Sales": [SALES_HEADER, [dt.date(2024, 7, 1), "Delta", 5, "Ori"]]}, "o.xlsx")
    run(conn, q1)
    run(conn, other)
    assert undo_upload(conn, 1) == 9
    assert conn.execute("SELECT client_id, upload_id FROM sales").fetchall() == [("delta", 2)]
    history = list_uploads(conn).set_index("upload_id")
    assert pd.notna(history.loc[1, "undone_at"])
    assert pd.isna(history.loc[2, "undone_at"])


def test_undo_is_atomic_when_it_fails_midway(conn, q1, monkeypatch):
    run(conn, q1)

    def broken(*_args, **_kwargs):
        raise RuntimeError("crash")

    monkeypatch.setattr(sales_store, "refresh_rollup", broken)
    with pytest.raises(RuntimeError):
        undo_upload(conn, 1)
    assert table_sizes(conn) == (9, 9, 1)
    assert conn.execute("SELECT undone_at FROM uploads").fetchall() == [(None,)]


def test_undoing_the_q1_file_after_the_q1_q2_file_keeps_the_overlapping_rows(conn, q1, q1_q2):
    run(conn, q1)
    run(conn, q1_q2)
    assert undo_upload(conn, 1) == 0
    assert conn.execute(
        "SELECT count(*), min(upload_id), max(upload_id) FROM sales"
    ).fetchall() == [(18, 2, 2)]
    assert undo_upload(conn, 2) == 18
    assert table_sizes(conn)[:2] == (0, 0)


def test_undoing_the_q1_q2_file_keeps_the_rows_the_q1_file_still_holds(conn, q1, q1_q2):
    run(conn, q1)
    run(conn, q1_q2)
    assert undo_upload(conn, 2) == 9
    assert conn.execute("SELECT count(*), max(month(order_date)) FROM sales").fetchall() == [(9, 3)]


def test_undoing_an_import_twice_is_refused(conn, q1):
    run(conn, q1)
    undo_upload(conn, 1)
    with pytest.raises(UndoError, match="Import 1 was already undone"):
        undo_upload(conn, 1)
    with pytest.raises(UndoError, match="no import number 99"):
        undo_upload(conn, 99)


def test_a_file_imported_again_after_undo_is_stored_again(conn, q1):
    run(conn, q1)
    undo_upload(conn, 1)
    assert run(conn, q1)[0].rows_imported == 9


# --- history and remembered mappings ----------------------------------------------------------


def test_every_import_is_recorded_with_file_hash_sheet_mapping_and_counts(conn, report):
    import hashlib

    run(conn, report)
    run(conn, report)
    history = list_uploads(conn)
    assert history["upload_id"].tolist() == [2, 1]
    first = history.iloc[1]
    assert first["file_name"] == "report.xlsx"
    assert first["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert (first["sheet"], first["rows_imported"], history.iloc[0]["rows_duplicate"]) == (
        "Sales",
        4,
        4,
    )
    assert json.loads(first["mapping"])["revenue"] == "Amount"


def test_a_confirmed_mapping_is_remembered_for_the_next_workbook_with_that_header(conn, make_xlsx):
    header = ["Date", "Customer", "Amount", "Amount ILS"]
    jan = make_xlsx({"Sales": [header, [dt.date(2024, 1, 5), "Acme", 1, 100]]}, "jan.xlsx")
    feb = make_xlsx({"Sales": [header, [dt.date(2024, 2, 5), "Acme", 2, 200]]}, "feb.xlsx")
    assert preview(conn, feb.read_bytes(), feb.name).layout.mapping_labels()["revenue"] == "Amount"
    run(conn, jan, overrides={"revenue": "Amount ILS"})
    pre = preview(conn, feb.read_bytes(), feb.name)
    assert pre.remembered
    assert pre.layout.mapping_labels()["revenue"] == "Amount ILS"
    assert "Column mapping taken from an earlier import" in pre.notes[-1]
    run(conn, feb)
    assert conn.execute("SELECT sum(revenue) FROM sales").fetchall() == [(300.0,)]


def _expected_key(text: str, occurrence: int) -> int:
    """The content key by its definition: md5 of the fields' text, then of that with '#n'."""
    import hashlib

    first = hashlib.md5(text.encode()).hexdigest()
    return int.from_bytes(hashlib.md5(f"{first}#{occurrence}".encode()).digest(), "little")


def test_content_keys_keep_their_definition_so_stored_rows_are_recognised():
    import duckdb

    rows = pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-02-01"]),
            "client_id": ["C1", "C1", "C2"],
            "revenue": [100.0, 100.0, 29.5],
            "order_id": [None, None, "SO-7"],
            "product": [None, None, "Widget"],
            "quantity": [None, None, 3.0],
            "source_row": [5, 6, 7],
        }
    )
    cur = duckdb.connect()
    assert staging.stage_rows(cur, rows) == 3
    keys = dict(cur.execute("SELECT source_row, row_key FROM staged").fetchall())
    # Fields in key order: date, client, order, product, revenue, quantity, profit.
    same = "2024-01-05\x1fC1\x1f\x1f\x1f100.0\x1f\x1f"
    assert keys[5] == _expected_key(same, 1)
    assert keys[6] == _expected_key(same, 2)  # the second identical line: its occurrence
    assert keys[7] == _expected_key("2024-02-01\x1fC2\x1fSO-7\x1fWidget\x1f29.5\x1f3.0\x1f", 1)


def test_occurrence_numbers_follow_source_rows_within_each_repeated_line_only():
    import duckdb

    # Two lines repeat (three times and twice), given out of source-row order; one is unique.
    rows = pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2024-03-01"] * 6),
            "client_id": ["A", "B", "A", "C", "B", "A"],
            "revenue": [10.0, 20.0, 10.0, 30.0, 20.0, 10.0],
            "source_row": [9, 4, 3, 8, 12, 6],
        }
    )
    cur = duckdb.connect()
    assert staging.stage_rows(cur, rows) == 6
    keys = dict(cur.execute("SELECT source_row, row_key FROM staged").fetchall())
    line = "2024-03-01\x1f{}\x1f\x1f\x1f{}\x1f\x1f"
    a, b, c = line.format("A", "10.0"), line.format("B", "20.0"), line.format("C", "30.0")
    assert [keys[3], keys[6], keys[9]] == [_expected_key(a, n) for n in (1, 2, 3)]
    assert [keys[4], keys[12]] == [_expected_key(b, n) for n in (1, 2)]
    assert keys[8] == _expected_key(c, 1)
