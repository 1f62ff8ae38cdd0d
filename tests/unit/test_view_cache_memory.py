"""ui.cache holds no more than the current stored state needs, within its bytes, computed once."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import numpy as np
import pandas as pd
import pytest

from kam_core.services.settings import save_display
from kam_core.store import connect
from ui import cache

pytestmark = pytest.mark.usefixtures("empty_view_cache")
MB = 1024 * 1024


@pytest.fixture
def conn(tmp_path, monkeypatch):
    path = tmp_path / "kam.duckdb"
    monkeypatch.setenv("KAM_DB", str(path))
    connection = connect(path)
    yield connection
    connection.close()


def run(conn):
    """A script run's cursor, noted as ui.db.get_conn notes it."""
    cur = conn.cursor()
    cache.begin_run(cur, "db")
    return cur


def made():
    """A report making a new frame on each call; .alive() tells which frames still exist."""
    refs: list[weakref.ref] = []

    def report(conn, *args):
        frame = pd.DataFrame({"client": [f"C{i}" for i in range(1000)], "v": range(1000)})
        refs.append(weakref.ref(frame))
        return frame

    def alive() -> list[bool]:
        gc.collect()
        return [ref() is not None for ref in refs]

    report.alive = alive
    return report


def test_a_change_drops_the_results_of_the_state_before_it(conn):
    report, other = made(), made()
    first = run(conn)
    cache.remember(report, first, "params")
    cache.remember(other, first, "other params")
    assert report.alive() == [True]  # kept for the next view
    save_display(conn, currency="$")  # an import, a setting: anything stored
    later = run(conn)
    shown = cache.remember(report, later, "params")
    # The old state's two frames are gone from the process; the new state's one is kept.
    assert report.alive() == [False, True]
    assert other.alive() == [False]
    assert list(shown["v"][:3]) == [0, 1, 2]


def test_a_run_begun_before_the_change_gets_its_result_but_it_is_not_kept(conn):
    report = made()
    early = run(conn)
    cache.stored_state(early)  # the run read the state before the import
    save_display(conn, currency="$")
    cache.remember(report, run(conn), "params")
    shown = cache.remember(report, early, "params")  # the old state: computed, not kept
    assert len(shown) == 1000
    del shown
    assert report.alive() == [True, False]


def test_a_figure_of_unchanged_frames_serves_the_next_state_and_others_go_after_it(conn):
    builds = []

    def build(frame):
        builds.append(1)
        return {"points": list(frame["v"])}

    frame = pd.DataFrame({"v": [1, 2, 3]})
    changed = made()  # a figure of frames the next import changes: never asked for again
    cache.stored_state(run(conn))
    cache.memo(build, frame)
    cache.memo(changed, None, "old frames")
    save_display(conn, currency="$")
    cache.stored_state(run(conn))
    assert cache.memo(build, frame) == {"points": [1, 2, 3]}
    assert len(builds) == 1  # the same inputs: reused across the change
    save_display(conn, currency="€")
    cache.stored_state(run(conn))
    assert changed.alive() == [False]  # two states on, the figure no run asked for is gone
    assert cache.memo(build, frame) == {"points": [1, 2, 3]}
    assert len(builds) == 1  # the one asked for in the state before stays


def test_the_cache_holds_no_more_bytes_than_its_bound(monkeypatch):
    monkeypatch.setattr(cache, "MAX_BYTES", 3 * MB + MB // 2)
    refs = []

    def build(n):
        frame = pd.DataFrame({"v": np.full(MB // 8, float(n))})  # 1 MiB of float64
        refs.append(weakref.ref(frame))
        return frame

    for n in range(10):
        cache.memo(build, n)
    gc.collect()
    alive = [r() for r in refs if r() is not None]
    held = sum(int(f.memory_usage(index=True, deep=True).sum()) for f in alive)
    assert len(alive) == 3  # the three newest
    assert held <= 3 * MB + MB // 2
    assert [f["v"].iloc[0] for f in alive] == [7.0, 8.0, 9.0]
    assert cache.held_bytes() == held


def test_the_size_of_a_frame_counts_its_text():
    short = pd.DataFrame({"client": [f"C{i:06d}" for i in range(10_000)]})
    long = pd.DataFrame({"client": [f"Client number {i:06d} of the north" for i in range(10_000)]})
    # 26 more characters a name: at least 27 more bytes each, however the text is held.
    assert cache.size_of(long) - cache.size_of(short) >= 10_000 * 26
    assert cache.size_of(short) >= 10_000 * 7


def test_runs_asking_at_once_for_a_missing_result_compute_it_once():
    calls = []

    def slow(n):
        calls.append(n)
        time.sleep(0.3)
        return pd.DataFrame({"v": [n]})

    results: list = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.memo(slow, 5))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [5]
    assert [int(r["v"].iloc[0]) for r in results] == [5, 5, 5]


def test_a_failed_computation_lets_a_waiting_run_compute_it_itself():
    calls = []
    started = threading.Event()

    def flaky(n):
        calls.append(n)
        if len(calls) == 1:
            started.set()
            time.sleep(0.2)
            raise RuntimeError("stopped")
        return "ok"

    failed: list = []

    def first():
        try:
            cache.memo(flaky, 1)
        except RuntimeError as exc:
            failed.append(str(exc))

    t = threading.Thread(target=first)
    t.start()
    started.wait(5)
    assert cache.memo(flaky, 1) == "ok"
    t.join()
    assert failed == ["stopped"]
    assert len(calls) == 2
