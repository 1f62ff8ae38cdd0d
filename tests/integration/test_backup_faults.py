"""Backups under faults: devices, a full disk, a kill, truncated and inconsistent files, ids at
the 32-bit limit. Each failure is one line, exit code 2, and changes nothing."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.backup import STATE_KEYS, backup, restore
from tests.hostile.checksums import table_checksums
from tests.integration.commands import ROOT, kam, kam_here
from tests.integration.test_backup import FIRST, LATER, filled_database


def small_disk(limit_bytes: int) -> Callable[[], None]:
    """Run in the child before the command: writes past limit_bytes fail as on a full disk."""

    def limit() -> None:
        # Writes past the cap fail with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return limit


@pytest.fixture(scope="module")
def filled_file(tmp_path_factory) -> Path:
    """One filled database for the module: each test works on its own copy."""
    return filled_database(tmp_path_factory.mktemp("filled"))


@pytest.fixture
def db(filled_file, tmp_path) -> Path:
    return Path(shutil.copy(filled_file, tmp_path / "kam.duckdb"))


def checksums(path: Path) -> dict:
    conn = connect(path)
    try:
        return table_checksums(conn, skip_meta=STATE_KEYS)
    finally:
        conn.close()


def one_line_refusal(result: subprocess.CompletedProcess | tuple[int, str, str]) -> str:
    """The one line a refusal printed; it exited with code 2 and no traceback."""
    if isinstance(result, tuple):  # main() run in this process
        code, stdout, stderr = result
    else:
        code, stdout, stderr = result.returncode, result.stdout, result.stderr
    assert code == 2, (stdout, stderr)
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    return stderr


def test_a_backup_to_a_device_is_refused_and_the_device_stays(db, capsys):
    result = kam_here(capsys, db, "backup", "/dev/full")
    assert "not a regular file" in one_line_refusal(result)
    assert Path("/dev/full").is_char_device()


def test_a_backup_to_a_folder_is_refused(db, tmp_path, capsys):
    (tmp_path / "folder").mkdir()
    refusal = one_line_refusal(kam_here(capsys, db, "backup", tmp_path / "folder"))
    assert "not a regular file" in refusal


def test_a_backup_on_a_full_disk_is_refused_and_leaves_no_partial_file(db, tmp_path):
    target = tmp_path / "out" / "kam-backup.duckdb"
    target.parent.mkdir()
    # A process of its own: the limit holds for the whole process.
    result = kam(db, "backup", target, preexec_fn=small_disk(64 * 1024))
    assert "could not be written" in one_line_refusal(result)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []


def test_a_backup_killed_midway_leaves_the_database_whole_and_the_next_one_works(
    db, tmp_path, capsys
):
    saved = checksums(db)
    target = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kam_core", "--db", str(db), "backup", str(target)], cwd=ROOT
    )
    time.sleep(0.8)  # starting Python and opening the database take about that long
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert checksums(db) == saved
    code, _, stderr = kam_here(capsys, db, "backup", target)
    assert code == 0, stderr
    assert not Path(f"{target}.partial").exists()


def test_a_truncated_backup_is_refused_with_one_line_and_nothing_changes(db, tmp_path, capsys):
    good = tmp_path / "good.duckdb"
    conn = connect(db)
    backup(conn, good)
    conn.close()
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    saved = checksums(db)
    assert "Nothing was changed" in one_line_refusal(kam_here(capsys, db, "restore", cut))
    assert checksums(db) == saved


def test_a_backup_missing_a_column_is_refused_before_anything_changes(db, tmp_path, capsys):
    odd = tmp_path / "odd.duckdb"
    conn = connect(db)
    backup(conn, odd)
    conn.close()
    other = duckdb.connect(str(odd))
    other.execute("ALTER TABLE clients DROP COLUMN website")
    other.close()
    saved = checksums(db)
    stderr = one_line_refusal(kam_here(capsys, db, "restore", odd))
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


def test_a_backup_over_the_database_its_log_or_into_a_missing_folder_is_refused(db, tmp_path):
    saved = checksums(db)
    for target in (db, Path(f"{db}.wal"), tmp_path / "no" / "such" / "b.duckdb"):
        message = one_line_refusal(kam(db, "backup", target))
        assert "the database itself" in message or "no such folder" in message
    assert not (tmp_path / "no").exists()
    assert checksums(db) == saved


def test_a_database_path_that_is_a_pipe_or_a_folder_is_refused_not_waited_on(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    folder = tmp_path / "folder"
    folder.mkdir()
    for path in (pipe, folder):
        for command in (["uploads"], ["restore", str(tmp_path / "none.duckdb")]):
            result = subprocess.run(
                [sys.executable, "-m", "kam_core", "--db", str(path), *command],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 2
            assert "is not a regular file" in result.stderr
    assert folder.is_dir() and not (tmp_path / "folder.restoring").exists()
