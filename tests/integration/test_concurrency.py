"""Several users at once: Streamlit serves every session from one process and one connection,
so imports run in threads side by side while others read; nothing is lost or stored twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb
import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.reads import client_list, monthly_revenue, sales_summary
from kam_core.store.sales import list_uploads, undo_upload

ROWS = 6_000


def csv_rows(start: int, stop: int) -> bytes:
    """A sales export of lines start..stop-1; a line's content depends only on its number."""
    lines = ["Order Date,Customer,Amount,Invoice"]
    lines += [
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},Client {i % 97},{i}.25,INV{i}"
        for i in range(start, stop)
    ]
    return "\n".join(lines).encode()


def run_together(tasks: list[Callable[[], object]]) -> list[BaseException]:
    """Start every task at the same moment in its own thread; return what they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(tasks))

    def wrap(task: Callable[[], object]) -> None:
        barrier.wait()
        try:
            task()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(t,)) for t in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def reader(conn: duckdb.DuckDBPyConnection, done: threading.Event, seen: list[int]) -> None:
    """Read like a page does (each run on its own cursor) until the imports are done."""
    while not done.is_set():
        cur = conn.cursor()
        try:
            seen.append(int(sales_summary(cur)["rows"]))
            client_list(cur)
            monthly_revenue(cur)
            list_uploads(cur)
        finally:
            cur.close()


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "kam.duckdb")
    yield connection
    connection.close()


def importing(conn, data: bytes, name: str, results: dict) -> Callable[[], None]:
    def task() -> None:
        counts, _, _ = import_file(conn, data, name)
        results[name] = counts

    return task


def test_two_imports_and_readers_at_once_lose_nothing_and_store_nothing_twice(conn):
    first, overlapping = csv_rows(0, ROWS), csv_rows(ROWS // 2, ROWS + ROWS // 2)
    results: dict = {}
    done = threading.Event()
    seen: list[int] = []
    readers = [lambda: reader(conn, done, seen) for _ in range(3)]
    imports = [
        importing(conn, first, "first.csv", results),
        importing(conn, overlapping, "overlapping.csv", results),
    ]

    def imports_then_stop() -> None:
        try:
            assert not run_together(imports)
        finally:
            done.set()

    assert run_together([imports_then_stop, *readers]) == []
    union = ROWS + ROWS // 2
    total, distinct = conn.execute("SELECT count(*), count(DISTINCT row_key) FROM sales").fetchone()
    assert total == distinct == union
    assert sum(c.rows_imported for c in results.values()) == union
    assert all(c.rows_imported + c.rows_duplicate == ROWS for c in results.values())
    assert len(list_uploads(conn)) == 2
    invoices = {r[0] for r in conn.execute("SELECT order_id FROM sales").fetchall()}
    assert invoices == {f"INV{i}" for i in range(union)}
    assert seen, "the readers ran during the imports"
    assert all(n in (0, ROWS, ROWS // 2, union) for n in seen), "readers saw only whole imports"


def test_the_same_file_imported_twice_at_once_is_stored_once(conn):
    data = csv_rows(0, ROWS)
    results: dict = {}
    errors = run_together(
        [importing(conn, data, "a.csv", results), importing(conn, data, "b.csv", results)]
    )
    assert errors == []
    assert sorted(c.rows_imported for c in results.values()) == [0, ROWS]
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == ROWS


def test_an_undo_during_another_import_keeps_the_rows_the_other_import_holds(conn):
    first, _, _ = import_file(conn, csv_rows(0, ROWS), "first.csv")
    results: dict = {}
    errors = run_together(
        [
            lambda: undo_upload(conn, first.upload_id),
            importing(conn, csv_rows(0, ROWS // 3), "part.csv", results),
        ]
    )
    assert errors == []
    # Whichever ran first, the part file's rows stay and the rest of the first file goes.
    stored = {r[0] for r in conn.execute("SELECT order_id FROM sales").fetchall()}
    assert stored == {f"INV{i}" for i in range(ROWS // 3)}
    daily = conn.execute("SELECT sum(revenue) FROM sales_daily").fetchone()[0]
    assert daily == pytest.approx(sum(i + 0.25 for i in range(ROWS // 3)))
