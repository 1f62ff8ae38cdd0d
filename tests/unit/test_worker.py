"""The reading worker: every upload is read in a child process; a child that runs out of memory
or time is a refusal, and the next upload reads normally."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import ImportRefused, read_file, worker

SMALL = b"Order Date,Customer,Amount\n2024-01-05,Acme,5\n2024-01-06,Beta,6\n"


def big_csv(rows: int) -> bytes:
    line = b"2024-01-05,Some rather long client name for the test,12345.67,North,Dana\n"
    return b"Order Date,Customer,Amount,Region,Manager\n" + line * rows


def test_a_file_is_read_in_another_process_and_comes_back_as_arrow():
    book = read_file(SMALL, "small.csv")
    assert book.sheets[0].table.to_pylist()[1] == {"c0": "2024-01-05", "c1": "Acme", "c2": "5"}
    stats = worker.last_read()
    assert stats is not None and stats.outcome == "ok"
    assert stats.worker_peak_bytes and stats.worker_peak_bytes > 0
    assert worker._get_server().process.pid != os.getpid()


def test_a_worker_over_its_memory_ceiling_is_a_refusal_and_the_next_read_works():
    # 450 MB of address space is less than the reader needs for 40 MB of text (and than the
    # libraries and the allocator's reserve take at start): the upload is refused.
    tight = ImportLimits(max_read_bytes=450 * 1024**2)
    with pytest.raises(ImportRefused, match=r"big\.csv: the file needs more than 450 MB to read"):
        read_file(big_csv(500_000), "big.csv", tight)
    assert worker.last_read().outcome == "memory"
    assert read_file(SMALL, "small.csv").sheets[0].n_rows == 3


def test_a_worker_over_its_time_limit_is_stopped_and_refused_and_the_next_read_works():
    slow = ImportLimits(max_read_seconds=0.05)
    with pytest.raises(ImportRefused, match=r"big\.csv: reading took longer than 0.05 s"):
        read_file(big_csv(1_000_000), "big.csv", slow)
    assert worker.last_read().outcome == "timeout"
    assert read_file(SMALL, "small.csv").sheets[0].n_rows == 3


def test_a_worker_killed_midway_is_a_refusal_not_a_crash():
    worker.warm_up()
    done = threading.Event()
    killer = threading.Thread(target=_kill_first_worker, args=(done,))
    killer.start()
    try:
        with pytest.raises(ImportRefused, match="needs more than"):
            # Over the usual size bound, so the worker is still reading when it is killed (the
            # size check comes first and takes no time).
            limits = ImportLimits(max_read_seconds=30, max_file_bytes=1024**3)
            read_file(big_csv(3_000_000), "big.csv", limits)
    finally:
        done.set()
        killer.join()
    assert read_file(SMALL, "small.csv").sheets[0].n_rows == 3


def _kill_first_worker(done: threading.Event) -> None:
    """Kill the first worker the fork server starts, as the kernel's OOM killer would."""
    while not done.is_set():
        if _kill_workers():
            return
        time.sleep(0.01)


def _kill_workers() -> bool:
    """Kill the fork server's children (the workers); True when there was one."""
    server = worker._get_server().process.pid
    killed = False
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                state, parent = stat.read().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue
        # A zombie is an earlier read's worker not yet collected: killing it stops nothing.
        if int(parent) == server and state != "Z":
            os.kill(int(pid), signal.SIGKILL)
            killed = True
    return killed


def test_a_fork_server_that_died_is_started_again():
    server = worker._get_server()
    server.process.kill()
    server.process.wait()
    assert read_file(SMALL, "small.csv").sheets[0].n_rows == 3
    assert worker._get_server() is not server
    assert not server.folder.exists()  # the dead server's socket folder is not left behind


@pytest.mark.slow  # a new interpreter and its fork server
def test_the_fork_servers_socket_folder_goes_with_the_process():
    program = "from kam_core.ingest import worker; worker.warm_up(); print(worker._server.folder)"
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("kam-reader-")
    assert not folder.exists()


def test_two_reads_at_once_each_get_their_own_worker():
    results: list[int] = []
    errors: list[BaseException] = []

    def read(rows: int) -> None:
        try:
            results.append(read_file(big_csv(rows), f"f{rows}.csv").sheets[0].n_rows)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(n,)) for n in (1000, 2000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [1001, 2001]


def test_the_fork_servers_preload_allocates_nothing_through_arrow():
    # An Arrow allocation in the fork server (even a null scalar made at import) reserves
    # about 1 GB of address space that every worker inherits under its 2 GB ceiling: a 1M-row
    # workbook then ran out of memory in the reader.
    import subprocess
    import sys

    code = (
        "import kam_core.ingest.read, kam_core.ingest.worker\n"
        "from kam_core.i18n import SUPPORTED, translations\n"
        "for language in SUPPORTED: translations(language)\n"
        "import pyarrow as pa\n"
        "print(pa.default_memory_pool().max_memory())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "0"


def test_a_worker_gone_before_it_takes_the_request_is_a_refusal(monkeypatch):
    # The worker is forked when the server connects; killed at once, the request's send breaks.
    def broken(sock, message):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(worker, "_send", broken)
    with pytest.raises(ImportRefused, match=r"tiny\.csv"):
        read_file(b"Order Date,Customer,Amount\n2024-01-05,A,1\n", "tiny.csv")


def test_a_mapping_refused_for_memory_is_a_memory_refusal_not_a_damaged_file():
    from kam_core.ingest.read import failure

    mapped = OSError("Memory mapping file failed: Cannot allocate memory")
    assert failure(mapped) == ("memory", "")
    assert failure(OSError(12, "Cannot allocate memory")) == ("memory", "")
    threads = "Unknown error: Failed to launch worker thread: Resource temporarily unavailable"
    assert failure(RuntimeError(threads)) == ("memory", "")
    assert failure(OSError(5, "Input/output error"))[0] == "failed"
