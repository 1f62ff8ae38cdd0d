"""After another session's import, a chart page shows the previous figures with a notice while
the new ones are computed in the background, then the new ones without it; the session that
imported sees its own import at once."""

from __future__ import annotations

import functools
import threading
import time

import pytest

from kam_core.analytics import overview
from tests.support.apptest import app_at, import_into
from ui import cache

pytestmark = pytest.mark.usefixtures("empty_view_cache")

FIRST = b"Order Date,Customer,Amount\n2024-01-05,Acme,100\n2024-02-06,Beta,50\n"
# Within the first file's dates: the sidebar's window, and so every report's arguments, stay.
SECOND = b"Order Date,Customer,Amount\n2024-02-06,Gamma,10\n"
NOTICE = "Updating with the latest import: figures as of"


def _figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _notices(at) -> list[str]:
    return [str(el.value) for el in at.info if NOTICE in str(el.value)]


@pytest.fixture
def held(monkeypatch):
    """The Overview's key figures computed only once the test lets them (same name: the same
    report to the cache)."""
    release, started = threading.Event(), threading.Event()
    real = overview.key_figures

    @functools.wraps(real)
    def slow(*args):
        started.set()
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(overview, "key_figures", slow)
    monkeypatch.setattr(cache, "GRACE_S", 0.2)
    return release, started


def _background_done(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while cache._queued and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not cache._queued


def test_others_see_the_previous_figures_until_the_new_are_ready(fresh_db, held):
    release, started = held
    release.set()  # the first figures: computed as usual
    import_into(fresh_db, FIRST, "first.csv")
    at = app_at("overview")
    assert not at.exception
    assert _figures(at)["Clients"] == "2"
    assert _figures(at)["Revenue"] == "₪150"
    assert not _notices(at)

    release.clear()
    started.clear()
    import_into(fresh_db, SECOND, "second.csv")  # another user's import
    at.run()
    assert not at.exception
    assert started.is_set()  # the new key figures are being computed, in the background
    # Acme 100 and Beta 50, as before the import; with a notice saying so.
    assert _figures(at)["Clients"] == "2"
    assert _figures(at)["Revenue"] == "₪150"
    assert len(_notices(at)) == 1
    assert all(button.disabled for button in at.get("download_button"))

    release.set()
    _background_done()
    at.run()
    assert not at.exception
    # Gamma's 10 counted: 3 clients, 160.
    assert _figures(at)["Clients"] == "3"
    assert _figures(at)["Revenue"] == "₪160"
    assert not _notices(at)


def test_the_session_that_imported_sees_its_import_at_once(fresh_db, held):
    release, _started = held
    release.set()
    import_into(fresh_db, FIRST, "first.csv")
    at = app_at("overview")
    assert _figures(at)["Clients"] == "2"
    release.clear()
    import_into(fresh_db, SECOND, "second.csv")
    at.session_state[cache.CHANGED_KEY] = time.monotonic_ns()  # as the Upload page notes it
    threading.Timer(0.5, release.set).start()  # the page waits for the new figures
    at.run()
    assert not at.exception
    assert _figures(at)["Clients"] == "3"
    assert _figures(at)["Revenue"] == "₪160"
    assert not _notices(at)


def test_a_failed_background_computation_is_computed_by_the_page(fresh_db, held, monkeypatch):
    release, _started = held
    release.set()
    import_into(fresh_db, FIRST, "first.csv")
    at = app_at("overview")
    real = overview.key_figures.__wrapped__
    calls = []

    @functools.wraps(real)
    def fails_once(*args):
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            raise RuntimeError("out of memory")
        return real(*args)

    monkeypatch.setattr(overview, "key_figures", fails_once)
    import_into(fresh_db, SECOND, "second.csv")
    at.run()
    _background_done()
    at.run()
    assert not at.exception
    assert calls[0].startswith("kam-previous")  # failed in the background, logged
    assert _figures(at)["Clients"] == "3"  # computed by the page itself
    assert not _notices(at)
