"""ui.cache's previous versions: after an import a page that allows it gets a report's last
ready version while the new one is computed in the background, one computation however many
ask; two versions of a report at most; a failure is computed by the page; any other change
(settings, win-back, dossiers) is never shown late."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest
import streamlit as st

from ui import cache

pytestmark = pytest.mark.usefixtures("empty_view_cache")


def state(version: int, settings: int = 0) -> tuple:
    """A stored state as services.snapshot.fingerprint gives it: an import raises the data
    version and adds an upload; a settings change moves the settings row."""
    rows = ((1, 0, 0), (2, version, 0), (3, version, 0), (4, 0, 0), (5, settings, 0))
    return (("db-id", str(version), 10 * version), (*rows, (6, 0, 0), (7, version, 0)))


class Store:
    """The stored state and the report's answer for it, moved by the test."""

    def __init__(self, monkeypatch) -> None:
        self.now = state(1)
        self.answer = {state(1): "revenue 150"}
        self.release = threading.Event()
        self.release.set()
        self.fail = False
        self.calls: list[str] = []
        monkeypatch.setattr(cache, "fingerprint", lambda conn: self.now)
        monkeypatch.setattr(cache, "GRACE_S", 0.05)

    def report(self, conn, months: int) -> str:
        """The report: its answer for the state the computation began in."""
        asked = self.now
        self.calls.append(threading.current_thread().name)
        assert self.release.wait(10)
        if self.fail:
            raise RuntimeError("out of memory")
        return f"{self.answer[asked]} over {months} months"


@pytest.fixture(autouse=True)
def session_keys():
    """The bare session's keys this module sets go with each test."""
    yield
    for key in (cache.CHANGED_KEY, cache.PENDING_KEY):
        st.session_state.pop(key, None)


@pytest.fixture
def store(monkeypatch):
    return Store(monkeypatch)


@pytest.fixture
def conn():
    connection = duckdb.connect()
    yield connection
    connection.close()


def view(conn, store: Store, lag: bool = True) -> tuple[str, bool]:
    """A script run of a chart page asking for the report: what it shows, and if it is late."""
    cur = conn.cursor()
    cache.begin_run(cur, "db")
    if lag:
        cache.show_previous_while_updating("Overview")
    return cache.remember(store.report, cur, 12), cache.lagging()


def versions() -> int:
    """The versions of the report held."""
    return sum(len(keys) for slot, keys in cache._slots.items() if slot[0] == "report")


def settle() -> None:
    deadline = time.monotonic() + 10
    while (cache._queued or cache._computing) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not cache._queued


def test_ready_then_previous_while_the_new_is_computed_then_the_new(conn, store):
    assert view(conn, store) == ("revenue 150 over 12 months", False)
    assert view(conn, store) == ("revenue 150 over 12 months", False)
    assert len(store.calls) == 1  # ready: kept

    store.release.clear()
    store.now, store.answer[state(2)] = state(2), "revenue 160"
    # Three views while the new version is held: the previous, late; one computation.
    for _ in range(3):
        assert view(conn, store) == ("revenue 150 over 12 months", True)
    assert len(store.calls) == 2
    assert store.calls[1].startswith("kam-previous")
    assert versions() == 1  # the new one is not kept before it is ready
    store.release.set()
    settle()
    assert versions() == 1  # the previous one let go once the new was ready
    assert view(conn, store) == ("revenue 160 over 12 months", False)
    assert len(store.calls) == 2


def test_two_versions_at_most_under_imports_in_a_row(conn, store):
    view(conn, store)
    before = "revenue 150"
    for version in (2, 3, 4):
        store.now, store.answer[state(version)] = state(version), f"revenue {version}"
        store.release.clear()
        assert view(conn, store) == (f"{before} over 12 months", True)
        before = f"revenue {version}"
        assert versions() <= 2
        store.release.set()
        settle()
        assert versions() <= 2
    assert view(conn, store) == ("revenue 4 over 12 months", False)
    assert versions() == 1


def test_a_version_computed_for_an_import_followed_by_another_is_shown_meanwhile(conn, store):
    view(conn, store)
    store.release.clear()
    store.now, store.answer[state(2)] = state(2), "revenue 160"
    assert view(conn, store)[1]  # the version for state 2 is being computed
    store.now, store.answer[state(3)] = state(3), "revenue 170"
    store.release.set()
    settle()
    # State 3's own is not asked for yet: state 2's is the last ready and shown, late.
    store.release.clear()
    assert view(conn, store) == ("revenue 160 over 12 months", True)
    assert versions() == 1
    store.release.set()
    settle()
    assert view(conn, store) == ("revenue 170 over 12 months", False)


def test_a_failed_background_computation_is_computed_by_the_page(conn, store):
    view(conn, store)
    store.now, store.answer[state(2)] = state(2), "revenue 160"
    store.fail = True
    store.release.clear()
    assert view(conn, store) == ("revenue 150 over 12 months", True)
    store.release.set()
    settle()
    assert any(key[1].endswith("Store.report") for key in cache._failed)
    with pytest.raises(RuntimeError, match="out of memory"):  # the page's usual error
        view(conn, store)
    store.fail = False
    assert view(conn, store) == ("revenue 160 over 12 months", False)
    assert threading.current_thread().name == store.calls[-1]  # computed by the page
    assert not cache._failed


def test_a_changed_setting_is_never_shown_late(conn, store):
    view(conn, store)
    store.now, store.answer[state(1, settings=1)] = state(1, settings=1), "revenue in $"
    assert view(conn, store) == ("revenue in $ over 12 months", False)
    assert versions() == 1
    store.now, store.answer[state(2, settings=2)] = state(2, settings=2), "revenue 160 in €"
    assert view(conn, store) == ("revenue 160 in € over 12 months", False)


def test_pages_that_do_not_allow_it_and_the_session_that_imported_wait(conn, store):
    view(conn, store)
    store.now, store.answer[state(2)] = state(2), "revenue 160"
    threading.Timer(0.3, store.release.set).start()
    store.release.clear()
    # A dossier, the Upload page, a download: always the current state.
    assert view(conn, store, lag=False) == ("revenue 160 over 12 months", False)
    store.now, store.answer[state(3)] = state(3), "revenue 170"
    cache.note_change()  # this session imported
    threading.Timer(0.3, store.release.set).start()
    store.release.clear()
    assert view(conn, store) == ("revenue 170 over 12 months", False)
