"""Dossier records in DuckDB: every table, who changed what and when, and edits that would
overwrite someone else's work refused."""

from datetime import date

import duckdb
import pytest

from kam_core import dossier
from kam_core.store import connect
from kam_core.store.dossier import list_records, read_profile
from kam_core.store.dossier_reads import changes


@pytest.fixture
def db():
    conn = connect(":memory:")
    yield conn
    conn.close()


def test_migration_three_adds_the_dossier_tables(db):
    tables = {
        r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"contacts", "tenders", "competitors", "activities", "dossier_changes"} <= tables


def test_a_database_of_the_previous_version_migrates_and_keeps_its_clients(tmp_path):
    from kam_core.store.schema import MIGRATIONS

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for script in MIGRATIONS[:2]:
        old.execute(script)
    old.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    old.execute("INSERT INTO clients (client_id, industry) VALUES ('C1', 'Foods')")
    old.close()
    conn = connect(path)
    assert read_profile(conn, "C1")["industry"] == "Foods"
    assert dossier.add(conn, "contact", "C1", {"name": "Ann"}, "dana") > 0
    conn.close()


def test_a_first_profile_save_creates_version_one_with_who_and_when(db):
    version = dossier.save_profile(db, "C1", {"industry": "Foods", "employees": 120}, 0, "dana")
    profile = read_profile(db, "C1")
    assert version == 1
    assert (profile["industry"], profile["employees"], profile["updated_by"]) == (
        "Foods",
        120,
        "dana",
    )
    assert profile["updated_at"] is not None


def test_two_sessions_open_the_same_profile_and_the_later_save_is_refused(db):
    dossier.save_profile(db, "C1", {"industry": "Foods"}, 0, "dana")
    opened_by_dana = opened_by_ori = read_profile(db, "C1")["version"]
    dossier.save_profile(db, "C1", {"industry": "Retail"}, opened_by_dana, "dana")
    with pytest.raises(dossier.StaleEdit, match="dana saved this profile"):
        dossier.save_profile(db, "C1", {"industry": "Pharma"}, opened_by_ori, "ori")
    profile = read_profile(db, "C1")
    assert (profile["industry"], profile["version"], profile["updated_by"]) == (
        "Retail",
        2,
        "dana",
    )


def test_two_sessions_creating_the_same_new_profile_cannot_both_win(db):
    dossier.save_profile(db, "C9", {"industry": "Foods"}, 0, "dana")
    with pytest.raises(dossier.StaleEdit):
        dossier.save_profile(db, "C9", {"industry": "Pharma"}, 0, "ori")
    assert read_profile(db, "C9")["industry"] == "Foods"


def test_saving_an_unchanged_profile_keeps_its_version(db):
    dossier.save_profile(db, "C1", {"industry": "Foods"}, 0, "dana")
    assert dossier.save_profile(db, "C1", {"industry": "Foods"}, 1, "ori") == 1
    assert read_profile(db, "C1")["updated_by"] == "dana"


@pytest.mark.parametrize(
    ("entity", "values", "change"),
    [
        ("contact", {"name": "Ann", "role": "decision_maker"}, {"attitude": "opponent"}),
        ("tender", {"subject": "Boxes", "tender_date": date(2025, 3, 1)}, {"result": "won"}),
        ("competitor", {"name": "Rival", "share": 0.3}, {"share": 0.4}),
        ("activity", {"kind": "abm", "text": "Invite"}, {"status": "done"}),
    ],
)
def test_every_record_can_be_added_changed_and_removed_with_a_log(db, entity, values, change):
    row_id = dossier.add(db, entity, "C1", values, "dana")
    assert dossier.update(db, entity, row_id, change, 1, "ori") == 2
    stored = list_records(db, entity, "C1").iloc[0]
    for key, value in change.items():
        assert stored[key] == value
    assert (stored["updated_by"], stored["version"]) == ("ori", 2)
    dossier.delete(db, entity, row_id, 2, "dana")
    assert list_records(db, entity, "C1").empty
    log = changes(db, "C1")
    assert list(log["action"]) == ["delete", "update", "create"]
    assert list(log["changed_by"]) == ["dana", "ori", "dana"]


def test_a_stale_edit_of_a_contact_is_refused_and_nothing_is_overwritten(db):
    row_id = dossier.add(db, "contact", "C1", {"name": "Ann"}, "dana")
    dossier.update(db, "contact", row_id, {"title": "CEO"}, 1, "dana")
    with pytest.raises(dossier.StaleEdit, match="dana saved this contact"):
        dossier.update(db, "contact", row_id, {"title": "CFO"}, 1, "ori")
    with pytest.raises(dossier.StaleEdit):
        dossier.delete(db, "contact", row_id, 1, "ori")
    assert list_records(db, "contact", "C1").iloc[0]["title"] == "CEO"


def test_editing_a_record_someone_removed_says_it_was_deleted(db):
    row_id = dossier.add(db, "tender", "C1", {"subject": "Boxes"}, "dana")
    dossier.delete(db, "tender", row_id, 1, "dana")
    with pytest.raises(dossier.StaleEdit, match="deleted"):
        dossier.update(db, "tender", row_id, {"result": "won"}, 1, "ori")


def test_a_contact_cannot_report_to_someone_reporting_to_them(db):
    boss = dossier.add(db, "contact", "C1", {"name": "Boss"}, "dana")
    worker = dossier.add(db, "contact", "C1", {"name": "Worker", "reports_to": boss}, "dana")
    with pytest.raises(dossier.DossierError, match="circle"):
        dossier.update(db, "contact", boss, {"reports_to": worker}, 1, "dana")


def test_a_contact_reports_only_to_a_person_of_the_same_client(db):
    other = dossier.add(db, "contact", "C2", {"name": "Elsewhere"}, "dana")
    with pytest.raises(dossier.DossierError, match="this client"):
        dossier.add(db, "contact", "C1", {"name": "Ann", "reports_to": other}, "dana")
    with pytest.raises(dossier.DossierError, match="this client"):
        dossier.add(db, "activity", "C1", {"text": "Call", "contact_id": other}, "dana")


def test_removing_a_contact_unlinks_their_people_and_actions(db):
    boss = dossier.add(db, "contact", "C1", {"name": "Boss"}, "dana")
    dossier.add(db, "contact", "C1", {"name": "Worker", "reports_to": boss}, "dana")
    dossier.add(db, "activity", "C1", {"text": "Lunch", "contact_id": boss}, "dana")
    dossier.delete(db, "contact", boss, 1, "ori")
    assert list_records(db, "contact", "C1")["reports_to"].isna().all()
    assert list_records(db, "activity", "C1")["contact_id"].isna().all()


def test_the_database_itself_refuses_a_role_outside_the_vocabulary(db):
    with pytest.raises(duckdb.ConstraintException):
        db.execute("INSERT INTO contacts (client_id, name, role) VALUES ('C1', 'X', 'boss')")


def test_completeness_counts_the_sections_a_manager_filled(db):
    db.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, revenue) VALUES "
        "(1, 1, DATE '2025-01-01', 'C2', 10)"
    )
    general = {"description": "d", "industry": "i", "employees": 5, "website": "w"}
    dossier.save_profile(db, "C1", {**general, "need": "yes", "solvency": "no"}, 0, "dana")
    dossier.add(db, "contact", "C1", {"name": "Ann", "role": "decision_maker"}, "dana")
    dossier.add(db, "activity", "C1", {"kind": "note", "text": "Met", "status": "done"}, "dana")
    done = dossier.completeness(db, "C1")
    assert done.sections == {
        "general": True,
        "decision_map": True,
        "competitors": False,
        "tenders": False,
        "qualification": False,
        "plan": False,
        "notes": True,
    }
    assert done.score == pytest.approx(3 / 7)
    by_client = dossier.completeness_by_client(db).set_index("client_id")["completeness"]
    assert by_client.to_dict() == {"C1": pytest.approx(3 / 7), "C2": 0.0}
