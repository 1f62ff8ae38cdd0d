"""The Settings page: thresholds with their defaults, stored and used; currency; imports with
undo; a backup to download and one to restore; a clear message when the database is held."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields

import pytest

from kam_core.analytics.params import load_thresholds
from kam_core.config import Thresholds
from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.backup import backup_bytes
from kam_core.store.settings import read_settings
from tests.support.apptest import app_at, texts

FIRST = b"Order Date,Customer,Amount\n2024-01-05,Acme,100\n2024-02-06,Beta,50\n"
SECOND = b"Order Date,Customer,Amount\n2024-03-05,Gamma,10\n"
# The defaults of docs/DOMAIN.md as the page writes them, percent for shares.
DEFAULT_LABELS = {
    "months": "(default 12 months)",
    "abc_a": "(default 80%)",
    "abc_b": "(default 95%)",
    "xyz_stability_x": "(default 0.5)",
    "xyz_stability_y": "(default 1)",
    "xyz_frequency_x": "(default 75%)",
    "xyz_frequency_y": "(default 33%)",
    "key_share_low": "(default 30%)",
    "key_share_high": "(default 55%)",
    "breadwinner_share": "(default 10%)",
    "breadwinner_months": "(default 12 months)",
    "prospect_days": "(default 183 days)",
    "prospect_top_share": "(default 20%)",
    "expert_return_share": "(default 5%)",
    "churn_new_days": "(default 90 days)",
    "churn_risk_days": "(default 60 days)",
    "churn_risk_gaps": "(default 1.5)",
    "churn_lost_days": "(default 180 days)",
    "churn_lost_gaps": "(default 3)",
}


def labels_by_key(at) -> dict[str, str]:
    found = {w.key: w.label for w in at.number_input}
    found.update({w.key: w.label for w in at.selectbox if w.key})
    return found


def stored(fresh_db) -> Thresholds:
    conn = connect(fresh_db)
    try:
        return load_thresholds(conn)
    finally:
        conn.close()


def save(at):
    next(b for b in at.button if b.label == "Save thresholds").click()
    return at.run()


def test_every_threshold_of_the_domain_is_shown_with_its_default(fresh_db):
    at = app_at("settings")
    assert not at.exception
    labels = labels_by_key(at)
    assert {f.name for f in fields(Thresholds)} == set(DEFAULT_LABELS)
    for name, default in DEFAULT_LABELS.items():
        assert default in labels[f"th_{name}"], name


def test_a_changed_threshold_is_stored_and_is_the_one_reports_use(fresh_db):
    at = app_at("settings")
    at.number_input(key="th_abc_a").set_value(70.0)
    at.number_input(key="th_churn_lost_days").set_value(240)
    at = save(at)
    assert not at.exception
    assert "Thresholds saved" in texts(at)
    in_force = stored(fresh_db)
    assert in_force.abc_a == pytest.approx(0.70)
    assert in_force.churn_lost_days == 240
    assert in_force.abc_b == Thresholds().abc_b
    assert at.number_input(key="th_abc_a").value == pytest.approx(70.0)


def test_reset_puts_every_threshold_back_to_its_default(fresh_db):
    at = app_at("settings")
    at.number_input(key="th_key_share_high").set_value(60.0)
    at.selectbox(key="th_months").set_value(6)
    at = save(at)
    assert stored(fresh_db).months == 6
    next(b for b in at.button if b.label.startswith("Reset all thresholds")).click()
    at.run()
    assert not at.exception
    assert stored(fresh_db) == Thresholds()
    assert at.number_input(key="th_key_share_high").value == pytest.approx(55.0)


def test_thresholds_that_contradict_each_other_are_not_saved(fresh_db):
    at = app_at("settings")
    at.number_input(key="th_abc_a").set_value(96.0)  # above B's 95%
    at = save(at)
    assert not at.exception
    assert "The A share must be below the B share" in texts(at)
    assert stored(fresh_db) == Thresholds()


@pytest.mark.slow
def test_the_window_setting_becomes_the_sidebar_window_of_the_reports(fresh_db):
    conn = connect(fresh_db)
    import_file(conn, FIRST, "first.csv")
    conn.close()
    at = app_at("settings")
    at.selectbox(key="th_months").set_value(6)
    save(at)
    report = app_at("overview")
    assert report.sidebar.selectbox(key="p_months").value == 6


def test_the_currency_symbol_is_stored(fresh_db):
    at = app_at("settings")
    assert at.selectbox(key="currency_choice").value == "₪"
    at.selectbox(key="currency_choice").set_value("$")
    at.run()
    assert not at.exception
    conn = connect(fresh_db)
    try:
        assert read_settings(conn)["currency_symbol"] == "$"
    finally:
        conn.close()


@pytest.mark.slow
def test_the_data_tab_shows_the_database_the_imports_with_undo_and_a_backup(fresh_db):
    conn = connect(fresh_db)
    import_file(conn, FIRST, "first.csv")
    conn.close()
    at = app_at("settings")
    assert str(fresh_db) in [c.value for c in at.code]
    assert any(s.label == "Undo an import" for s in at.selectbox)
    buttons = at.download_button
    # The import history's Excel and CSV, then the backup.
    assert [b.label for b in buttons] == ["Excel", "CSV", "Download a backup of the database"]


def _upload_backup(at, data: bytes):
    at.file_uploader(key="restore_file").set_value(("kam-backup.duckdb", data, "application/x"))
    at.run()
    assert at.button(key="restore_button").disabled, "nothing happens before a confirmation"
    next(c for c in at.checkbox if c.label.startswith("Yes, replace")).check()
    at.run()
    at.button(key="restore_button").click()
    return at.run()


@pytest.mark.slow
def test_a_backup_uploaded_and_confirmed_replaces_the_data(fresh_db):
    conn = connect(fresh_db)
    import_file(conn, FIRST, "first.csv")
    data = backup_bytes(conn)
    import_file(conn, SECOND, "second.csv")
    conn.close()
    at = _upload_backup(app_at("settings"), data)
    assert not at.exception
    assert "Backup restored: 2 sales rows" in texts(at)
    conn = connect(fresh_db)
    try:
        names = {r[0] for r in conn.execute("SELECT client_name FROM sales").fetchall()}
    finally:
        conn.close()
    assert names == {"Acme", "Beta"}


@pytest.mark.slow
def test_a_file_that_is_not_a_backup_is_refused_on_the_page_and_nothing_changes(fresh_db):
    conn = connect(fresh_db)
    import_file(conn, FIRST, "first.csv")
    conn.close()
    at = _upload_backup(app_at("settings"), b"not a database" * 100)
    assert not at.exception
    assert "nothing was changed" in texts(at)
    conn = connect(fresh_db)
    try:
        assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 2
    finally:
        conn.close()


@pytest.mark.slow
def test_a_database_held_by_another_program_shows_a_message_not_a_stack_trace(fresh_db):
    connect(fresh_db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(fresh_db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = app_at("settings")
        assert not at.exception
        shown = texts(at)
        assert "The database cannot be opened." in shown
        assert "in use by another program" in shown
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_another_programs_database_is_named_on_the_page_and_left_as_it_was(fresh_db):
    import duckdb

    other = duckdb.connect(str(fresh_db))
    other.execute("CREATE TABLE invoices (id INTEGER)")
    other.close()
    at = app_at("overview")
    assert not at.exception
    shown = texts(at)
    assert "The database cannot be opened." in shown
    assert "is a DuckDB database of another program (it holds invoices" in shown
    other = duckdb.connect(str(fresh_db), read_only=True)
    try:
        assert other.execute("SELECT table_name FROM duckdb_tables()").fetchall() == [("invoices",)]
    finally:
        other.close()


def test_another_programs_database_is_refused_in_the_language_of_the_link(fresh_db):
    import duckdb

    other = duckdb.connect(str(fresh_db))
    other.execute("CREATE TABLE invoices (id INTEGER)")
    other.close()
    at = app_at("overview", {"lang": "he"})
    assert not at.exception
    shown = texts(at)
    assert "לא ניתן לפתוח את מסד הנתונים." in shown
    assert "הוא מסד נתונים DuckDB של תוכנה אחרת (יש בו invoices" in shown
    assert "another program" not in shown


def test_a_database_that_fails_to_read_a_block_is_said_on_the_page(fresh_db, monkeypatch):
    # A file cut short past its catalog opens, then a read past its end fails: the page
    # showed Streamlit's traceback.
    import duckdb

    import ui.frame

    def cut_short(*_args, **_kwargs):
        raise duckdb.IOException('IO Error: Could not read enough bytes from file "kam.duckdb"')

    monkeypatch.setattr(ui.frame, "page", cut_short)
    at = app_at("overview")
    assert not at.exception
    shown = texts(at)
    assert "The database could not be read: its file may be cut short or damaged." in shown
    assert 'IO Error: Could not read enough bytes from file "kam.duckdb"' in shown
