"""A large workbook is scanned and read side by side: every hostile workbook of the corpus is
refused in the same words as when the scan runs first, every good one gives the same grids, and
a child that dies or overruns ends the read with nothing left running."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import ImportRefused, read_file, worker
from kam_core.ingest.grid import Workbook
from tests.hostile.case import Case
from tests.support.corpus import shared_corpus
from tests.unit.test_worker_scan_first import FAR, sales_workbook

FIRST = ImportLimits(read_beside_bytes=1 << 40)  # the scan first, whatever the size
BESIDE = ImportLimits(read_beside_bytes=0)  # side by side, whatever the size
LARGE = sales_workbook(300_000)
PARTS = 6  # a few seconds to read: long enough to be stopped midway


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> list[tuple[Case, Path]]:
    """The corpus's zip workbooks (xlsx, ods): what the side-by-side path reads."""
    written = shared_corpus(tmp_path_factory)
    return [(case, path) for case, path in written if path.read_bytes()[:4] == b"PK\x03\x04"]


def _outcome(data: bytes, name: str, limits: ImportLimits) -> tuple[str, object]:
    try:
        book = read_file(data, name, limits)
    except ImportRefused as exc:
        return "refused", str(exc)
    return "read", _plain(book)


def _plain(book: Workbook) -> tuple:
    sheets = [
        (g.name, g.letters, g.hidden, g.formulas, g.problems, g.table.to_pylist())
        for g in book.sheets
    ]
    return book.kind, book.notes, sheets


def test_the_side_by_side_check_takes_the_corpus_bombs_and_good_workbooks(workbooks):
    assert len(workbooks) >= 40
    assert sum(bool(case.refused) for case, _ in workbooks) >= 20


# In parts, so that the test workers share the reading (the whole took two minutes on one).
@pytest.mark.parametrize("part", range(PARTS))
def test_every_corpus_workbook_has_the_same_outcome_side_by_side(workbooks, part):
    refused = 0
    for _case, path in workbooks[part::PARTS]:
        data = path.read_bytes()
        first = _outcome(data, path.name, FIRST)
        beside = _outcome(data, path.name, BESIDE)
        assert beside == first, path.name
        refused += first[0] == "refused"
    # the corpus's bombs went through both paths
    assert refused >= 3


def test_a_workbook_over_the_size_is_read_side_by_side_and_one_under_it_is_not():
    data = sales_workbook(2_000)
    read_file(data, "sales.xlsx", ImportLimits(read_beside_bytes=len(data)))
    assert worker.last_read().children == 2
    read_file(data, "sales.xlsx", ImportLimits(read_beside_bytes=len(data) + 1))
    assert worker.last_read().children == 0


def _descendants(root: int) -> list[int]:
    """Every live process below root (zombies included)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(text.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, up in parents.items() if up == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def _left_behind(server: worker._Server) -> list[int]:
    """Workers and their children still there ten seconds after the answer."""
    stop = time.monotonic() + 10
    while (left := _descendants(server.process.pid)) and time.monotonic() < stop:
        time.sleep(0.02)
    return left


def test_a_stray_far_cell_is_refused_in_the_scans_words_and_the_reader_stopped():
    server = worker._get_server()
    with pytest.raises(ImportRefused, match="its cells reach XFD1048576, a range of 1,048,576"):
        read_file(sales_workbook(5_000, FAR), "far.xlsx", BESIDE)
    assert worker.last_read().outcome == "refused"
    assert _left_behind(server) == []


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _kill_the_reader(server: worker._Server, done: threading.Event) -> None:
    """SIGKILL a worker's later child (the reader) once it is reading, as the OOM killer would."""
    while not done.is_set():
        for pid in _descendants(server.process.pid):
            try:
                children = sorted((int(_stat(c)[19]), c) for c in _descendants(pid))
                busy = len(children) == 2 and sum(map(int, _stat(children[1][1])[11:13])) > 5
            except (OSError, IndexError, ValueError):
                continue
            if busy:
                os.kill(children[1][1], signal.SIGKILL)
                return
        time.sleep(0.005)


def test_a_reader_killed_midway_is_refused_as_a_file_too_big_to_read():
    server = worker._get_server()
    done = threading.Event()
    killer = threading.Thread(target=_kill_the_reader, args=(server, done))
    killer.start()
    try:
        with pytest.raises(ImportRefused, match=r"big\.xlsx: the file needs more than 2 GB"):
            read_file(LARGE, "big.xlsx", BESIDE)
    finally:
        done.set()
        killer.join()
    assert worker.last_read().outcome == "memory"
    assert _left_behind(server) == []


def test_a_read_side_by_side_over_its_time_is_stopped_with_every_child():
    server = worker._get_server()
    slow = ImportLimits(max_read_seconds=0.3, read_beside_bytes=0)
    with pytest.raises(ImportRefused, match=r"big\.xlsx: reading took longer than 0.3 s"):
        read_file(LARGE, "big.xlsx", slow)
    assert worker.last_read().outcome == "timeout"
    assert _left_behind(server) == []


def test_the_processor_time_of_the_workers_children_counts_against_its_limit():
    # A child burning about half a second of processor time, not yet reaped: its time counts
    # with its parent's own.
    burnt_r, burnt_w = os.pipe()
    child = os.fork()
    if child == 0:
        end = time.process_time() + 0.5
        while time.process_time() < end:
            pass
        os.write(burnt_w, b"x")
        time.sleep(30)
        os._exit(0)
    try:
        os.read(burnt_r, 1)  # the child has used its half second
        alone = worker._cpu_seconds(os.getpid(), [], 0.0)
        both = worker._cpu_seconds(os.getpid(), [child], 0.0)
        assert both - alone >= 0.45
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        os.close(burnt_r)
        os.close(burnt_w)
