"""One cursor and one read of the settings per script run: app.py and the page ask for the
connection and get the same cursor; another run or another session gets its own."""

from __future__ import annotations

import threading
from collections import defaultdict

import pytest
from streamlit.runtime.scriptrunner import get_script_run_ctx

import kam_core.store.settings as stored_settings
import ui.db
from tests.support.apptest import app_at


@pytest.fixture
def taken(monkeypatch):
    """Each cursor ui.db hands out, by session (recorded where it reads the settings)."""
    cursors: dict[int, list] = defaultdict(list)
    sessions = []  # kept, so that no id is used again
    lock = threading.Lock()
    hold = ui.db.read_once_per_run

    def recording(cur):
        # AppTest names every session alike; the state underneath its session state is its own.
        session = get_script_run_ctx(suppress_warning=True).session_state._state
        with lock:
            sessions.append(session)
            cursors[id(session)].append(cur)
        hold(cur)

    monkeypatch.setattr(ui.db, "read_once_per_run", recording)
    return cursors


@pytest.fixture
def settings_queries(monkeypatch):
    """How many times the settings table is read."""
    count = [0]
    read = stored_settings._rows

    def counting(conn):
        count[0] += 1
        return read(conn)

    monkeypatch.setattr(stored_settings, "_rows", counting)
    return count


@pytest.mark.parametrize("screen", ["types", "churn"])
def test_a_page_view_takes_one_cursor_and_reads_the_settings_once(
    demo_db, taken, settings_queries, screen
):
    at = app_at(screen)
    assert not at.exception
    assert at.title  # the page ran, not only app.py
    assert [len(runs) for runs in taken.values()] == [1]  # app.py and the page: one cursor
    assert settings_queries[0] == 1
    at.run()  # the next run of the same session: a cursor of its own, settings read again
    (runs,) = taken.values()
    assert len(runs) == 2 and runs[0] is not runs[1]
    assert settings_queries[0] == 2


def test_two_sessions_at_once_get_different_cursors(demo_db, taken):
    first = app_at("types")  # the first run fills the caches; the runs below are at once
    second = app_at("types")
    assert not first.exception and not second.exception
    taken.clear()
    errors: list[BaseException] = []

    def view(at) -> None:
        try:
            at.run()
            assert not at.exception, at.exception
        except BaseException as exc:  # the test's thread reports it below
            errors.append(exc)

    threads = [threading.Thread(target=view, args=(at,)) for at in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(len(runs) for runs in taken.values()) == [1, 1]
    one, other = (runs[0] for runs in taken.values())
    assert one is not other
