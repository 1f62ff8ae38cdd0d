"""kam_core.analytics.cache keeps the current data version's results only, within its bytes."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics import cache
from kam_core.store import connect
from tests import reference as ref

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear_cache()
    yield
    cache.clear_cache()


@pytest.fixture
def conn():
    connection = connect(":memory:")
    ref.insert_sales(connection, [{"order_date": "2025-01-01", "client_id": "a", "revenue": 5.0}])
    yield connection
    connection.close()


def tracked():
    """A computation making a new frame each call; .alive() tells which frames still exist."""
    refs: list[weakref.ref] = []

    def compute():
        frame = pd.DataFrame({"client_id": [f"C{i}" for i in range(1000)], "v": range(1000)})
        refs.append(weakref.ref(frame))
        return frame

    def alive() -> list[bool]:
        gc.collect()
        return [r() is not None for r in refs]

    compute.alive = alive
    return compute


def test_an_import_drops_the_results_of_the_version_before_it(conn):
    history, totals = tracked(), tracked()
    cache.cached("client_history", conn, "params", history)
    cache.cached("window_totals", conn, "params", totals)
    assert cache.cached("client_history", conn, "params", history) is not None
    assert history.alive() == [True]  # reused while nothing changes
    ref.insert_sales(conn, [{"order_date": "2025-01-02", "client_id": "b", "revenue": 9.0}])
    shown = cache.cached("client_history", conn, "params", history)
    # The old version's two frames are gone from the process; the new version's one is kept.
    assert history.alive() == [False, True]
    assert totals.alive() == [False]
    assert list(shown["v"][:2]) == [0, 1]


def test_a_result_of_an_older_version_computed_late_is_not_kept(conn):
    late = tracked()
    old = connect(":memory:")
    try:
        # The same database id at an older version: a thread that read it before the import.
        ref.insert_sales(conn, [{"order_date": "2025-01-02", "client_id": "b", "revenue": 9.0}])
        cache.cached("churn", conn, "p", tracked())
        db_id = conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchall()[0][0]
        old.execute("UPDATE meta SET value = ? WHERE key = 'db_id'", [db_id])
        ref.insert_sales(old, [{"order_date": "2025-01-01", "client_id": "a", "revenue": 5.0}])
        older = cache.data_version(old)
        assert int(older[1]) < int(cache.data_version(conn)[1])
        result = cache.cached("churn", old, "p", late)
        assert len(result) == 1000
        del result
        assert late.alive() == [False]
    finally:
        old.close()


def test_the_results_hold_no_more_bytes_than_the_bound(conn, monkeypatch):
    monkeypatch.setattr(cache, "MAX_BYTES", 3 * MB + MB // 2)
    refs = []

    def one_mib(n):
        def compute():
            frame = pd.DataFrame({"v": np.full(MB // 8, float(n))})  # 1 MiB of float64
            refs.append(weakref.ref(frame))
            return frame

        return compute

    for n in range(10):
        cache.cached("window_totals", conn, n, one_mib(n))
    gc.collect()
    alive = [r() for r in refs if r() is not None]
    held = sum(int(f.memory_usage(index=True, deep=True).sum()) for f in alive)
    assert [f["v"].iloc[0] for f in alive] == [7.0, 8.0, 9.0]  # the three newest
    assert held <= 3 * MB + MB // 2
    assert cache.held_bytes() == held


def test_the_estimate_counts_text_and_samples_long_lists():
    short = pd.DataFrame({"name": [f"C{i:06d}" for i in range(10_000)]})
    long = pd.DataFrame({"name": [f"Client number {i:06d} of the north" for i in range(10_000)]})
    # 26 more characters a name: at least 26 more bytes each, however the text is held.
    assert cache.size_of(long) - cache.size_of(short) >= 10_000 * 26
    points = [[float(i), f"Client {i:06d}"] for i in range(200_000)]
    started = time.perf_counter()
    estimate = cache.size_of({"x": points})
    assert time.perf_counter() - started < 0.5  # sampled, not walked
    # Each point: a list (72 bytes), a float (24) and a str of 13 characters (62).
    assert 200_000 * (72 + 24 + 62) <= estimate <= 2 * 200_000 * (72 + 24 + 62)


def test_threads_asking_at_once_for_a_missing_result_compute_it_once(conn):
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return "result"

    got: list = []

    def ask():
        cur = conn.cursor()
        got.append(cache.cached("churn", cur, "p", slow))
        cur.close()

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert got == ["result"] * 3
