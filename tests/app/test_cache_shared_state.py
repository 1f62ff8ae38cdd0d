"""ui.cache.stored_state shared by runs at once: a read begun after a run began serves it, a
change made before a run began is always seen; ui.db's has-sales check reads the same state."""

from __future__ import annotations

import pytest

from kam_core.services.settings import save_display
from kam_core.store import connect
from tests.support.apptest import app_at
from ui import cache

pytestmark = pytest.mark.usefixtures("empty_view_cache")


@pytest.fixture
def conn(fresh_db):
    connection = connect(fresh_db)
    yield connection
    connection.close()


@pytest.fixture
def reads(monkeypatch):
    """Count the reads of the stored state (the real read still runs)."""
    real = cache.fingerprint
    calls = []

    def counted(conn):
        calls.append(conn)
        return real(conn)

    monkeypatch.setattr(cache, "fingerprint", counted)
    return calls


def run(conn, database: str = "db"):
    """A script run's cursor, noted as ui.db.get_conn notes it."""
    cur = conn.cursor()
    cache.begin_run(cur, database)
    return cur


def test_runs_that_began_before_a_read_share_it(conn, reads):
    first, second, third = run(conn), run(conn), run(conn)
    state = cache.stored_state(first)
    assert cache.stored_state(second) == state
    assert cache.stored_state(third) == state
    assert len(reads) == 1


def test_a_run_that_began_after_the_read_reads_again(conn, reads):
    cache.stored_state(run(conn))
    cache.stored_state(run(conn))
    assert len(reads) == 2


def test_a_change_before_a_run_began_is_seen_even_with_a_read_in_between(conn, reads):
    early = run(conn)
    before = cache.stored_state(early)
    save_display(conn, currency="$")
    late = run(conn)
    assert cache.stored_state(late) != before
    # The early run keeps the state it read: one state per run, as before.
    assert cache.stored_state(early) == before
    assert len(reads) == 2


def test_after_a_write_in_the_run_forget_state_reads_again(conn, reads):
    writer, other = run(conn), run(conn)
    before = cache.stored_state(other)  # a read begun after the writer's run began
    save_display(writer, currency="$")
    cache.forget_state(writer)
    assert cache.stored_state(writer) != before
    assert len(reads) == 2


def test_other_databases_and_unnoted_cursors_read_their_own(conn, tmp_path, reads):
    other = connect(tmp_path / "other.duckdb")
    try:
        cache.stored_state(run(conn, "a"))
        cache.stored_state(run(other, "b"))
        cache.stored_state(conn.cursor())  # a cursor no run noted
        assert len(reads) == 3
    finally:
        other.close()


def test_holds_sales_follows_the_rows_stored(conn):
    assert cache.holds_sales(run(conn)) is False
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, source_row, order_date, client_id, client_name, "
        "revenue) VALUES (1, 1, 1, DATE '2025-01-02', 'C1', 'One', 10)"
    )
    assert cache.holds_sales(run(conn)) is True


def test_pages_still_ask_for_data_on_an_empty_database_and_show_it_on_the_demo(demo_db):
    at = app_at("types")
    assert not at.exception
    assert not any("no sales data yet" in i.value for i in at.info)
    assert at.title[0].value == "Client types"


def test_an_empty_database_shows_the_upload_prompt():
    at = app_at("types")
    assert not at.exception
    assert any("no sales data yet" in i.value for i in at.info)


def test_a_run_waits_for_a_read_under_way_that_began_after_it(conn, monkeypatch):
    import threading

    release, started, calls = threading.Event(), threading.Event(), []

    def slow(cur):
        calls.append(cur)
        started.set()
        release.wait(10)
        return ("state", len(calls))

    monkeypatch.setattr(cache, "fingerprint", slow)
    waiting = run(conn)  # began before the read below
    reader = run(conn)
    got = {}
    first = threading.Thread(target=lambda: got.setdefault("reader", cache.stored_state(reader)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: got.setdefault("waiting", cache.stored_state(waiting)))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the read under way, not reading
    release.set()
    first.join(10)
    second.join(10)
    assert got == {"reader": ("state", 1), "waiting": ("state", 1)}
    assert len(calls) == 1


def test_a_run_that_began_after_a_read_under_way_reads_for_itself(conn, monkeypatch):
    import threading

    release, started, calls = threading.Event(), threading.Event(), []

    def slow(cur):
        calls.append(cur)
        number = len(calls)
        if number == 1:
            started.set()
            release.wait(10)
        return ("state", number)

    monkeypatch.setattr(cache, "fingerprint", slow)
    reader = run(conn)
    got = {}
    first = threading.Thread(target=lambda: got.setdefault("reader", cache.stored_state(reader)))
    first.start()
    assert started.wait(10)
    late = run(conn)  # began after the read under way began: it may miss a change
    assert cache.stored_state(late) == ("state", 2)
    release.set()
    first.join(10)
    assert got == {"reader": ("state", 1)}
