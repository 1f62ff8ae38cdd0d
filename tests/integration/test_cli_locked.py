"""The command line while another process (the app) holds the database."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from kam_core.store import connect
from kam_core.store.sales import sales_count
from tests.integration.commands import ROOT, kam, kam_here

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


def test_import_with_wait_goes_through_the_inbox_and_reports_the_result(app, tmp_path, capsys):
    path = tmp_path / "erp.csv"
    path.write_text(HEADER + ROWS)
    done = kam(app, "import", path, "--wait")  # the command in its own process, as a user runs it
    assert done.returncode == 0, done.stderr
    assert "handed to its inbox" in done.stderr
    assert "6 rows imported" in done.stdout
    assert (app.parent / "inbox" / "done" / "erp.csv").exists()
    # The report reads the app's snapshot, refreshed after the import.
    deadline = time.monotonic() + 60
    while True:
        code, stdout, stderr = kam_here(capsys, app, "report", "churn", "--format", "csv")
        assert code == 0, stderr
        if stdout.count("\n") == 7:  # header + 6 clients
            break
        assert time.monotonic() < deadline, stdout
        time.sleep(0.1)
    assert "snapshot" in stderr


def test_a_refused_file_with_wait_exits_2_with_the_reason(app, tmp_path, capsys):
    path = tmp_path / "notes.csv"
    path.write_text("just,words\nno,sales\n")
    code, _, stderr = kam_here(capsys, app, "import", path, "--wait")
    assert code == 2
    assert "no column recognised" in stderr
    assert (app.parent / "inbox" / "refused" / "notes.csv.reason.txt").exists()


def test_import_without_wait_hands_off_and_returns_at_once(app, tmp_path, capsys):
    path = tmp_path / "later.csv"
    path.write_text(HEADER + ROWS)
    code, _, stderr = kam_here(capsys, app, "import", path)
    assert code == 0
    assert "handed to its inbox" in stderr and "within a minute" in stderr


def test_options_the_inbox_cannot_apply_are_refused_with_what_to_do(app, tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text(HEADER + ROWS)
    code, _, stderr = kam_here(capsys, app, "import", path, "--sheet", "Orders")
    assert code == 2
    assert "--sheet" in stderr and "Upload page" in stderr


def test_a_change_while_the_app_runs_says_exactly_what_to_do(app, capsys):
    code, _, stderr = kam_here(capsys, app, "undo", "1")
    assert code == 2
    assert "in use" in stderr and "undo the import on the Upload page" in stderr


def test_backup_while_the_app_runs_copies_its_snapshot(app, tmp_path, capsys):
    target = tmp_path / "copy.duckdb"
    code, _, stderr = kam_here(capsys, app, "backup", target)
    assert code == 0, stderr
    assert "snapshot" in stderr
    copy = connect(target, read_only=True)
    try:
        assert sales_count(copy) == 0
    finally:
        copy.close()


def test_duplicates_keep_travels_with_the_file_to_the_inbox(app, tmp_path, capsys):
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
    assert kam_here(capsys, app, "import", erp, "--wait")[0] == 0
    args = ("import", report, "--duplicates", "keep", "--wait", "--json")
    code, stdout, stderr = kam_here(capsys, app, *args)
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["duplicates"] == "keep"
    assert result["counts"]["rows_imported"] == 2
    assert result["counts"]["rows_probable_duplicate"] == 0
