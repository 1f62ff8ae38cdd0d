"""A workbook is read by a child of the worker while the worker scans the archive: the scan's
refusal wins and kills the reader, a reader that dies is refused as before, and what the
worker returns is what reading in one process returns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import kam_core.ingest.read as read
from kam_core.config import PROJECT_ROOT, SETTINGS, ImportLimits
from kam_core.ingest import ImportRefused, read_file, worker
from kam_core.ingest.grid import load_book
from kam_core.ingest.read import read_here
from tests.hostile import rawzip as rz

HEADER = ["Order Date", "Customer", "Amount"]
FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


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


def _readers(server: worker._Server) -> list[tuple[int, int]]:
    """(pid, parent) of the fork server's workers and their children (they share its command)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == server.process.pid:
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
            parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if server.address.encode() in command:
            found.append((int(entry), parent))
    return found


def _left_behind(server: worker._Server) -> list[tuple[int, int]]:
    """Readers still there once a worker had ten seconds to end after its answer."""
    stop = time.monotonic() + 10
    while (left := _readers(server)) and time.monotonic() < stop:
        time.sleep(0.02)
    return left


def _signal_reader(server: worker._Server, sig: int, done: threading.Event) -> None:
    """Send sig to the first reading child (a worker's child), once it has started reading."""
    while not done.is_set():
        for pid, parent in _readers(server):
            if parent != server.process.pid and _cpu(pid) >= 0.05:
                os.kill(pid, sig)
                return
        time.sleep(0.005)


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_stray_cell_at_xfd1048576_below_many_rows_is_refused_in_the_scans_words():
    data = sales_workbook(60_000, FAR)
    server = worker._get_server()
    with pytest.raises(ImportRefused) as refused:
        read_file(data, "far.xlsx")
    assert str(refused.value).startswith(
        "far.xlsx, sheet 'Sales': its cells reach XFD1048576, a range of 1,048,576 rows x "
        "16,384 columns = 17,179,869,184 cells; the limit is 50,000,000 cells per sheet."
    )
    assert worker.last_read().outcome == "refused"
    assert _left_behind(server) == []


def test_the_scans_refusal_kills_a_reader_still_reading(tmp_path, monkeypatch):
    # In this process: the reader is made to take ten minutes; the scan refuses the stray cell.
    def reading_for_ten_minutes(*_args: object) -> None:
        time.sleep(600)

    monkeypatch.setattr(read, "read_sniffed", reading_for_ten_minutes)
    (tmp_path / "upload").write_bytes(sales_workbook(10, FAR))
    children: list[int] = []
    outcome, message = read.answer(
        tmp_path, "far.xlsx", SETTINGS.limits, children.append, lambda: None
    )
    assert outcome == "refused"
    assert "its cells reach XFD1048576" in str(message)
    assert len(children) == 1
    assert not Path(f"/proc/{children[0]}").exists()  # killed and reaped, not left running
    assert not list(tmp_path.glob("sheet*.arrow"))


def test_a_reader_killed_midway_is_refused_as_a_file_too_big_to_read():
    # As the kernel's out-of-memory killer would: the scan passes, the reader is gone.
    server = worker._get_server()
    done = threading.Event()
    killer = threading.Thread(target=_signal_reader, args=(server, signal.SIGKILL, done))
    killer.start()
    try:
        with pytest.raises(ImportRefused, match=r"big\.xlsx: the file needs more than 2 GB"):
            read_file(sales_workbook(300_000), "big.xlsx")
    finally:
        done.set()
        killer.join()
    assert worker.last_read().outcome == "memory"
    assert _left_behind(server) == []


def test_a_reader_out_of_processor_time_is_refused_as_too_slow():
    # SIGXCPU is what the kernel sends the reader at its processor-time limit.
    server = worker._get_server()
    done = threading.Event()
    limits = ImportLimits(max_read_seconds=30)
    signaller = threading.Thread(target=_signal_reader, args=(server, signal.SIGXCPU, done))
    signaller.start()
    try:
        with pytest.raises(ImportRefused, match=r"big\.xlsx: reading took longer than 30 s"):
            read_file(sales_workbook(300_000), "big.xlsx", limits)
    finally:
        done.set()
        signaller.join()
    assert worker.last_read().outcome == "timeout"
    assert _left_behind(server) == []


# A worker whose reader takes ten minutes on a file the scan passes; it prints the reader's pid.
WORKER = """
import sys, time
from pathlib import Path
import kam_core.ingest.read as read
from kam_core.config import SETTINGS
read.read_sniffed = lambda *args: time.sleep(600)
read.answer(Path(sys.argv[1]), "good.xlsx", SETTINGS.limits, lambda pid: print(pid, flush=True),
            lambda: None)
"""


def test_a_reader_dies_with_its_worker(tmp_path):
    (tmp_path / "upload").write_bytes(sales_workbook(10))
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        reader = int(process.stdout.readline())
        assert _alive(reader)
    finally:
        process.kill()  # as the server kills a worker at its deadline
        process.wait()
    stop = time.monotonic() + 10
    while _alive(reader) and time.monotonic() < stop:
        time.sleep(0.02)
    assert not _alive(reader)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_workbook_over_its_time_limit_is_stopped_with_its_reader():
    # The server kills the worker at the limit; the reading child dies with it.
    server = worker._get_server()
    slow = ImportLimits(max_read_seconds=0.05)
    with pytest.raises(ImportRefused, match=r"big\.xlsx: reading took longer than 0.05 s"):
        read_file(sales_workbook(300_000), "big.xlsx", slow)
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


def test_a_worker_that_cannot_fork_scans_then_reads_in_one_process(tmp_path, monkeypatch):
    def no_process_to_spare() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(read.os, "fork", no_process_to_spare)
    data = sales_workbook(20, wide=True)
    (tmp_path / "upload").write_bytes(data)
    children: list[int] = []
    limits = ImportLimits(max_columns=1_000)
    outcome, saved = read.answer(tmp_path, "wide.xlsx", limits, children.append, lambda: None)
    assert (outcome, children) == ("ok", [])
    book = load_book(saved, tmp_path)
    here = read_here(data, "wide.xlsx", limits)
    assert book.notes == here.notes and len(book.notes) == 1
    assert book.sheets[0].table.to_pylist() == here.sheets[0].table.to_pylist()
