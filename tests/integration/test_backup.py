"""Backups: a complete copy of every table, restored atomically, from code and command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.backup import (
    STATE_KEYS,
    BackupRefused,
    backup,
    backup_bytes,
    inspect_backup,
    restore,
    restore_bytes,
)
from kam_core.store.sales import undo_upload
from kam_core.store.schema import MIGRATIONS, SCHEMA_VERSION
from kam_core.store.settings import read_settings, write_setting
from tests.hostile.checksums import table_checksums, table_names
from tests.integration.commands import kam, kam_here

FIRST = b"Order Date,Customer,Amount\n2024-01-05,Acme,100\n2024-01-06,Beta,50\n2024-02-01,Acme,70\n"
SECOND = b"Order Date,Customer,Amount\n2024-03-05,Gamma,10\n2024-03-06,Delta,20\n"
LATER = b"Order Date,Customer,Amount\n2024-04-01,Epsilon,5\n"


def fill(conn: duckdb.DuckDBPyConnection) -> None:
    """Put something in every kind of table: imports, an undo, settings, master data."""
    import_file(conn, FIRST, "first.csv")
    second, _, _ = import_file(conn, SECOND, "second.csv")
    undo_upload(conn, second.upload_id)
    write_setting(conn, "abc_a", 0.7)
    conn.execute(
        "INSERT INTO clients (client_id, client_name, is_expert) VALUES ('acme', 'Acme', true)"
    )
    conn.execute("INSERT INTO win_back (client_id, status) VALUES ('beta', 'planned')")
    if "contacts" in table_names(conn):  # a table whose ids come from a sequence default
        conn.execute("INSERT INTO contacts (client_id, name) VALUES ('acme', 'Dana')")


def change_everything(conn: duckdb.DuckDBPyConnection) -> None:
    import_file(conn, LATER, "later.csv")
    undo_upload(conn, 1)
    write_setting(conn, "abc_a", 0.5)
    conn.execute("DELETE FROM clients")
    conn.execute("UPDATE win_back SET status = 'declined'")
    if "contacts" in table_names(conn):
        conn.execute("INSERT INTO contacts (client_id, name) VALUES ('beta', 'Ori')")


def filled_database(folder: Path) -> Path:
    """A database file filled by fill(), closed (so all of it is in the one file)."""
    path = folder / "kam.duckdb"
    conn = connect(path)
    fill(conn)
    conn.close()
    return path


@pytest.fixture(scope="module")
def filled_file(tmp_path_factory) -> Path:
    """One filled database for the module: each test works on its own copy."""
    return filled_database(tmp_path_factory.mktemp("filled"))


@pytest.fixture
def filled(filled_file, tmp_path):
    shutil.copy(filled_file, tmp_path / "kam.duckdb")
    conn = connect(tmp_path / "kam.duckdb")
    yield conn
    conn.close()


def test_a_restored_backup_has_every_table_exactly_as_it_was(filled, tmp_path):
    saved = table_checksums(filled, skip_meta=STATE_KEYS)
    info = backup(filled, tmp_path / "backup.duckdb")
    assert info.sales_rows == 3
    assert info.schema_version == SCHEMA_VERSION
    change_everything(filled)
    assert table_checksums(filled, skip_meta=STATE_KEYS) != saved
    restore(filled, tmp_path / "backup.duckdb")
    assert table_checksums(filled, skip_meta=STATE_KEYS) == saved
    assert read_settings(filled)["abc_a"] == 0.7


def test_after_a_restore_new_imports_and_records_get_fresh_ids(filled, tmp_path):
    backup(filled, tmp_path / "backup.duckdb")
    change_everything(filled)
    restore(filled, tmp_path / "backup.duckdb")
    restored_ids = {r[0] for r in filled.execute("SELECT upload_id FROM uploads").fetchall()}
    counts, _, _ = import_file(filled, LATER, "after-restore.csv")
    assert counts.upload_id not in restored_ids
    if "contacts" in table_names(filled):
        filled.execute("INSERT INTO contacts (client_id, name) VALUES ('gamma', 'Noa')")
        ids = [r[0] for r in filled.execute("SELECT contact_id FROM contacts").fetchall()]
        assert len(ids) == len(set(ids))


def test_a_restore_moves_the_data_version_on_so_no_cached_report_is_reused(filled, tmp_path):
    backup(filled, tmp_path / "backup.duckdb")
    before = dict(filled.execute("SELECT key, value FROM meta").fetchall())
    restore(filled, tmp_path / "backup.duckdb")
    after = dict(filled.execute("SELECT key, value FROM meta").fetchall())
    assert int(after["data_version"]) > int(before["data_version"])
    assert after["db_id"] != before["db_id"]


def test_a_backup_as_bytes_restores_like_a_file(filled):
    data = backup_bytes(filled)
    saved = table_checksums(filled, skip_meta=STATE_KEYS)
    change_everything(filled)
    restore_bytes(filled, data)
    assert table_checksums(filled, skip_meta=STATE_KEYS) == saved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database at all" * 100, "not a database backup"),
        (b"", "not a database backup"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    filled, tmp_path, content, message
):
    path = tmp_path / "fake.duckdb"
    path.write_bytes(content)
    saved = table_checksums(filled)
    with pytest.raises(BackupRefused, match=message):
        restore(filled, path)
    assert table_checksums(filled) == saved


def test_a_database_that_is_not_ours_is_refused(filled, tmp_path):
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other.execute("CREATE TABLE sales AS SELECT 1 AS x")
    other.close()
    saved = table_checksums(filled)
    with pytest.raises(BackupRefused, match="not a KAM Analytics backup"):
        restore(filled, tmp_path / "other.duckdb")
    assert table_checksums(filled) == saved


def test_a_backup_from_a_newer_version_is_refused(filled, tmp_path):
    path = tmp_path / "newer.duckdb"
    backup(filled, path)
    newer = duckdb.connect(str(path))
    newer.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)]
    )
    newer.close()
    with pytest.raises(BackupRefused, match="newer version"):
        inspect_backup(path)


def test_a_restore_that_fails_halfway_leaves_every_table_as_it_was(filled, tmp_path):
    path = tmp_path / "broken.duckdb"
    backup(filled, path)
    # Settings come after sales in the restore: duplicate keys make the restore fail there.
    broken = duckdb.connect(str(path))
    broken.execute("CREATE TABLE s2 AS SELECT * FROM settings")
    broken.execute("DROP TABLE settings")
    broken.execute("CREATE TABLE settings (key VARCHAR, value JSON)")
    broken.execute("INSERT INTO settings VALUES ('abc_a', '0.1'), ('abc_a', '0.2')")
    broken.close()
    change_everything(filled)
    saved = table_checksums(filled)
    with pytest.raises(BackupRefused, match="do not fit"):
        restore(filled, path)
    assert table_checksums(filled) == saved


def test_a_backup_of_the_first_schema_is_brought_up_to_date_when_restored(filled, tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    old.execute(MIGRATIONS[0])
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, revenue) "
        "VALUES (1, 1, DATE '2020-01-01', 'old', 9.5)"
    )
    old.close()
    info = restore(filled, path)
    assert info.schema_version == SCHEMA_VERSION
    assert filled.execute("SELECT client_id, revenue FROM sales").fetchall() == [("old", 9.5)]


def test_the_command_line_backs_up_and_restores_every_table(filled_file, tmp_path):
    db = tmp_path / "kam.duckdb"
    shutil.copy(filled_file, db)
    conn = connect(db)
    saved = table_checksums(conn, skip_meta=STATE_KEYS)
    conn.close()
    made = kam(db, "backup", tmp_path / "cli-backup.duckdb")
    assert made.returncode == 0, made.stderr
    assert "3 sales rows" in made.stdout
    conn = connect(db)
    change_everything(conn)
    conn.close()
    back = kam(db, "restore", tmp_path / "cli-backup.duckdb")
    assert back.returncode == 0, back.stderr
    conn = connect(db)
    try:
        assert table_checksums(conn, skip_meta=STATE_KEYS) == saved
    finally:
        conn.close()


def test_the_command_line_refuses_a_bad_backup_with_exit_code_two(tmp_path, capsys):
    db = tmp_path / "kam.duckdb"
    (tmp_path / "bad.duckdb").write_bytes(b"garbage" * 50)
    code, _, stderr = kam_here(capsys, db, "restore", tmp_path / "bad.duckdb")
    assert code == 2
    assert "Nothing was changed" in stderr
    assert "Traceback" not in stderr


def test_a_database_file_that_cannot_be_opened_is_replaced_and_kept(filled, tmp_path, capsys):
    backup(filled, tmp_path / "good.duckdb")
    saved = table_checksums(filled, skip_meta=STATE_KEYS)
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"this file was damaged" * 1000)
    code, _, stderr = kam_here(capsys, damaged, "restore", tmp_path / "good.duckdb")
    assert code == 0, stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("damaged.duckdb.before-restore")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"this file was damaged" * 1000
    conn = connect(damaged)
    try:
        assert table_checksums(conn, skip_meta=STATE_KEYS) == saved
    finally:
        conn.close()
