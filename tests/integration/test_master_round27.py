"""Master data probed as a hostile user would: names written over two lines are stored on one,
free text keeps its lines."""

from __future__ import annotations

import pytest

from kam_core import dossier
from kam_core.store import connect
from kam_core.store.dossier import list_records, read_profile


@pytest.fixture
def db():
    conn = connect(":memory:")
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2025-01-05', 'C1', 'Dana Cohen Ltd', 1)"
    )
    yield conn
    conn.close()


def test_names_with_line_breaks_are_stored_on_one_line_notes_keep_theirs(db, make_xlsx):
    sheets = {
        "Clients": [
            ["Client ID", "Client", "Industry", "Description", "Manager"],
            ["C1", "Dana\nCohen Ltd", "Food\r\nstuff", "line one\nline two", "Moshe \n Levi"],
        ],
        "Contacts": [
            ["Client ID", "Name", "Title", "Reports to", "Notes"],
            ["C1", "Dana\nCohen", "Head\nof buying", "Avi\nLevi", "met twice\ncalls on Fridays"],
            ["C1", "Avi  Levi", "CEO", "", ""],
        ],
        "Tenders": [["Client ID", "Subject", "Winner"], ["C1", "Boxes", "Rival\nCo"]],
        "Competitors": [["Client ID", "Competitor", "Strengths"], ["C1", "Rival\n Co", "a\nb"]],
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    assert not len(result.rejected)
    profile = read_profile(db, "C1")
    assert (profile["client_name"], profile["industry"], profile["manager"]) == (
        "Dana Cohen Ltd",
        "Food stuff",
        "Moshe Levi",
    )
    assert profile["description"] == "line one\nline two"
    contacts = list_records(db, "contact", "C1").set_index("name")
    assert list(contacts.index) == ["Dana Cohen", "Avi Levi"]
    assert contacts.loc["Dana Cohen", "title"] == "Head of buying"
    assert contacts.loc["Dana Cohen", "notes"] == "met twice\ncalls on Fridays"
    # 'Avi\nLevi' names Avi Levi: the chain is kept (reported as matching no one before).
    assert contacts.loc["Dana Cohen", "reports_to"] == contacts.loc["Avi Levi", "contact_id"]
    assert not any("match no other contact" in note for note in result.notes)
    assert list(list_records(db, "tender", "C1")["winner"]) == ["Rival Co"]
    competitors = list_records(db, "competitor", "C1")
    assert list(competitors["name"]) == ["Rival Co"]
    assert list(competitors["strengths"]) == ["a\nb"]


def test_master_dates_written_as_unix_times_are_read_as_sales_reads_them_and_said(db, make_xlsx):
    sheets = {
        "Tenders": [
            ["Client ID", "Date", "Subject"],
            ["C1", 1000000000, "Boxes"],
            ["C1", "2024-03-01", "Bags"],
            ["C1", 9999999999, "Crates"],  # past a year ahead: no date
        ],
        "Activities": [["Client ID", "Date", "What"], ["C1", 1700000000, "call"]],
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    tenders = list_records(db, "tender", "C1").set_index("subject")["tender_date"]
    assert str(tenders["Boxes"])[:10] == "2001-09-09"
    assert str(tenders["Bags"])[:10] == "2024-03-01"
    assert tenders.isna()["Crates"]
    said = "\n".join(result.notes)
    assert "sheet 'Tenders', column 'Date': 1 date among the written ones is a Unix time" in said
    assert "sheet 'Activities', column 'Date': the dates are Unix times" in said
    assert "'9999999999' is not a date" in said


LONG = "123456789012345678901234567890"


def test_a_long_code_stored_as_a_number_rejects_its_row_a_code_written_as_text_is_kept(
    db, make_xlsx
):
    sheets = {
        "Clients": [
            ["Client ID", "Client", "Industry"],
            [int(LONG), "Number cell", "Food"],  # a double: its last digits are gone
            [LONG, "Text cell", "Food"],
            [123456789012345, "Fifteen figures", "Food"],
        ]
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    assert [(r.row, r.value) for r in result.rejected.itertuples()] == [
        (2, "1.234567890123457E+29")
    ]
    assert (
        "an id of more than 15 digits stored as a number lost its last digits"
        in (result.rejected["reason"].iloc[0])
    )
    ids = {row[0] for row in db.execute("SELECT client_id FROM clients").fetchall()}
    assert ids == {LONG, "123456789012345"}
    # Saved by Excel as CSV, the number is written as Excel shows it: rejected too.
    csv = f"Client ID,Client\n1.23457E+29,Big\n{LONG},Exact\n".encode()
    result = dossier.import_master(db, csv, "Clients.csv", "dana")
    assert list(result.rejected["value"]) == ["1.23457E+29"]


def test_a_tender_amount_in_another_currency_is_not_stored_beside_the_others(db, make_xlsx):
    sheets = {
        "Tenders": [
            ["Client ID", "Subject", "Amount"],
            ["C1", "Boxes", "₪5,000"],
            ["C1", "Bags", "₪1,200"],
            ["C1", "Crates", "€ 7,000"],
            ["C1", "Plain", 450],
        ]
    }
    data = make_xlsx(sheets, name="master.xlsx").read_bytes()
    result = dossier.import_master(db, data, "master.xlsx", "dana")
    amounts = list_records(db, "tender", "C1").set_index("subject")["amount"]
    assert amounts[["Boxes", "Bags", "Plain"]].tolist() == [5000.0, 1200.0, 450.0]
    assert amounts.isna()["Crates"]  # the tender kept, its amount left unread
    assert any(
        "row 4, column 'Amount': '€ 7,000' is in €, where the column's other amounts are in ₪"
        in note
        for note in result.notes
    )
