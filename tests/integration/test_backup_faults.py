"""Backups under faults: devices, a full disk, a kill, truncated and inconsistent files, ids at
the 32-bit limit. Each failure is one line, exit code 2, and changes nothing."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.backup import STATE_KEYS, backup, restore
from tests.hostile.checksums import table_checksums
from tests.integration.test_backup import FIRST, LATER, fill

ROOT = Path(__file__).resolve().parents[2]


def kam(db: Path, *args: object, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    """Run the command line in a fresh process; limit_bytes caps the size of files it writes."""

    def small_disk() -> None:
        # Writes past the cap fail with EFBIG, as on a full disk, instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "kam_core", "--db", str(db), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        preexec_fn=small_disk if limit_bytes else None,
    )


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "kam.duckdb"
    conn = connect(path)
    fill(conn)
    conn.close()
    return path


def checksums(path: Path) -> dict:
    conn = connect(path)
    try:
        return table_checksums(conn, skip_meta=STATE_KEYS)
    finally:
        conn.close()


def one_line_refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_a_backup_to_a_device_is_refused_and_the_device_stays(db):
    result = kam(db, "backup", "/dev/full")
    assert "not a regular file" in one_line_refusal(result)
    assert Path("/dev/full").is_char_device()


def test_a_backup_to_a_folder_is_refused(db, tmp_path):
    (tmp_path / "folder").mkdir()
    assert "not a regular file" in one_line_refusal(kam(db, "backup", tmp_path / "folder"))


def test_a_backup_on_a_full_disk_is_refused_and_leaves_no_partial_file(db, tmp_path):
    target = tmp_path / "out" / "kam-backup.duckdb"
    result = kam(db, "backup", target, limit_bytes=64 * 1024)
    assert "could not be written" in one_line_refusal(result)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []


def test_a_backup_killed_midway_leaves_the_database_whole_and_the_next_one_works(db, tmp_path):
    saved = checksums(db)
    target = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kam_core", "--db", str(db), "backup", str(target)], cwd=ROOT
    )
    time.sleep(0.8)  # starting Python and opening the database take about that long
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert checksums(db) == saved
    again = kam(db, "backup", target)
    assert again.returncode == 0, again.stderr
    assert not Path(f"{target}.partial").exists()


def test_a_truncated_backup_is_refused_with_one_line_and_nothing_changes(db, tmp_path):
    good = tmp_path / "good.duckdb"
    conn = connect(db)
    backup(conn, good)
    conn.close()
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    saved = checksums(db)
    assert "Nothing was changed" in one_line_refusal(kam(db, "restore", cut))
    assert checksums(db) == saved


def test_a_backup_missing_a_column_is_refused_before_anything_changes(db, tmp_path):
    odd = tmp_path / "odd.duckdb"
    conn = connect(db)
    backup(conn, odd)
    conn.close()
    other = duckdb.connect(str(odd))
    other.execute("ALTER TABLE clients DROP COLUMN website")
    other.close()
    saved = checksums(db)
    stderr = one_line_refusal(kam(db, "restore", odd))
    assert "lacks the columns website" in stderr
    assert checksums(db) == saved


def test_ids_at_the_32_bit_limit_restore_at_once_and_imports_go_on(db, tmp_path):
    high = tmp_path / "high.duckdb"
    conn = connect(db)
    backup(conn, high)
    conn.close()
    other = duckdb.connect(str(high))
    top = 2**31 - 1
    other.execute("UPDATE uploads SET upload_id = upload_id + ? - 10", [top])
    other.execute("UPDATE sales SET upload_id = upload_id + ? - 10", [top])
    other.execute("UPDATE upload_rows SET upload_id = upload_id + ? - 10", [top])
    other.execute("DROP SEQUENCE upload_id_seq")
    other.execute(f"CREATE SEQUENCE upload_id_seq START WITH {top}")
    other.execute("SELECT nextval('upload_id_seq')")
    other.close()
    conn = connect(db)
    try:
        restore(conn, high)
        counts, _, _ = import_file(conn, LATER, "later.csv")
        assert counts.upload_id > 2**31 - 1
        again, _, _ = import_file(conn, FIRST.replace(b"2024", b"2023"), "first-2023.csv")
        assert again.upload_id == counts.upload_id + 1
    finally:
        conn.close()


def test_a_restore_keeps_today_s_users_and_audit_log(db, tmp_path):
    from kam_core.services.audit import read
    from kam_core.services.users import add_user, find_user

    old = tmp_path / "old.duckdb"
    conn = connect(db)
    try:
        backup(conn, old)
        add_user(conn, "ann@example.com", "admin", by="test")
        restore(conn, old)
        assert find_user(conn, "ann@example.com") is not None
        assert len(read(conn)) >= 1
    finally:
        conn.close()
