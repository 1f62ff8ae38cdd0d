"""Master-data workbooks with numbers no record may hold: each such row is rejected with its
reason, the others stored, and nothing surfaces as an internal error."""

from __future__ import annotations

import datetime as dt
import io
import math

import openpyxl
import pytest

from kam_core import dossier
from kam_core.cli import main
from kam_core.i18n import _
from kam_core.ingest.master import FORMULA_WITHOUT_RESULT
from kam_core.store import connect
from kam_core.store.dossier import list_records, read_profile


@pytest.fixture
def db():
    conn = connect(":memory:")
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2025-01-05', 'C1', 'One', 1), (2, 1, DATE '2025-01-05', 'C2', "
        "'Two', 1), (3, 1, DATE '2025-01-05', 'C3', 'Three', 1)"
    )
    yield conn
    conn.close()


SHEETS = {
    "Clients": [
        ["Client ID", "Industry", "Employees"],
        ["C1", "Foods", "1e309"],
        ["C2", "Foods", 3_000_000_000],
        ["C3", "Foods", 250],
    ],
    "Contacts": [
        ["Client ID", "Name", "Influence"],
        ["C1", "Ann", "1e309"],
        ["C1", "Ben", "inf"],
        ["C1", "Cy", 4],
    ],
    "Tenders": [
        ["Client ID", "Subject", "Amount"],
        ["C1", "Boxes", -5000],
        ["C1", "Bags", 5000],
        ["C1", "Crates", "1e309"],
    ],
    "Competitors": [["Client ID", "Competitor", "Share"], ["C1", "Rival", "250%"]],
}


def test_bad_numbers_in_master_data_are_rejected_row_by_row(db, make_xlsx):
    data = make_xlsx(SHEETS, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    found = {
        (r.sheet, r.row, r.reason) for r in result.rejected[["sheet", "row", "reason"]].itertuples()
    }
    assert found == {
        ("Clients", 2, "Employees must be between 0 and 10,000,000."),
        ("Clients", 3, "Employees must be between 0 and 10,000,000."),
        ("Contacts", 2, "Influence must be between 1 and 5."),
        ("Tenders", 2, "Amount must be between 0 and 1,000,000,000,000."),
        ("Tenders", 4, "Amount must be between 0 and 1,000,000,000,000."),
        ("Competitors", 2, "Share must be between 0% and 100%."),
    }
    # Six rows of four sheets: row 2 of Tenders and row 2 of Competitors are two rows.
    assert "Rejected: 6 rows" in result.summary()
    assert read_profile(db, "C3")["employees"] == 250
    # 'inf' is no number at all: Ben is stored without an influence, and the cell named.
    assert list(list_records(db, "contact", "C1")["name"]) == ["Ben", "Cy"]
    assert "row 3, column 'Influence': 'inf' is not a whole number" in result.summary()
    assert list(list_records(db, "tender", "C1")["subject"]) == ["Bags"]


def test_master_cells_with_formulas_never_calculated_are_rejected_saying_so(db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Clients"
    sheet.append(["Client ID", "Industry", "Employees"])
    sheet.append(["C1", "Foods", "=100*2"])  # written by a program: no saved result
    sheet.append(["C2", "Foods", 40])
    sheet.append(["C3", "Foods", None])  # a blank cell is no formula: stored without a count
    out = io.BytesIO()
    book.save(out)
    result = dossier.import_master(db, out.getvalue(), "master.xlsx", "dana")
    rejected = result.rejected[["sheet", "row", "column", "reason"]].itertuples(index=False)
    assert [tuple(r) for r in rejected] == [("Clients", 2, "Employees", _(FORMULA_WITHOUT_RESULT))]
    assert read_profile(db, "C2")["employees"] == 40
    assert read_profile(db, "C3")["employees"] is None


def test_master_text_loses_invisible_characters_and_minus_zero_is_zero(db, make_xlsx):
    sheets = {
        "Contacts": [["Client ID", "Name", "Influence"], ["C1", "\ufeffAn\u200bn", 4]],
        "Tenders": [["Client ID", "Subject", "Amount"], ["C1", "Boxes", "-0"]],
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    dossier.import_master(db, data, "master.xlsx", "dana")
    assert list(list_records(db, "contact", "C1")["name"]) == ["Ann"]
    amount = list_records(db, "tender", "C1")["amount"].iloc[0]
    assert amount == 0 and math.copysign(1, amount) == 1


def test_master_text_longer_than_an_excel_cell_is_rejected_not_stored_to_be_cut_on_export(db):
    from tests.hostile import rawzip as rz

    long = "A long note. " * 3_000  # 39,000 characters: more than a cell of the export holds
    rows = [(1, ["Client ID", "Industry", "Description"]), (2, ["C1", "Foods", long])]
    rows.append((3, ["C2", "Metals", "short"]))
    data = rz.xlsx([("Clients", rz.sheet_xml(rz.rows_xml(rows)))])
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    (reason,) = result.rejected["reason"]
    assert reason == "longer than 32,767 characters"
    assert len(result.rejected["value"].iloc[0]) < 300  # the value shown, not the whole text
    assert read_profile(db, "C2")["industry"] == "Metals"
    assert read_profile(db, "C1") is None or read_profile(db, "C1").get("industry") != "Foods"


def test_reports_to_names_that_match_no_contact_are_named_in_the_note(db, make_xlsx):
    sheets = {
        "Contacts": [
            ["Client ID", "Name", "Reports to"],
            ["C1", "Ann", "Nobody Known"],
            ["C1", "Ben", "Ann"],
            ["C2", "Cy", "Cy"],
        ]
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    (note,) = [n for n in result.notes if "reports to" in n]
    assert note.startswith("2 'reports to' name(s) match no other contact")
    assert "'Nobody Known' for Ann" in note


def test_master_data_of_more_rows_or_text_than_any_master_data_is_refused(db, monkeypatch):
    from dataclasses import replace

    from kam_core.config import SETTINGS
    from kam_core.ingest import ImportRefused, master

    small = replace(SETTINGS.limits, max_master_rows=3, max_master_text_bytes=2_000)
    monkeypatch.setattr(master, "SETTINGS", replace(SETTINGS, limits=small))
    from tests.hostile import rawzip as rz

    def book(rows: list[list[str]]) -> bytes:
        numbered = list(enumerate(rows, start=1))
        return rz.xlsx([("Clients", rz.sheet_xml(rz.rows_xml(numbered)))])

    many = [["Client ID", "Industry"], *([f"C{i}", "Foods"] for i in range(1, 5))]
    with pytest.raises(ImportRefused, match="4 rows; master data is read up to 3 rows"):
        dossier.import_master(db, book(many), "master.xlsx", "dana")
    long = [["Client ID", "Description"], *([f"C{i}", "x" * 900] for i in (1, 2, 3))]
    with pytest.raises(ImportRefused, match="of text; master data is read up to"):
        dossier.import_master(db, book(long), "master.xlsx", "dana")
    dossier.import_master(db, book([["Client ID", "Industry"], ["C2", "Metals"]]), "m.xlsx", "d")
    assert read_profile(db, "C2")["industry"] == "Metals"


def test_a_bare_customer_beside_customer_name_is_the_code_the_later_sales_file_uses(
    tmp_path, make_xlsx
):
    from kam_core.importing import import_file
    from kam_core.store.dossier_reads import known_clients

    master = {"Clients": [["Customer", "Customer Name", "Industry"], ["C1", "Acme", "Steel"]]}
    master["Clients"].append(["C2", "Beta", "Food"])
    # A Contacts sheet keyed by the codes alone ('Customer' read as a name), in the same file.
    master["Contacts"] = [["Customer", "Name"], ["C1", "Bob"]]
    # A later file keyed by the codes alone ('Customer' read as a name) finds the same client.
    contacts = {"Contacts": [["Customer", "Name"], ["C2", "Ann"]]}
    sales = [["Date", "Customer", "Customer Name", "Amount"], ["2024-01-05", "C1", "Acme", 100]]
    sales.append(["2024-01-06", "C2", "Beta", 200])
    conn = connect(tmp_path / "kam.duckdb")
    try:
        data = make_xlsx(master, name="master.xlsx").read_bytes()
        dossier.import_master(conn, data, "master.xlsx", "dana")
        import_file(conn, make_xlsx({"Sales": sales}).read_bytes(), "sales.xlsx")
        data = make_xlsx(contacts, name="contacts.xlsx").read_bytes()
        dossier.import_master(conn, data, "contacts.xlsx", "dana")
        clients = known_clients(conn).set_index("client_id")
        # Two clients, C1 and C2, each with its profile and its sales (acme and beta held the
        # profiles, C1 and C2 the sales).
        assert sorted(clients.index) == ["C1", "C2"]
        assert read_profile(conn, "C1")["industry"] == "Steel"
        assert read_profile(conn, "C2")["client_name"] == "Beta"
        assert list(list_records(conn, "contact", "C2")["name"]) == ["Ann"]
        assert list(list_records(conn, "contact", "C1")["name"]) == ["Bob"]
        assert conn.execute("SELECT sum(revenue) FROM sales WHERE client_id = 'C1'").fetchone() == (
            100,
        )
    finally:
        conn.close()


def test_one_cell_written_loosely_costs_that_cell_not_the_client(db, make_xlsx):
    sheets = {
        "Clients": [
            ["Client ID", "Industry", "Employees", "Qualification date", "Expert"],
            ["C1", "Foods", "~500", "31/12/2024", "✓"],
            ["C2", "Metals", "50-100", "12/31/2024", "✗"],
            ["C3", "Paper", "1.2K", "2024-13-01", "500+"],
            ["C4", "Glass", "many", "15/01/2025", "no"],
        ]
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    assert result.rejected.empty
    profiles = {c: read_profile(db, c) for c in ("C1", "C2", "C3", "C4")}
    # ~500 is 500; a bracket 50-100 its low end, 50; 1.2K is 1,200.
    assert [profiles[c]["employees"] for c in ("C1", "C2", "C3", "C4")] == [500, 50, 1200, None]
    # 12/31/2024 has one reading (there is no 31st month) in a column written day first.
    assert str(profiles["C2"]["qualification_date"]) == "2024-12-31"
    assert [profiles[c]["is_expert"] for c in ("C1", "C2", "C4")] == [True, False, False]
    assert [profiles[c]["industry"] for c in ("C1", "C2", "C3", "C4")] == [
        "Foods",
        "Metals",
        "Paper",
        "Glass",
    ]
    unread = [n for n in result.notes if "the cell was not read" in n]
    assert unread == [
        "master.xlsx, sheet 'Clients', row 4, column 'Expert': '500+' is not yes or no; the cell "
        "was not read, the rest of the row was stored.",
        "master.xlsx, sheet 'Clients', row 4, column 'Qualification date': '2024-13-01' is not a "
        "date; the cell was not read, the rest of the row was stored.",
        "master.xlsx, sheet 'Clients', row 5, column 'Employees': 'many' is not a whole number; "
        "the cell was not read, the rest of the row was stored.",
    ]


def test_a_text_file_named_after_its_kind_is_read_as_that_kind(db):
    # Dates and amounts beside a client make it look like sales; its name says it holds tenders.
    data = b"Client ID,Date,Subject,Amount\nC1,2025-03-01,Boxes,5000\nC1,2025-04-02,Bags,250.5\n"
    result = dossier.import_master(db, data, "tenders.csv", "dana")
    assert result.counts["tender"]["added"] == 2
    stored = list_records(db, "tender", "C1")
    assert sorted(zip(stored["subject"], stored["amount"], strict=True)) == [
        ("Bags", 250.5),
        ("Boxes", 5000.0),
    ]


def test_numbers_written_too_small_for_a_number_to_hold_reject_their_rows(db):
    clients = b"Client ID,Industry,Employees\nC1,Foods,2.5E-330\nC2,Retail,0e-400\n"
    result = dossier.import_master(db, clients, "Clients.csv", "dana")
    tenders = b"Client ID,Subject,Amount\nC1,Boxes,1e-400\nC1,Bags,10\n"
    result_t = dossier.import_master(db, tenders, "Tenders.csv", "dana")
    shares = b"Client ID,Competitor,Share\nC1,Rival,-1e-400\nC1,Other,30%\n"
    result_s = dossier.import_master(db, shares, "Competitors.csv", "dana")
    found = {
        (r.sheet, r.row, r.value, r.reason)
        for res in (result, result_t, result_s)
        for r in res.rejected.itertuples()
    }
    too_small = "is out of range (not zero, but too small for a number to hold)"
    assert found == {
        ("Clients.csv", 2, "2.5E-330", f"Employees {too_small}"),
        ("Tenders.csv", 2, "1e-400", f"Amount {too_small}"),
        ("Competitors.csv", 2, "-1e-400", f"Share {too_small}"),
    }
    # They were stored as 0: a tender of nothing, a client of no staff, a rival of no share.
    assert read_profile(db, "C2")["employees"] == 0  # a zero written so stays one
    assert list(list_records(db, "tender", "C1")["amount"]) == [10.0]
    assert list(list_records(db, "competitor", "C1")["share"]) == [0.3]


def test_the_command_line_names_each_rejected_master_row_and_why(tmp_path, capsys):
    path = tmp_path / "Tenders.csv"
    path.write_bytes(b"Client ID,Subject,Amount\nC1,Boxes,-5000\nC1,Bags,10\nC1,Crates,1e-400\n")
    db_path = str(tmp_path / "cli.duckdb")
    assert main(["--db", db_path, "--lang", "en", "import-master", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Tenders: 1 added, 0 updated, 0 unchanged" in out
    assert "Rejected: 2 rows" in out
    start = out.index("Rejected rows (first 10):")
    assert out[start + 1 :] == [
        "  sheet 'Tenders.csv', row 2, Amount: "
        "Amount must be between 0 and 1,000,000,000,000. ('-5000')",
        "  sheet 'Tenders.csv', row 4, Amount: "
        "Amount is out of range (not zero, but too small for a number to hold) ('1e-400')",
    ]


def test_the_command_line_says_a_master_file_of_headers_alone_imports_nothing(tmp_path, capsys):
    path = tmp_path / "Contacts.csv"
    path.write_bytes(b"Client ID,Name,Reports to\n")
    db_path = str(tmp_path / "cli.duckdb")
    assert main(["--db", db_path, "--lang", "en", "import-master", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Nothing to import: the sheets have no rows."


def test_a_master_date_far_in_the_past_or_future_is_named_outside_the_years(db, make_xlsx):
    data = make_xlsx(
        {
            "Tenders": [
                ["Client ID", "Date", "Subject"],
                ["C1", "9999-12-31", "Boxes"],
                ["C1", dt.datetime(2262, 4, 12), "Bags"],
                ["C1", "0001-01-01", "Crates"],
                ["C1", "2024-02-30", "Jars"],
                ["C1", "2025-03-01", "Cans"],
            ]
        },
        name="master.xlsx",
    ).read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    # Each tender is stored without its date; the note says why, the day as written.
    assert result.counts["tender"]["added"] == 5
    summary = result.summary()
    for row, value in ((2, "9999-12-31"), (3, "2262-04-12"), (4, "0001-01-01")):
        assert (
            f"row {row}, column 'Date': '{value}' is outside the years 1950 to 2100; "
            "the cell was not read" in summary
        ), summary
    assert "row 5, column 'Date': '2024-02-30' is not a date;" in summary
    dated = list_records(db, "tender", "C1").set_index("subject")["tender_date"]
    assert dated.notna().to_dict() == {
        "Boxes": False,
        "Bags": False,
        "Crates": False,
        "Jars": False,
        "Cans": True,
    }


def test_a_name_of_invisible_characters_alone_is_missing_not_an_internal_error(db):
    # A zero-width space where the client's name goes (an internal error: KeyError 'text'); a
    # BOM and a joiner as a contact's name (stored: a person no page could show).
    clients = "Client ID,Client,Industry\n,\u200b,Foods\nC2,Two,Retail\n".encode()
    result = dossier.import_master(db, clients, "Clients.csv", "dana")
    contacts = "Client ID,Name,Title\nC1,\ufeff\u200d,Buyer\nC1,Ann,\u200d\n".encode()
    result_c = dossier.import_master(db, contacts, "Contacts.csv", "dana")
    found = {
        (r.sheet, r.row, r.column, r.reason)
        for res in (result, result_c)
        for r in res.rejected.itertuples()
    }
    assert found == {
        ("Clients.csv", 2, "client id or name", "required value missing"),
        ("Contacts.csv", 2, "name", "required value missing"),
    }
    assert read_profile(db, "C2")["industry"] == "Retail"
    stored = list_records(db, "contact", "C1")
    assert list(stored["name"]) == ["Ann"]
    assert stored["title"].isna().all()  # a joiner alone is no title
