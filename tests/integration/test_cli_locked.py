"""The command line while another process (the app) holds the database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kam_core.store import connect
from kam_core.store.sales import sales_count

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Order Date,Client ID,Customer,Amount,Sales Rep\n"
ROWS = "".join(f"2024-0{m}-05,C{m},Client {m},{100 * m},Dana\n" for m in range(1, 7))

# The app's part: hold the database, watch the inbox, write snapshots.
APP = """
import sys, time
from pathlib import Path
from kam_core.store import connect
from kam_core.services.inbox import start_inbox_watcher
from kam_core.services.snapshot import Snapshotter, snapshot_path
db = Path(sys.argv[1])
conn = connect(db)
snap = Snapshotter(snapshot_path(db))
start_inbox_watcher(lambda: conn, db.parent / "inbox", 0.2, after_scan=snap)
print("ready", flush=True)
time.sleep(600)
"""


def kam(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command line in its own process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kam_core", "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def app(tmp_path):
    """A process holding the database in tmp_path, with its inbox watched."""
    db = tmp_path / "kam.duckdb"
    connect(db).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", APP, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 60
    while not (tmp_path / "kam.snapshot.duckdb").exists():  # the first snapshot
        assert time.monotonic() < deadline, "no snapshot was written"
        time.sleep(0.1)
    yield db
    proc.terminate()
    proc.wait(timeout=30)


def test_import_with_wait_goes_through_the_inbox_and_reports_the_result(app, tmp_path):
    path = tmp_path / "erp.csv"
    path.write_text(HEADER + ROWS)
    done = kam(app, "import", str(path), "--wait")
    assert done.returncode == 0, done.stderr
    assert "handed to its inbox" in done.stderr
    assert "6 rows imported" in done.stdout
    assert (app.parent / "inbox" / "done" / "erp.csv").exists()
    # The report reads the app's snapshot, refreshed after the import.
    deadline = time.monotonic() + 60
    while True:
        report = kam(app, "report", "churn", "--format", "csv")
        assert report.returncode == 0, report.stderr
        if report.stdout.count("\n") == 7:  # header + 6 clients
            break
        assert time.monotonic() < deadline, report.stdout
        time.sleep(0.3)
    assert "snapshot" in report.stderr


def test_a_refused_file_with_wait_exits_2_with_the_reason(app, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("just,words\nno,sales\n")
    done = kam(app, "import", str(path), "--wait")
    assert done.returncode == 2
    assert "no column recognised" in done.stderr
    assert (app.parent / "inbox" / "refused" / "notes.csv.reason.txt").exists()


def test_import_without_wait_hands_off_and_returns_at_once(app, tmp_path):
    path = tmp_path / "later.csv"
    path.write_text(HEADER + ROWS)
    done = kam(app, "import", str(path))
    assert done.returncode == 0
    assert "handed to its inbox" in done.stderr and "within a minute" in done.stderr


def test_options_the_inbox_cannot_apply_are_refused_with_what_to_do(app, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(HEADER + ROWS)
    done = kam(app, "import", str(path), "--sheet", "Orders")
    assert done.returncode == 2
    assert "--sheet" in done.stderr and "Upload page" in done.stderr


def test_a_change_while_the_app_runs_says_exactly_what_to_do(app):
    done = kam(app, "undo", "1")
    assert done.returncode == 2
    assert "in use" in done.stderr and "undo the import on the Upload page" in done.stderr


def test_backup_while_the_app_runs_copies_its_snapshot(app, tmp_path):
    target = tmp_path / "copy.duckdb"
    done = kam(app, "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert "snapshot" in done.stderr
    copy = connect(target, read_only=True)
    try:
        assert sales_count(copy) == 0
    finally:
        copy.close()


def test_duplicates_keep_travels_with_the_file_to_the_inbox(app, tmp_path):
    # Two exports of the same orders: other rounding and an extra column.
    erp = tmp_path / "erp.csv"
    erp.write_text(
        "Order Date,Order ID,Client ID,Amount\n"
        "2024-03-04,SO-1,C1,29.472\n2024-03-05,SO-2,C2,10.004\n"
    )
    report = tmp_path / "report.csv"
    report.write_text(
        "Order Date,Order ID,Client ID,Amount,Region\n"
        "2024-03-04,SO-1,C1,29.47,North\n2024-03-05,SO-2,C2,10.00,South\n"
    )
    assert kam(app, "import", str(erp), "--wait").returncode == 0
    done = kam(app, "import", str(report), "--duplicates", "keep", "--wait", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["duplicates"] == "keep"
    assert result["counts"]["rows_imported"] == 2
    assert result["counts"]["rows_probable_duplicate"] == 0
