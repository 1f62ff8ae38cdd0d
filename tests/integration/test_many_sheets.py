"""A file of many sheets or tables: bounded, and read without an open file per sheet."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kam_core.ingest import ImportRefused
from kam_core.ingest.grid import MAX_SHEETS
from kam_core.ingest.worker import read_file

SALES = "<table><tr><td>Order Date</td><td>Client</td><td>Revenue</td></tr>" + (
    "<tr><td>2024-01-05</td><td>Acme</td><td>100</td></tr></table>"
)


def _page(tables: int) -> bytes:
    return ("<html><body>" + SALES * tables + "</body></html>").encode()


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts open files in /proc")
def test_a_book_of_many_small_sheets_holds_no_open_file_per_sheet():
    before = _open_files()
    book = read_file(_page(900), "report.htm")
    assert len(book.sheets) == 900
    # An .ods of 20,000 tables held 20,000 files open in the server, until no page was served.
    assert _open_files() - before < 10


def test_more_sheets_than_the_bound_are_refused_with_the_count():
    with pytest.raises(ImportRefused) as refused:
        read_file(_page(MAX_SHEETS + 1), "report.htm")
    assert "1,001 sheets or tables; at most 1,000" in str(refused.value)


def test_a_read_works_while_the_server_holds_more_than_1024_files(tmp_path: Path):
    # select() fails past file number 1,024: every later upload was a traceback.
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1_100)]
    try:
        assert max(held) > 1_024
        book = read_file(b"Order Date,Client,Revenue\n2024-01-05,Acme,100\n", "s.csv")
        assert book.sheets[0].table.num_rows == 2
    finally:
        for fd in held:
            os.close(fd)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts open files in /proc")
def test_a_book_of_many_large_sheets_keeps_few_files_open(tmp_path: Path, monkeypatch):
    from kam_core.ingest import grid as grid_module
    from kam_core.ingest.grid import MAPS_LET_GO, load_book, save_book

    book = read_file(_page(200), "report.htm")
    meta = save_book(book, tmp_path)
    # Every sheet as large as one that is mapped: only the first few keep a file open.
    monkeypatch.setattr(grid_module, "MAP_FROM_BYTES", 0)
    before = _open_files()
    again = load_book(meta, tmp_path)
    assert _open_files() - before <= MAPS_LET_GO + 2
    assert [g.table.num_rows for g in again.sheets] == [g.table.num_rows for g in book.sheets]
    assert again.sheets[150].table.column(1)[1].as_py() == "Acme"
