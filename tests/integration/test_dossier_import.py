"""Master data from workbooks: every sheet stored, nothing added twice, blanks never erase,
People assigns managers, the template and the dossier exports import back."""

import io
import json

import openpyxl
import pytest

from kam_core import dossier
from kam_core.cli import main
from kam_core.ingest import ImportRefused
from kam_core.store import connect
from kam_core.store.dossier import list_records, read_profile
from kam_core.store.sales import ImportCounts

SHEETS = {
    "Clients": [
        ["Client ID", "Industry", "Employees", "Need", "Solvency", "Authority", "Image maker"],
        ["C1", "Foods", 250, "yes", "yes", "yes", "yes"],
        ["C2", "Retail", None, "no", None, None, None],
    ],
    "Contacts": [
        ["Client ID", "Name", "Job title", "Role", "Attitude", "Influence", "Reports to"],
        ["C1", "Ann Boss", "CEO", "Decision maker", "supporter", 5, None],
        ["C1", "Ben Buyer", "Buyer", "gatekeeper", "neutral", 2, "Ann Boss"],
    ],
    "Tenders": [
        ["Client ID", "Date", "Subject", "Amount", "Result", "Reason", "Winner"],
        ["C1", "2025-03-01", "Boxes", 5000, "lost", "Price", "Rival Ltd"],
    ],
    "Competitors": [["Client", "Competitor", "Share"], ["Client One", "Rival Ltd", "30%"]],
    "Activities": [
        ["Client ID", "Kind", "Due date", "Target person", "What", "Status"],
        ["C1", "ABM action", "2026-02-01", "Ben Buyer", "Send a case study", "planned"],
    ],
}


@pytest.fixture
def db():
    conn = connect(":memory:")
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue,"
        " manager, region) VALUES (1, 1, DATE '2025-01-05', 'C1', 'Client One', 100, 'Dana',"
        " 'North'), (2, 1, DATE '2025-01-06', 'C2', 'Client Two', 50, 'Maria', 'Center'),"
        " (3, 1, DATE '2025-01-07', 'C3', 'Client Three', 20, 'Ori', 'Center')"
    )
    yield conn
    conn.close()


def workbook(make_xlsx, sheets, name="master.xlsx") -> bytes:
    return make_xlsx(sheets, name=name).read_bytes()


def test_every_master_data_sheet_is_stored(db, make_xlsx):
    result = dossier.import_master(db, workbook(make_xlsx, SHEETS), "master.xlsx", "dana")
    assert {k: c["added"] for k, c in result.counts.items()} == {
        "client": 2,
        "contact": 2,
        "competitor": 1,
        "tender": 1,
        "activity": 1,
    }
    c1 = read_profile(db, "C1")
    assert (c1["industry"], c1["employees"], c1["is_image_maker"], c1["updated_by"]) == (
        "Foods",
        250,
        True,
        "dana",
    )
    assert dossier.qualification(c1).qualified
    people = list_records(db, "contact", "C1").set_index("name")
    assert people.at["Ben Buyer", "reports_to"] == people.at["Ann Boss", "contact_id"]
    assert people.at["Ann Boss", "role"] == "decision_maker"
    rival = list_records(db, "competitor", "C1").iloc[0]
    assert (rival["name"], rival["share"]) == ("Rival Ltd", 0.3)  # matched by the client's name
    action = list_records(db, "activity", "C1").iloc[0]
    assert action["contact_id"] == people.at["Ben Buyer", "contact_id"]
    assert action["kind"] == "abm"


def test_importing_the_same_workbook_twice_changes_nothing(db, make_xlsx):
    data = workbook(make_xlsx, SHEETS)
    dossier.import_master(db, data, "master.xlsx")
    before = {t: len(list_records(db, t)) for t in ("contact", "tender", "competitor", "activity")}
    again = dossier.import_master(db, data, "master.xlsx")
    assert all(c["added"] == 0 and c["updated"] == 0 for c in again.counts.values())
    after = {t: len(list_records(db, t)) for t in ("contact", "tender", "competitor", "activity")}
    assert after == before


def test_blank_cells_never_erase_what_is_stored(db, make_xlsx):
    dossier.import_master(db, workbook(make_xlsx, SHEETS), "master.xlsx")
    later = {"Clients": [["Client ID", "Industry", "Employees"], ["C1", None, 300]]}
    result = dossier.import_master(db, workbook(make_xlsx, later, "later.xlsx"), "later.xlsx")
    assert result.counts["client"]["updated"] == 1
    c1 = read_profile(db, "C1")
    assert (c1["industry"], c1["employees"], c1["version"]) == ("Foods", 300, 2)


def test_people_assign_a_regions_only_manager_and_keep_the_datas_in_shared_regions(db, make_xlsx):
    people = {
        "People": [
            ["Region", "Manager"],
            ["North", "Noa"],
            ["Center", "Maria"],
            ["Center", "Yossi"],
        ]
    }
    result = dossier.import_master(db, workbook(make_xlsx, people), "people.xlsx")
    managers = {c: (read_profile(db, c) or {}).get("manager") for c in ("C1", "C2", "C3")}
    # C1: North has one manager. C2: its data manager Maria covers Center. C3: Ori does not.
    assert managers == {"C1": "Noa", "C2": "Maria", "C3": None}
    assert result.notes == [
        "Region Center lists 2 managers (Maria, Yossi): its clients whose sales name none of "
        "them were given no manager; choose one in each client's dossier, or list one manager "
        "for the region."
    ]


def test_people_never_replace_a_manager_set_in_the_dossier(db, make_xlsx):
    dossier.save_profile(db, "C1", {"manager": "Eitan"}, 0, "dana")
    people = {"People": [["Region", "Manager"], ["North", "Noa"]]}
    dossier.import_master(db, workbook(make_xlsx, people), "people.xlsx")
    assert read_profile(db, "C1")["manager"] == "Eitan"


def test_rows_breaking_the_dossier_rules_are_reported_and_the_rest_stored(db, make_xlsx):
    sheets = {
        "Contacts": [
            ["Client ID", "Name", "Influence"],
            ["C1", "Ann", 9],
            ["C1", "Ben", 2],
        ]
    }
    result = dossier.import_master(db, workbook(make_xlsx, sheets), "c.xlsx")
    assert list(list_records(db, "contact", "C1")["name"]) == ["Ben"]
    assert result.rejected[["row", "reason"]].values.tolist() == [
        [2, "Influence must be between 1 and 5."]
    ]


def test_a_workbook_without_master_data_is_refused_naming_its_sheets(db, make_xlsx):
    data = workbook(make_xlsx, {"Summary": [["just", "text"], ["a", "b"]]})
    with pytest.raises(ImportRefused, match="no master-data sheet found"):
        dossier.import_master(db, data, "notes.xlsx")


def test_a_sheet_missing_its_required_column_is_refused_and_nothing_stored(db, make_xlsx):
    data = workbook(make_xlsx, {**SHEETS, "Tenders": [["Client ID", "Amount"], ["C1", 5]]})
    with pytest.raises(ImportRefused, match="subject"):
        dossier.import_master(db, data, "master.xlsx")
    assert list_records(db, "contact").empty


def test_the_template_has_every_sheet_and_its_headers_are_recognised():
    book = openpyxl.load_workbook(io.BytesIO(dossier.template_workbook()))
    assert book.sheetnames == [
        "Instructions",
        "Clients",
        "Contacts",
        "Tenders",
        "Competitors",
        "Activities",
        "People",
    ]
    preview = dossier.preview_master(dossier.template_workbook(), "template.xlsx")
    for layout in preview.layouts:
        headers = [c for c in layout.columns if not c.startswith("Column ")]
        assert len(layout.mapping) == len(headers), layout.sheet


def test_all_dossiers_exported_import_back_unchanged(db, make_xlsx):
    dossier.import_master(db, workbook(make_xlsx, SHEETS), "master.xlsx")
    dossier.save_profile(db, "C2", {"website": '=HYPERLINK("x")'}, 1, "dana")
    exported = dossier.all_dossiers_workbook(db)
    result = dossier.import_master(db, exported, "kam-dossiers.xlsx", "ori")
    assert all(c["added"] == 0 and c["updated"] == 0 for c in result.counts.values())
    assert read_profile(db, "C2")["website"] == '=HYPERLINK("x")'
    sheet = openpyxl.load_workbook(io.BytesIO(exported))["Clients"]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row}
    assert cells['=HYPERLINK("x")'] == "s"  # a string cell: shown as typed, never run


def test_one_dossier_exports_its_records_and_purchases(db, make_xlsx):
    dossier.import_master(db, workbook(make_xlsx, SHEETS), "master.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(dossier.dossier_workbook(db, "C1")))
    assert "Purchases by month" in book.sheetnames
    names = [row[1] for row in book["Contacts"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Ann Boss", "Ben Buyer"]
    assert book["Clients"].max_row == 2


def test_the_command_line_imports_master_data_and_exports_dossiers(tmp_path, make_xlsx, capsys):
    db_path = tmp_path / "cli.duckdb"
    path = make_xlsx(SHEETS, name="master.xlsx")
    assert main(["--db", str(db_path), "import-master", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"]["contact"]["added"] == 2
    target = tmp_path / "all.xlsx"
    assert main(["--db", str(db_path), "export-dossiers", str(target)]) == 0
    assert openpyxl.load_workbook(target)["Contacts"].max_row == 3


def test_the_demo_gives_its_largest_clients_a_deterministic_dossier(db):
    from kam_core.demo import demo_sales
    from kam_core.demo.master import KEY_CLIENTS, demo_master_frames

    first, second = demo_master_frames(), demo_master_frames()
    for name, frame in first.items():
        assert frame.equals(second[name]), name
    revenue = demo_sales().groupby("client_id")["revenue"].sum()
    largest = set(revenue.sort_values(ascending=False).head(KEY_CLIENTS).index)
    assert set(first["Clients"]["client_id"]) == largest
    assert set(first["Contacts"]["client_id"]) == largest


def test_loading_the_demo_loads_the_dossiers_and_the_people_sheets_managers(tmp_path):
    from kam_core.demo.load import load_demo

    conn = connect(tmp_path / "demo.duckdb")
    counts = load_demo(conn)
    assert isinstance(counts, ImportCounts)
    scores = dossier.completeness_by_client(conn).set_index("client_id")["completeness"]
    assert (scores > 0.5).sum() >= 15
    managers = conn.execute("SELECT count(manager) FROM clients").fetchone()[0]
    assert managers == 300  # every demo client's region has its manager in People
    conn.close()


def test_the_summary_is_in_the_users_language_and_carries_the_readers_notes(db, make_xlsx):
    from kam_core.i18n import use_language

    book = openpyxl.Workbook()  # openpyxl saves formulas without results, as a program does
    book.active.title = "Clients"
    for row in [["Client ID", "Employees"], ["C1", 10], ["C2", "=1+1"]]:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    with use_language("he"):
        result = dossier.import_master(db, data.getvalue(), "master.xlsx", "dana")
        summary = result.summary()
    # C2's employees is a formula never calculated (openpyxl writes no result): rejected.
    assert summary.splitlines()[:2] == [
        "לקוחות: 1 נוספו, 0 עודכנו, 0 ללא שינוי",
        "נדחתה: 1 שורה",
    ]
    assert "B3" in summary  # the reader's note names the formula's cell


def test_a_record_written_twice_stores_the_later_row_and_names_the_earlier(db, make_xlsx):
    sheets = {
        "Clients": [["Client ID", "Industry", "Employees"], ["C1", "Foods", 100], ["C1", "Oil", 7]],
        "Contacts": [
            ["Client ID", "Name", "Job title", "Influence"],
            ["C1", "Ann Boss", "CEO", 5],
            ["C1", "Ann Boss", "CFO", 3],
            ["C1", "Ben Buyer", "Buyer", 2],
        ],
    }
    result = dossier.import_master(db, workbook(make_xlsx, sheets), "master.xlsx")
    c1 = read_profile(db, "C1")
    assert (c1["industry"], c1["employees"]) == ("Oil", 7)
    ann = list_records(db, "contact", "C1").set_index("name").loc["Ann Boss"]
    assert (ann["title"], ann["influence"]) == ("CFO", 3)
    assert result.counts["contact"]["added"] == 2
    notes = " ".join(result.notes)
    assert "Sheet 'Clients': row(s) 2 describe the same record as a later row" in notes
    assert "Sheet 'Contacts': row(s) 2 describe the same record as a later row" in notes


def test_a_person_written_with_direction_marks_is_the_same_contact(db, make_xlsx):
    contacts = {
        "Contacts": [["Client ID", "Name"], ["C1", "משה כהן"], ["C1", "\u200fמשה כהן\u200f"]]
    }
    dossier.import_master(db, workbook(make_xlsx, contacts), "c.xlsx")
    assert list(list_records(db, "contact", "C1")["name"]) == ["משה כהן"]


def test_competitors_shares_past_the_whole_spend_are_named(db, make_xlsx):
    rivals = {
        "Competitors": [["Client ID", "Competitor", "Share"], ["C1", "A", "30%"], ["C1", "B", 0.8]]
    }
    result = dossier.import_master(db, workbook(make_xlsx, rivals), "r.xlsx")
    assert result.notes == [
        "The competitors' shares of 1 client(s) add up to more than all of the client's spend "
        "(such as C1: 110%); check them in the dossier."
    ]


def test_codes_whose_zeros_excel_dropped_are_the_stored_clients(make_xlsx):
    conn = connect(":memory:")
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2025-01-05', '001000', 'Acme', 10), "
        "(2, 1, DATE '2025-01-05', '001001', 'Beta', 5), "
        "(3, 1, DATE '2025-01-05', '7', 'Seven', 5), (4, 1, DATE '2025-01-05', '007', 'Bond', 5)"
    )
    sheets = {
        "Clients": [["Client ID", "Industry"], [1000, "Steel"], ["1001", "Food"], [7, "Spy"]],
        "Contacts": [["Client ID", "Name"], [1000, "Ann"]],
    }
    try:
        result = dossier.import_master(conn, workbook(make_xlsx, sheets), "m.xlsx")
        assert read_profile(conn, "001000")["industry"] == "Steel"
        assert read_profile(conn, "001001")["industry"] == "Food"
        assert list(list_records(conn, "contact", "001000")["name"]) == ["Ann"]
        # 7 is a stored id of its own (beside 007): it stays itself.
        assert read_profile(conn, "7")["industry"] == "Spy"
        assert not conn.execute(
            "SELECT count(*) FROM clients WHERE client_id IN ('1000', '1001')"
        ).fetchall()[0][0]
        assert (
            "Client ids read as the stored clients' codes (the zeros in front dropped): "
            "1000 as 001000, 1001 as 001001." in result.notes
        )
    finally:
        conn.close()


def test_ids_differing_from_stored_ids_only_in_capitals_are_the_stored_clients(make_xlsx):
    conn = connect(":memory:")
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2025-01-05', 'C001', 'Acme', 10), "
        "(2, 1, DATE '2025-01-05', 'acme-01', 'Beta', 5), "
        "(3, 1, DATE '2025-01-05', 'x1', 'Ex One', 5), (4, 1, DATE '2025-01-05', 'X1', 'Ex', 5)"
    )
    sheets = {
        "Clients": [
            ["Client ID", "Industry"],
            ["c001", "Steel"],
            ["ACME-01", "Food"],
            ["x1", "Spy"],
            ["N9", "New"],
        ],
        "Contacts": [["Client ID", "Name"], ["c001", "Ann"]],
    }
    try:
        result = dossier.import_master(conn, workbook(make_xlsx, sheets), "m.xlsx")
        assert read_profile(conn, "C001")["industry"] == "Steel"
        assert read_profile(conn, "acme-01")["industry"] == "Food"
        assert list(list_records(conn, "contact", "C001")["name"]) == ["Ann"]
        # x1 is stored as itself (beside X1): it stays itself; N9 is a new client.
        assert read_profile(conn, "x1")["industry"] == "Spy"
        assert read_profile(conn, "N9")["industry"] == "New"
        assert not conn.execute(
            "SELECT count(*) FROM clients WHERE client_id IN ('c001', 'ACME-01', 'X1')"
        ).fetchall()[0][0]
        assert (
            "Client ids read as the stored clients' ids, written in other capitals: "
            "ACME-01 as acme-01, c001 as C001." in result.notes
        )
    finally:
        conn.close()
