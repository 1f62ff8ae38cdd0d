"""Backups made while the app is busy: every copy holds every row, whatever else runs at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import duckdb
import pytest

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.backup import backup, backup_bytes, inspect_backup

ROWS = 500


def sales_csv(rows: int) -> bytes:
    """A sales export of distinct lines (an invoice number each): every line is one stored row."""
    lines = ["Order Date,Customer,Amount,Invoice"]
    lines += [
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},Firm {i % 9},{i}.5,INV{i}" for i in range(rows)
    ]
    return "\n".join(lines).encode()


@pytest.fixture
def conn(tmp_path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A database holding ROWS sales rows from one import."""
    conn = connect(tmp_path / "kam.duckdb")
    import_file(conn, sales_csv(ROWS), "sales.csv")
    yield conn
    conn.close()


def test_a_backup_made_while_another_cursor_lists_the_tables_holds_every_row(conn, tmp_path):
    # A query over the catalog (duckdb_tables(), information_schema) sees the copy while it is
    # attached; before, DETACH then left its rows in a log file the backup removed, and the
    # check refused the copy ("check.duckdb is a database, but not a KAM Analytics backup").
    stop = threading.Event()
    errors: list[BaseException] = []

    def list_tables() -> None:
        cur = conn.cursor()
        try:
            while not stop.is_set():
                cur.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
        except BaseException as exc:  # any failure is the answer
            errors.append(exc)
        finally:
            cur.close()

    lister = threading.Thread(target=list_tables)
    lister.start()
    rows = []
    try:
        for n in range(10):  # before the fix about one copy in two lost its rows
            path = tmp_path / f"copy-{n}.duckdb"
            path.write_bytes(backup_bytes(conn))
            rows.append(inspect_backup(path).sales_rows)
    finally:
        stop.set()
        lister.join()
    assert errors == []
    assert rows == [ROWS] * 10


def test_two_backups_written_to_the_same_file_at_once_both_succeed(conn, tmp_path):
    # Each removed the other's half-written copy: one failed with "could not be written".
    target = tmp_path / "kam-backup.duckdb"
    errors: list[BaseException] = []

    def write() -> None:
        try:
            backup(conn, target)
        except BaseException as exc:
            errors.append(exc)

    for _ in range(8):  # before the fix most rounds failed
        pair = [threading.Thread(target=write) for _ in range(2)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
    assert errors == []
    assert inspect_backup(target).sales_rows == ROWS
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == [target.name]
