"""The inbox: whole files imported by the running app, half-copied ones left alone."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from kam_core.analytics.churn import churn
from kam_core.analytics.params import AnalysisParams
from kam_core.cli.handoff import hand_off
from kam_core.services import audit
from kam_core.services.inbox import (
    ScanState,
    options_path,
    read_options,
    scan_once,
    start_inbox_watcher,
)
from kam_core.services.snapshot import Snapshotter, snapshot_path
from kam_core.store import connect
from kam_core.store.sales import list_uploads, sales_count

HEADER = "Order Date,Client ID,Customer,Amount,Sales Rep\n"


def _rows(n: int, start: int = 0) -> str:
    return "".join(
        f"2024-{1 + (i % 12):02d}-{1 + (i % 28):02d},C{i % 50},Client {i % 50},{10 + i},Dana\n"
        for i in range(start, start + n)
    )


@pytest.fixture
def inbox(tmp_path):
    return tmp_path / "inbox"


def test_a_dropped_file_is_imported_on_the_scan_after_it_stopped_changing(conn, inbox):
    inbox.mkdir()
    (inbox / "erp.csv").write_text(HEADER + _rows(30))
    state = ScanState()
    first = scan_once(conn, inbox, state)
    assert first.waiting == ["erp.csv"] and sales_count(conn) == 0
    second = scan_once(conn, inbox, state)
    assert second.imported == ["erp.csv"]
    assert sales_count(conn) == 30
    assert list_uploads(conn)["file_name"].tolist() == ["erp.csv"]
    assert not (inbox / "erp.csv").exists()
    assert (inbox / "done" / "erp.csv").exists()
    assert '"status": "imported"' in (inbox / "done" / "erp.csv.result.json").read_text()
    entry = audit.read(conn, action="import")
    assert entry["user_email"].tolist() == ["inbox"] and entry["target"].tolist() == ["erp.csv"]


def test_a_half_copied_file_is_not_read_until_its_size_is_stable(conn, inbox):
    inbox.mkdir()
    path = inbox / "big.csv"
    path.write_text(HEADER + _rows(10))
    state = ScanState()
    assert scan_once(conn, inbox, state).waiting == ["big.csv"]
    with path.open("a") as out:  # the copy goes on
        out.write(_rows(15, start=10))
    assert scan_once(conn, inbox, state).waiting == ["big.csv"]
    assert sales_count(conn) == 0
    assert scan_once(conn, inbox, state).imported == ["big.csv"]
    assert sales_count(conn) == 25


def test_a_file_renamed_from_part_is_taken_at_once_and_the_part_never(conn, inbox):
    inbox.mkdir()
    part = inbox / "night.csv.part"
    part.write_text(HEADER + _rows(5))
    state = ScanState()
    assert scan_once(conn, inbox, state).waiting == []
    part.rename(inbox / "night.csv")
    assert scan_once(conn, inbox, state).imported == ["night.csv"]
    assert sales_count(conn) == 5


def test_a_refused_file_moves_to_refused_with_its_reason(conn, inbox):
    inbox.mkdir()
    (inbox / "notes.csv").write_text("just,some\nwords,here\n")
    state = ScanState()
    scan_once(conn, inbox, state)
    assert scan_once(conn, inbox, state).refused == ["notes.csv"]
    reason = (inbox / "refused" / "notes.csv.reason.txt").read_text()
    assert "notes.csv" in reason and "no column recognised" in reason
    assert (inbox / "refused" / "notes.csv").exists()
    assert sales_count(conn) == 0
    assert audit.read(conn, action="import.refused")["target"].tolist() == ["notes.csv"]


def test_a_second_file_of_the_same_name_does_not_overwrite_the_first_in_done(conn, inbox):
    inbox.mkdir()
    state = ScanState()
    for batch in (0, 100):
        (inbox / "daily.csv").write_text(HEADER + _rows(3, start=batch))
        scan_once(conn, inbox, state)
        scan_once(conn, inbox, state)
    done = sorted(p.name for p in (inbox / "done").iterdir() if p.suffix == ".csv")
    assert len(done) == 2 and "daily.csv" in done
    assert sales_count(conn) == 6


def test_pages_read_on_their_own_cursors_while_the_inbox_imports(db_file, inbox):
    conn = connect(db_file)
    inbox.mkdir()
    (inbox / "first.csv").write_text(HEADER + _rows(200))
    state = ScanState()
    scan_once(conn, inbox, state)
    scan_once(conn, inbox, state)
    (inbox / "second.csv").write_text(HEADER + _rows(5000, start=200))
    scan_once(conn, inbox, state)
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def read_pages() -> None:
        while not stop.is_set():
            cur = conn.cursor()
            try:
                counts.append(sales_count(cur))
                churn(cur, AnalysisParams())
            except BaseException as exc:  # any failure is the answer
                errors.append(exc)
                return
            finally:
                cur.close()

    readers = [threading.Thread(target=read_pages) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        assert scan_once(conn, inbox, state).imported == ["second.csv"]
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    conn.close()
    assert errors == []
    # Readers saw the data before or after the import, never half of it.
    assert set(counts) <= {200, 5200} and counts


def test_the_watcher_starts_once_and_imports_a_dropped_file(db_file, inbox):
    conn = connect(db_file)
    snap = snapshot_path(db_file)
    watcher = start_inbox_watcher(lambda: conn, inbox, 0.05, after_scan=Snapshotter(snap))
    try:
        assert start_inbox_watcher(lambda: conn, inbox, 0.05) is watcher
        (inbox / "drop.csv").write_text(HEADER + _rows(7))
        deadline = time.monotonic() + 60
        while not (inbox / "done" / "drop.csv.result.json").exists():
            assert time.monotonic() < deadline, "the watcher did not import the file"
            time.sleep(0.05)
        assert watcher.thread.daemon
    finally:
        watcher.stop()
        watcher.thread.join()
    assert sales_count(conn) == 7
    conn.close()
    copy = connect(snap, read_only=True)
    try:
        assert sales_count(copy) == 7
    finally:
        copy.close()


def test_the_snapshot_is_written_only_when_something_changed(conn, db_file):
    write = Snapshotter(snapshot_path(db_file))
    assert write(conn) is True
    assert write(conn) is False
    audit.record(conn, "a@x.io", "export", "churn")
    assert write(conn) is True
    assert snapshot_path(db_file).name == "kam.snapshot.duckdb"


# The same three orders from two exports: the ERP keeps three decimals, the report two and
# adds a Region column, so the content keys differ but order, client, date and cents agree.
ERP = (
    "Order Date,Order ID,Client ID,Customer,Amount\n"
    "2024-03-04,SO-1,C1,Acme,29.472\n"
    "2024-03-05,SO-2,C2,Beta,100.004\n"
    "2024-03-06,SO-3,C1,Acme,55.501\n"
)
REPORT = (
    "Order Date,Order ID,Client ID,Customer,Amount,Region\n"
    "2024-03-04,SO-1,C1,Acme,29.47,North\n"
    "2024-03-05,SO-2,C2,Beta,100.00,South\n"
    "2024-03-06,SO-3,C1,Acme,55.50,North\n"
)


def _import_through_inbox(conn, inbox, name: str, text: str, options=None) -> dict:
    """Hand a file over as the command line does and scan until the inbox took it."""
    source = inbox.parent / name
    source.write_text(text)
    target = hand_off(source, inbox, options)
    state = ScanState(parts={target.name + ".part"})  # the scan before saw it as .part
    result = scan_once(conn, inbox, state)
    assert result.imported == [target.name]
    return json.loads((inbox / "done" / (target.name + ".result.json")).read_text())


def test_the_inbox_skips_probable_duplicates_when_no_choice_was_handed_over(conn, inbox):
    _import_through_inbox(conn, inbox, "erp.csv", ERP)
    result = _import_through_inbox(conn, inbox, "report.csv", REPORT)
    assert result["duplicates"] == "skip"
    assert result["counts"]["rows_probable_duplicate"] == 3
    assert result["counts"]["rows_imported"] == 0
    assert "3 rows looked like rows another import stored and were skipped" in result["message"]
    assert sales_count(conn) == 3


def test_duplicates_keep_handed_over_with_the_file_stores_the_second_export(conn, inbox):
    _import_through_inbox(conn, inbox, "erp.csv", ERP)
    result = _import_through_inbox(conn, inbox, "report.csv", REPORT, {"duplicates": "keep"})
    assert result["duplicates"] == "keep"
    assert result["counts"]["rows_imported"] == 3
    assert result["counts"]["rows_probable_duplicate"] == 0
    assert "were kept" in result["message"]
    assert sales_count(conn) == 6
    # The sidecar is consumed with its file: nothing is left to apply to a later file.
    assert not list(inbox.glob(".*options.json"))
    assert sorted(list_uploads(conn)["file_name"]) == ["erp.csv", "report.csv"]


def test_an_options_sidecar_with_an_unknown_choice_is_ignored(conn, inbox):
    inbox.mkdir()
    (inbox / "x.csv").write_text(ERP)
    options_path(inbox / "x.csv").write_text('{"duplicates": "drop everything"}')
    assert read_options(inbox / "x.csv") == {}
    (inbox / "y.csv").write_text(ERP)
    assert read_options(inbox / "y.csv") == {}  # no sidecar at all
    options_path(inbox / "y.csv").write_text('{"duplicates": "keep"}')
    assert read_options(inbox / "y.csv") == {"duplicates": "keep"}
    # The sidecar itself is never taken as a file to import.
    state = ScanState()
    assert sorted(scan_once(conn, inbox, state).waiting) == ["x.csv", "y.csv"]


def test_a_file_whose_name_is_not_utf8_is_imported_and_its_result_published(conn, inbox):
    inbox.mkdir()
    raw = os.fsencode(inbox) + b"/caf\xe9.csv"  # Latin-1 bytes, as a Windows archive names it
    with open(raw, "wb") as out:
        out.write((HEADER + _rows(5)).encode())
    state = ScanState()
    scan_once(conn, inbox, state)
    assert len(scan_once(conn, inbox, state).imported) == 1
    assert list_uploads(conn)["file_name"].tolist() == ["caf\ufffd.csv"]
    result = (inbox / "done").iterdir()
    published = [p.name for p in result if p.name.endswith(".result.json")]
    assert (
        len(published) == 1
        and '"status": "imported"' in (inbox / "done" / published[0]).read_text()
    )
