"""A workbook is scanned before it is parsed: a file the scan refuses never reaches the reader
and costs the worker only the scan; a worker that dies or runs out of time is refused as such,
and what the worker returns is what reading in one process returns."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import kam_core.ingest.read as read
from kam_core.config import SETTINGS, ImportLimits
from kam_core.ingest import ImportRefused, beside, read_file, worker
from kam_core.ingest.read import read_here
from tests.hostile import rawzip as rz

HEADER = ["Order Date", "Customer", "Amount"]
FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
# 1,048,576 rows x 48 columns = 50,331,648 cells: just over the bound, and small enough that a
# reader let loose on it would really fill it (about 1.6 GB) under the 2 GB ceiling.
JUST_OVER = '<row r="1048576"><c r="AV1048576"><v>1</v></c></row>'


def sales_workbook(rows: int, after: str = "", wide: bool = False) -> bytes:
    """One sheet of rows sales lines (text dates, names, amounts), then the XML in after."""
    header = [*HEADER, *([None] * 1_200 + ["Remark"] if wide else [])]
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-01-{r % 28 + 1:02d}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>Client {r % 97}</t></is></c>'
        f'<c r="C{r}"><v>{r}</v></c></row>'
        for r in range(2, rows + 2)
    )
    return rz.xlsx([("Sales", rz.sheet_xml(rz.rows_xml([(1, header)]) + body + after))])


# Long enough to read that a signal finds the worker still at it (about a second).
BIG = sales_workbook(100_000)


def _workers(server: worker._Server) -> list[int]:
    """The fork server's workers, zombies included (a zombie has no command line left)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == server.process.pid:
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
            parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if server.address.encode() in command or parent == server.process.pid:
            found.append(int(entry))
    return found


def _left_behind(server: worker._Server) -> list[int]:
    """Workers still there once they had ten seconds to end after their answer."""
    stop = time.monotonic() + 10
    while (left := _workers(server)) and time.monotonic() < stop:
        time.sleep(0.02)
    return left


def _signal_worker(server: worker._Server, sig: int, done: threading.Event) -> threading.Thread:
    """Start a thread that sends sig to the next read's worker once it has started reading."""
    # A worker of an earlier read may still be there (a zombie not yet collected on a loaded
    # machine, its processor time spent): only a worker new to this read, alive, is signalled.
    earlier = set(_workers(server))
    thread = threading.Thread(target=_signal_new, args=(server, sig, done, earlier))
    thread.start()
    return thread


def _signal_new(server: worker._Server, sig: int, done: threading.Event, earlier: set[int]) -> None:
    while not done.is_set():
        for pid in _workers(server):
            if pid not in earlier and not _zombie(pid) and _cpu(pid) >= 0.05:
                os.kill(pid, sig)
                return
        time.sleep(0.005)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_stray_cell_at_xfd1048576_below_many_rows_is_refused_in_the_scans_words():
    data = sales_workbook(5_000, FAR)
    server = worker._get_server()
    with pytest.raises(ImportRefused) as refused:
        read_file(data, "far.xlsx")
    assert str(refused.value).startswith(
        "far.xlsx, sheet 'Sales': its cells reach XFD1048576, a range of 1,048,576 rows x "
        "16,384 columns = 17,179,869,184 cells; the limit is 50,000,000 cells per sheet."
    )
    assert worker.last_read().outcome == "refused"
    assert _left_behind(server) == []


def test_the_scan_refuses_before_the_reader_is_called(tmp_path, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(read, "read_workbook", lambda *args: calls.append("read") or [])
    (tmp_path / "upload").write_bytes(sales_workbook(10, FAR))
    outcome, message = beside.answer(tmp_path, "far.xlsx", SETTINGS.limits, print)
    assert outcome == "refused"
    assert "its cells reach XFD1048576" in str(message)
    assert calls == []
    assert not list(tmp_path.glob("sheet*.arrow"))


@pytest.mark.slow  # 100,000 rows: enough for a reader started early to reach the allocation
def test_a_range_just_over_the_bound_costs_the_worker_only_the_scan():
    # A reader let loose on this range fills about 1.6 GB before anything can stop it.
    with pytest.raises(ImportRefused, match="its cells reach AV1048576"):
        read_file(sales_workbook(100_000, JUST_OVER), "just_over.xlsx")
    stats = worker.last_read()
    assert stats.outcome == "refused"
    assert stats.worker_peak_bytes < 400 * 1024**2, stats


def test_a_worker_killed_midway_is_refused_as_a_file_too_big_to_read():
    # As the kernel's out-of-memory killer would.
    server = worker._get_server()
    done = threading.Event()
    killer = _signal_worker(server, signal.SIGKILL, done)
    try:
        with pytest.raises(ImportRefused, match=r"big\.xlsx: the file needs more than 2 GB"):
            read_file(BIG, "big.xlsx")
    finally:
        done.set()
        killer.join()
    assert worker.last_read().outcome == "memory"
    assert _left_behind(server) == []


def test_a_worker_out_of_processor_time_is_refused_as_too_slow():
    # SIGXCPU is what the kernel sends the worker at its processor-time limit.
    server = worker._get_server()
    done = threading.Event()
    limits = ImportLimits(max_read_seconds=30)
    signaller = _signal_worker(server, signal.SIGXCPU, done)
    try:
        with pytest.raises(ImportRefused, match=r"big\.xlsx: reading took longer than 30 s"):
            read_file(BIG, "big.xlsx", limits)
    finally:
        done.set()
        signaller.join()
    assert worker.last_read().outcome == "timeout"
    assert _left_behind(server) == []


def test_a_workbook_over_its_time_limit_is_stopped_with_its_worker():
    server = worker._get_server()
    slow = ImportLimits(max_read_seconds=0.05)
    with pytest.raises(ImportRefused, match=r"big\.xlsx: reading took longer than 0.05 s"):
        read_file(BIG, "big.xlsx", slow)
    assert worker.last_read().outcome == "timeout"
    assert _left_behind(server) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plain.xlsx", sales_workbook(500)),
        ("wide.xlsx", sales_workbook(20, wide=True)),  # the scan's note on columns
    ],
)
def test_a_workbook_read_in_the_worker_equals_one_read_in_process(name, data):
    limits = ImportLimits(max_columns=1_000)
    here = read_here(data, name, limits)
    there = read_file(data, name, limits)
    assert there.notes == here.notes
    assert [(g.name, g.letters, g.hidden) for g in there.sheets] == [
        (g.name, g.letters, g.hidden) for g in here.sheets
    ]
    assert [g.table.to_pylist() for g in there.sheets] == [g.table.to_pylist() for g in here.sheets]


def test_the_scans_note_on_columns_beyond_the_limit_reaches_the_workbook():
    book = read_file(sales_workbook(20, wide=True), "wide.xlsx", ImportLimits(max_columns=1_000))
    assert book.notes == [
        "Sheet 'Sales' is 1,204 columns wide; only the first 1,000 columns are read (the limit)."
    ]
    assert book.sheets[0].table.num_columns == 1_000  # the remark beyond the limit is not read


def test_what_an_aborting_reader_prints_goes_to_the_log_not_the_terminal(caplog):
    # 1.9M rows x 26 columns passes the range bound; the reader asks for 1.6 GB at once and
    # aborts under a 450 MB ceiling, printing Rust's own message on its stderr.
    rows = rz.rows_xml([(1, HEADER), (2, ["2024-01-05", "A", 5])])
    data = rz.xlsx(
        [("Sales", rz.sheet_xml(rows + '<row r="1900000"><c r="Z1900000"><v>1</v></c></row>'))]
    )
    tight = ImportLimits(max_read_bytes=450 * 1024**2)
    with (
        caplog.at_level("INFO", logger="kam_core.ingest.worker"),
        pytest.raises(ImportRefused, match="needs more than 450 MB"),
    ):
        read_file(data, "range.xlsx", tight)
    assert worker.last_read().outcome == "memory"
    assert "memory allocation of" in caplog.text
