"""At most max_concurrent_reads workers read at once: a burst of uploads (say, small files that
each make their worker take its whole memory ceiling) cannot add up past that many ceilings.
A read whose turn has not come waits, saying so, and reads once a slot is free."""

from __future__ import annotations

import threading
import time

import pytest

from kam_core.config import ImportLimits, limits_from_env
from kam_core.ingest import ImportRefused, worker

CSV = b"Order Date,Customer,Amount\n2024-01-05,Acme,1200\n"


def _on_wait(calls: list[str]):
    def said():
        calls.append("waiting")
        return lambda: calls.append("turn")

    return said


def test_a_read_waits_for_a_free_slot_then_reads():
    limits = ImportLimits(max_concurrent_reads=1)
    slots = worker._read_slots(1)
    slots.acquire()
    calls: list[str] = []
    threading.Timer(0.5, slots.release).start()
    started = time.monotonic()
    book = worker.read_file(CSV, "sales.csv", limits, on_wait=_on_wait(calls))
    assert time.monotonic() - started >= 0.4
    assert calls == ["waiting", "turn"]
    assert book.sheets[0].table.num_rows == 2  # the header and one row, as text
    # The slot went back: the next read does not wait.
    calls.clear()
    worker.read_file(CSV, "sales.csv", limits, on_wait=_on_wait(calls))
    assert calls == []


def test_a_read_that_never_gets_its_turn_is_refused_saying_the_server_is_busy():
    limits = ImportLimits(max_concurrent_reads=1, max_read_seconds=0.1)
    slots = worker._read_slots(1)
    slots.acquire()
    calls: list[str] = []
    try:
        with pytest.raises(ImportRefused, match="busy reading other uploads") as refused:
            worker.read_file(CSV, "sales.csv", limits, on_wait=_on_wait(calls))
    finally:
        slots.release()
    assert "sales.csv" in str(refused.value)
    assert calls == ["waiting", "turn"]  # the waiting message is taken back


def test_two_slots_let_two_reads_run_together():
    limits = ImportLimits(max_concurrent_reads=2)
    slots = worker._read_slots(2)
    slots.acquire()  # one slot taken: one left
    try:
        calls: list[str] = []
        worker.read_file(CSV, "sales.csv", limits, on_wait=_on_wait(calls))
        assert calls == []
    finally:
        slots.release()


def test_the_number_of_reads_at_once_is_a_setting():
    assert ImportLimits().max_concurrent_reads == 3
    assert limits_from_env({"KAM_MAX_READS": "5"}).max_concurrent_reads == 5
    with pytest.raises(ValueError, match="KAM_MAX_READS"):
        limits_from_env({"KAM_MAX_READS": "0"})
