"""Faults: an import killed midway, a database held by another program, an old schema."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kam_core.analytics.params import load_thresholds
from kam_core.config import Thresholds
from kam_core.importing import import_file
from kam_core.store import DatabaseError, connect
from kam_core.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.hostile.checksums import table_checksums
from tests.integration.commands import kam_here

ROOT = Path(__file__).resolve().parents[2]
BIG_ROWS = 150_000
EARLIER = b"Order Date,Customer,Amount\n2023-01-05,Earlier Ltd,100\n2023-01-06,Earlier Ltd,50\n"


def kam(db: Path, *args: object, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kam_core", "--db", str(db), *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """A sales export large enough that its import takes a few seconds."""
    rng = random.Random(11)
    lines = ["Order Date,Customer,Amount,Product"]
    lines += [
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},Client {i % 4000},{rng.randint(1, 99999) / 100},"
        f"P{i % 250}"
        for i in range(BIG_ROWS)
    ]
    path = tmp_path_factory.mktemp("big") / "big.csv"
    path.write_text("\n".join(lines))
    return path


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


def _kill_when(proc: subprocess.Popen, ready) -> None:
    """SIGKILL the process as soon as ready() holds (polled every few milliseconds)."""
    while proc.poll() is None:
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.003)
    proc.wait(timeout=60)


def _earlier_database(db: Path) -> dict[str, tuple[int, str]]:
    conn = connect(db)
    try:
        import_file(conn, EARLIER, "earlier.csv")
        conn.execute("CHECKPOINT")
        return table_checksums(conn)
    finally:
        conn.close()


def _assert_whole_or_absent(db: Path, before: dict[str, tuple[int, str]]) -> str:
    """Reopen after the kill: the database opens, and holds all of the import or none of it."""
    conn = connect(db)
    try:
        after = table_checksums(conn)  # reads every row of every table
        sales = after["sales"][0]
        uploads = conn.execute("SELECT count(*) FROM uploads").fetchone()[0]
        daily = conn.execute("SELECT coalesce(sum(revenue), 0) FROM sales_daily").fetchone()[0]
        total = conn.execute("SELECT coalesce(sum(revenue), 0) FROM sales").fetchone()[0]
        assert daily == pytest.approx(total), "the rollup matches the sales it summarises"
        if sales == before["sales"][0]:
            assert after == before, "nothing of the killed import remains"
            outcome = "none"
        else:
            assert sales == before["sales"][0] + BIG_ROWS
            assert uploads == 2
            outcome = "all"
        counts, _, _ = import_file(conn, b"Order Date,Customer,Amount\n2025-01-01,New,1\n", "n.csv")
        assert counts.rows_imported == 1, "the database takes new imports after the crash"
        return outcome
    finally:
        conn.close()


def test_an_import_killed_while_it_writes_rows_leaves_none_of_them(big_csv, tmp_path):
    db = tmp_path / "kam.duckdb"
    before = _earlier_database(db)
    start = _size(db)
    proc = kam(db, "import", big_csv)
    # The file grows once the insert has begun writing row groups, before the commit.
    _kill_when(proc, lambda: _size(db) > start)
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert _assert_whole_or_absent(db, before) == "none"


def test_an_import_killed_after_its_commit_is_logged_keeps_all_of_it(big_csv, tmp_path):
    db = tmp_path / "kam.duckdb"
    before = _earlier_database(db)
    wal = Path(f"{db}.wal")
    seen: dict[str, int] = {}

    def checkpointing() -> bool:
        # The commit writes the log; then the checkpoint copies it into the file, which grows.
        if "db" not in seen and _size(wal) > 0:
            seen["db"] = _size(db)
        return "db" in seen and _size(db) > seen["db"]

    proc = kam(db, "import", big_csv)
    _kill_when(proc, checkpointing)
    assert proc.returncode in (-signal.SIGKILL, 0)
    assert _assert_whole_or_absent(db, before) == "all"


@pytest.fixture
def held_database(tmp_path):
    """A database file held open by another process, as a second app instance would."""
    db = tmp_path / "kam.duckdb"
    connect(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "ready"
    yield db
    holder.stdin.close()
    holder.wait(timeout=30)


def test_a_database_held_by_another_program_gets_a_clear_message_from_the_command_line(
    held_database, capsys
):
    code, _, err = kam_here(capsys, held_database, "uploads")
    assert code == 2
    assert "in use by another program" in err
    assert "Traceback" not in err


def test_a_database_held_by_another_program_raises_a_database_error_in_code(held_database):
    with pytest.raises(DatabaseError, match="in use by another program"):
        connect(held_database)


def _first_schema_database(path: Path) -> None:
    """A database exactly as the first released version wrote it, with one import."""
    conn = duckdb.connect(str(path))
    conn.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    conn.execute(MIGRATIONS[0])
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute(
        "INSERT INTO uploads (upload_id, file_name, sha256, imported_at, rows_imported) "
        "VALUES (nextval('upload_id_seq'), 'q1.xlsx', 'abc', TIMESTAMP '2023-04-01 10:00', 2)"
    )
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, source_row, order_date, client_id, client_name, "
        "revenue) VALUES (1, 1, 2, DATE '2023-01-05', 'acme', 'Acme', 120.5), "
        "(2, 1, 3, DATE '2023-02-05', 'beta', 'Beta', 30)"
    )
    conn.execute("INSERT INTO upload_rows VALUES (1, 1), (1, 2)")
    conn.close()


def test_a_database_of_the_first_schema_migrates_on_open_and_keeps_its_data(tmp_path):
    db = tmp_path / "v1.duckdb"
    _first_schema_database(db)
    conn = connect(db)
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert int(version[0]) == SCHEMA_VERSION
        rows = conn.execute("SELECT client_id, revenue FROM sales ORDER BY client_id").fetchall()
        assert rows == [("acme", 120.5), ("beta", 30.0)]
        assert load_thresholds(conn) == Thresholds()
        counts, _, _ = import_file(conn, EARLIER, "earlier.csv")
        assert counts.upload_id == 2, "the upload sequence carried over"
    finally:
        conn.close()
    reopened = connect(db)  # a second open finds nothing left to migrate
    try:
        assert reopened.execute("SELECT count(*) FROM sales").fetchone()[0] == 4
    finally:
        reopened.close()
