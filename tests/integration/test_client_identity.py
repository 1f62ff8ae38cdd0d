"""One client, one id: codes with and without leading zeros, and names without a code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import xlsxwriter

from kam_core.importing import import_file
from kam_core.store import connect
from tests.integration.commands import kam_here

# (invoice, day, code as the ERP writes it, name, amount); the sums are by hand below.
ORDERS = [
    ("INV-1", dt.date(2026, 7, 1), "0010020", "Acme Ltd", 100.0),
    ("INV-2", dt.date(2026, 7, 2), "0010021", "Beta Inc", 250.5),
    ("INV-3", dt.date(2026, 7, 3), "0010020", "Acme Ltd", 40.0),
    ("INV-4", dt.date(2026, 8, 4), "0010022", "Gamma & Co", 9.5),
]
TOTAL = 400.0  # 100 + 250.5 + 40 + 9.5


def erp_csv(path: Path) -> Path:
    """The ERP's own export: codes as text, padded to seven digits."""
    lines = ["Order Date,Customer Code,Customer,Invoice,Amount"]
    lines += [f"{d:%Y-%m-%d},{c},{n},{i},{a}" for i, d, c, n, a in ORDERS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def excel_copy(path: Path) -> Path:
    """The same rows after Excel: the codes became numbers, their zeros gone."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    days = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Date", "Client ID", "Client Name", "Doc No", "Net Amount"])
    for k, (inv, day, code, name, amount) in enumerate(ORDERS, start=1):
        sheet.write_datetime(k, 0, dt.datetime.combine(day, dt.time()), days)
        sheet.write_row(k, 1, [int(code), name, inv, amount])
    book.close()
    return path


def names_only(path: Path, orders=ORDERS) -> Path:
    """A report without codes: the name, in another case and with a full stop."""
    lines = ["Date,Client,Amount"]
    lines += [f"{d:%Y-%m-%d},{n.upper()}.,{a}" for _i, d, _c, n, a in orders]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(conn) -> list[tuple]:
    return conn.execute(
        "SELECT client_id, count(*), sum(revenue) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()


def test_a_code_without_its_zeros_is_the_stored_client_and_its_rows_are_already_stored(
    tmp_path: Path,
):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        first = erp_csv(tmp_path / "erp.csv")
        import_file(conn, first.read_bytes(), first.name)
        second = excel_copy(tmp_path / "excel.xlsx")
        counts, _parsed, _pre = import_file(conn, second.read_bytes(), second.name)
        assert (counts.rows_imported, counts.rows_duplicate) == (0, 4)
        assert counts.matched.by_code == {
            "10020": "0010020",
            "10021": "0010021",
            "10022": "0010022",
        }
        assert _stored(conn) == [("0010020", 2, 140.0), ("0010021", 1, 250.5), ("0010022", 1, 9.5)]
    finally:
        conn.close()


def test_the_stored_form_is_kept_whichever_export_came_first(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        first = excel_copy(tmp_path / "excel.xlsx")
        import_file(conn, first.read_bytes(), first.name)
        second = erp_csv(tmp_path / "erp.csv")
        counts, _parsed, _pre = import_file(conn, second.read_bytes(), second.name)
        assert counts.rows_imported == 0
        assert [r[0] for r in _stored(conn)] == ["10020", "10021", "10022"]
        assert conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0] == TOTAL
    finally:
        conn.close()


def test_one_file_writing_a_code_both_ways_stores_one_client_under_the_padded_form(
    tmp_path: Path,
):
    path = tmp_path / "mixed.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Date", "Client ID", "Client Name", "Amount"])
    rows = [("2026-07-01", "0500", 10), ("2026-07-02", 500, 20), ("2026-07-03", "00500", 30)]
    rows += [("2026-07-04", "A01", 1), ("2026-07-05", "A1", 2)]  # not digits: two codes
    for k, (day, code, amount) in enumerate(rows, start=1):
        name = "Acme" if str(code).isdigit() else "Alpha"  # one name: one client's forms
        sheet.write_row(k, 0, [day, code, name, amount])
    book.close()
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, _parsed, _pre = import_file(conn, path.read_bytes(), path.name)
        assert counts.clients == 3
        assert _stored(conn) == [("00500", 3, 60.0), ("A01", 1, 1.0), ("A1", 1, 2.0)]
    finally:
        conn.close()


def test_a_name_without_a_code_is_the_one_stored_client_of_that_name(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        first = erp_csv(tmp_path / "erp.csv")
        import_file(conn, first.read_bytes(), first.name)
        later = [
            ("-", dt.date(2026, 9, 1), "", "Acme Ltd", 5.0),
            ("-", dt.date(2026, 9, 2), "", "Delta", 7.0),
        ]
        report = names_only(tmp_path / "names.csv", later)
        counts, _parsed, _pre = import_file(conn, report.read_bytes(), report.name)
        assert counts.rows_imported == 2
        assert counts.matched.by_name == {"acme ltd": "0010020"}
        assert ("0010020", 3, 145.0) in _stored(conn)
        assert ("delta", 1, 7.0) in _stored(conn)  # no stored client of that name: its own
    finally:
        conn.close()


def test_a_name_two_stored_clients_bear_is_kept_apart(tmp_path: Path):
    path = tmp_path / "two.csv"
    path.write_text(
        "Date,Client Code,Client Name,Amount\n2026-07-01,C-18,Beta,50\n2026-07-02,C-19,Beta,60\n",
        encoding="utf-8",
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, path.read_bytes(), path.name)
        report = names_only(tmp_path / "names.csv", [("-", dt.date(2026, 8, 1), "", "Beta", 20)])
        counts, _parsed, _pre = import_file(conn, report.read_bytes(), report.name)
        assert counts.matched.count == 0
        assert [r[0] for r in _stored(conn)] == ["C-18", "C-19", "beta"]
    finally:
        conn.close()


def test_the_command_line_says_which_codes_were_taken_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    db = tmp_path / "kam.duckdb"
    assert kam_here(capsys, db, "import", erp_csv(tmp_path / "erp.csv"))[0] == 0
    code, text, _err = kam_here(capsys, db, "import", excel_copy(tmp_path / "x.xlsx"), "--json")
    assert code == 0
    out = json.loads(text)
    assert out["clients_matched"] == 3
    assert out["rows_imported"] == 0
    assert any("10020 as 0010020" in note for note in out["notes"])


def test_a_client_stored_by_name_alone_is_named_when_its_code_comes_and_undo_joins_them(
    tmp_path: Path,
):
    from kam_core.store.sales import undo_upload

    conn = connect(tmp_path / "kam.duckdb")
    try:
        report = names_only(tmp_path / "names.csv")
        first, _parsed, _pre = import_file(conn, report.read_bytes(), report.name)
        coded = erp_csv(tmp_path / "erp.csv")
        counts, _parsed, _pre = import_file(conn, coded.read_bytes(), coded.name)
        assert counts.matched.apart == {
            "acme ltd": "0010020",
            "beta inc": "0010021",
            "gamma co": "0010022",
        }
        assert conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0] == 2 * TOTAL
        # As the note says: undo the names-only import and import it again.
        undo_upload(conn, first.upload_id)
        again, _parsed, _pre = import_file(conn, report.read_bytes(), report.name)
        assert again.rows_imported == 0
        assert again.rows_probable_duplicate == len(ORDERS)
        assert conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0] == TOTAL
    finally:
        conn.close()


def test_two_companies_whose_codes_differ_by_zeros_stay_two(tmp_path: Path):
    path = tmp_path / "two.csv"
    path.write_text(
        "Date,Client Code,Client Name,Amount\n"
        "2026-07-01,7,Seven Stars Ltd,3000\n"
        "2026-07-02,007,Bond Security Ltd,5000\n",
        encoding="utf-8",
    )
    later = tmp_path / "later.csv"
    later.write_text(
        "Date,Client Code,Client Name,Amount\n2026-08-01,0007,Bond Security Ltd,100\n",
        encoding="utf-8",
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, _parsed, _pre = import_file(conn, path.read_bytes(), path.name)
        assert counts.matched.count == 0
        counts, _parsed, _pre = import_file(conn, later.read_bytes(), later.name)
        assert counts.matched.by_code == {"0007": "007"}  # Bond's, by its name
        assert _stored(conn) == [("007", 2, 5100.0), ("7", 1, 3000.0)]
    finally:
        conn.close()


def test_a_names_only_file_imported_again_after_codes_came_is_already_stored(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        report = names_only(tmp_path / "names.csv")
        import_file(conn, report.read_bytes(), report.name)
        coded = tmp_path / "q4.csv"
        coded.write_text(
            "Date,Client Code,Client Name,Amount\n2026-10-01,C-17,Acme Ltd,3000\n",
            encoding="utf-8",
        )
        import_file(conn, coded.read_bytes(), coded.name)
        again, _parsed, _pre = import_file(conn, report.read_bytes(), report.name)
        assert (again.rows_imported, again.rows_duplicate) == (0, len(ORDERS))
        assert conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0] == TOTAL + 3000
    finally:
        conn.close()


def test_a_name_without_a_code_is_the_client_the_same_file_names_with_one(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Date,Customer ID,Customer Name,Amount\n"
        "2024-01-05,C1,Acme Ltd,100\n2024-01-06,,Acme Ltd,200\n2024-01-07,C2,Bolt Inc,300\n"
        "2024-01-08,,Delta,50\n2024-01-09,B1,Both Co,10\n2024-01-10,B2,Both Co,20\n"
        "2024-01-11,,Both Co,30\n"
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, _parsed, _pre = import_file(conn, path.read_bytes(), path.name)
        assert counts.matched.by_name == {"acme ltd": "C1"}
        stored = _stored(conn)
        assert ("C1", 2, 300.0) in stored and ("delta", 1, 50.0) in stored
        # A name two codes share is no one client: it stays apart.
        assert ("both co", 1, 30.0) in stored
    finally:
        conn.close()


def _two_systems(tmp_path: Path) -> tuple[Path, Path]:
    """The same quarter from a Hebrew ERP (codes as they are) and from SAP (codes padded to
    ten digits, names in English, its own document numbers)."""
    hebrew = tmp_path / "priority.csv"
    hebrew.write_text(
        "תאריך,חשבונית,מס' לקוח,שם לקוח,סכום\n"
        '2026-07-01,IV1,100001,"אקמה בע""מ",1234.50\n'
        "2026-07-02,IV2,100002,בטא עבודות,980.00\n"
        '2026-08-03,IV3,100001,"אקמה בע""מ",2500.00\n'
        "2026-08-04,IV4,100002,בטא עבודות,410.25\n",
        encoding="utf-8",
    )
    sap = tmp_path / "sap.csv"
    sap.write_text(
        "Billing Date,Billing Document,Sold-To Party,Sold-To Party Name,Net Value\n"
        "2026-07-01,90001,0000100001,ACME LTD,1234.50\n"
        "2026-07-02,90002,0000100002,BETA WORKS,980.00\n"
        "2026-08-03,90003,0000100001,ACME LTD,2500.00\n"
        "2026-08-04,90004,0000100002,BETA WORKS,410.25\n",
        encoding="utf-8",
    )
    return hebrew, sap


def test_a_padded_code_named_in_another_language_is_the_client_whose_sales_it_repeats(
    tmp_path: Path,
):
    hebrew, sap = _two_systems(tmp_path)
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, hebrew.read_bytes(), hebrew.name)
        counts, _parsed, _pre = import_file(conn, sap.read_bytes(), sap.name)
        assert counts.matched.by_code == {"0000100001": "100001", "0000100002": "100002"}
        assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, 4)
        # 1,234.50 + 2,500.00 and 980.00 + 410.25, once.
        assert _stored(conn) == [("100001", 2, 3734.5), ("100002", 2, 1390.25)]
    finally:
        conn.close()


def test_a_padded_code_named_otherwise_with_other_sales_stays_apart(tmp_path: Path):
    hebrew, _sap = _two_systems(tmp_path)
    other = tmp_path / "sap_q4.csv"
    # SAP's next quarter: other days and amounts, one day and amount shared by chance.
    other.write_text(
        "Billing Date,Billing Document,Sold-To Party,Sold-To Party Name,Net Value\n"
        "2026-07-01,90101,0000100001,ACME LTD,1234.50\n"
        "2026-10-05,90102,0000100001,ACME LTD,300.00\n"
        "2026-11-06,90103,0000100001,ACME LTD,200.00\n",
        encoding="utf-8",
    )
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, hebrew.read_bytes(), hebrew.name)
        counts, _parsed, _pre = import_file(conn, other.read_bytes(), other.name)
        # 1 of its 3 rows is a stored row of 100001: not the half that would make it that client.
        assert counts.matched.by_code == {}
        assert ("0000100001", 3, 1734.5) in _stored(conn)
    finally:
        conn.close()
