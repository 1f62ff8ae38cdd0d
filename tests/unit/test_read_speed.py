"""The worker's read of a large file: a CSV written to its answer file block by block as it is
read (the grid never held whole), a workbook's reader left to the reading process's end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kam_core.config import ImportLimits
from kam_core.ingest import csvread, read_file, worker
from kam_core.ingest.read import read_workbook
from tests.conftest import write_xlsx

MB = 1024**2
LINE = b"2024-01-05,Some rather long client name for the test,12345.67,North,Dana\n"


def test_a_large_csv_is_written_as_it_is_read_not_held_whole(tmp_path: Path) -> None:
    # 2,000,000 rows of 72 bytes: 138 MB of text. Held whole before it was written, the grid
    # (its text and a 4-byte offset a cell) took the worker to 499 MB; written block by block
    # it stays near the mapped file and one block's worth of buffers (307 MB).
    path = tmp_path / "big.csv"
    path.write_bytes(b"Order Date,Customer,Amount,Region,Manager\n" + LINE * 2_000_000)
    book = read_file(path, "big.csv")
    grid = book.sheets[0]
    assert grid.n_rows == 2_000_001
    assert grid.table.slice(2_000_000).to_pylist() == [
        {
            "c0": "2024-01-05",
            "c1": "Some rather long client name for the test",
            "c2": "12345.67",
            "c3": "North",
            "c4": "Dana",
        }
    ]
    stats = worker.last_read()
    assert stats is not None and stats.worker_peak_bytes is not None
    assert stats.worker_peak_bytes < path.stat().st_size + 220 * MB, stats


def test_blocks_written_as_read_keep_records_across_their_edges(tmp_path: Path) -> None:
    # Records of 9 MB of UTF-8 text in 8 MB blocks: a value with a line break, a blank line
    # and a row with a byte that is not UTF-8 fall on either side of the first block's end.
    head = b"Order Date,Customer,Amount\n"
    line = "2024-01-05,Zoë,1\n".encode()
    rows = 8 * MB // len(line)
    body = head + line * rows
    body += b'2024-01-06,"Two\nlines",2\n\n2024-01-07,Caf\xe9,3\n' + b"2024-01-08,Beta,4\n" * 50_000
    path = tmp_path / "edges.csv"
    path.write_bytes(body)
    book = read_file(path, "edges.csv")
    grid = book.sheets[0]
    tail = grid.table.slice(rows + 1, 4).to_pylist()
    assert tail[0] == {"c0": "2024-01-06", "c1": "Two\nlines", "c2": "2"}
    assert tail[1] == {"c0": None, "c1": None, "c2": None}  # the blank line stays a row
    assert tail[2] == {"c0": "2024-01-07", "c1": "Caf\ufffd", "c2": "3"}
    assert grid.n_rows == 1 + rows + 3 + 50_000
    assert grid.problems == {rows + 3: csvread.BAD_BYTES}  # rows from 0: the header is 0


def test_the_line_count_bounds_records_of_a_mapped_file(tmp_path: Path) -> None:
    import mmap

    path = tmp_path / "cr.csv"
    path.write_bytes(b"a\rb\rc\r" * 1000)
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        assert csvread._line_bound(data) == 3001
    assert csvread._line_bound(b"") == 1


def test_the_reader_of_the_last_sheet_is_left_to_the_process_and_the_cells_are_as_read(
    tmp_path: Path,
) -> None:
    rows = [["Order Date", "Customer", "Amount"], [dt.date(2024, 1, 5), "Acme", 1200.5]]
    path = write_xlsx(tmp_path / "two.xlsx", {"First": rows, "Second": [rows[0], ["x", 7]]})
    kept: list[object] = []
    grids = read_workbook(path.read_bytes(), "two.xlsx", ImportLimits(), kept)
    assert [g.table.to_pylist()[1] for g in grids] == [
        {"c0": "2024-01-05 00:00:00", "c1": "Acme", "c2": "1200.5"},
        {"c0": "x", "c1": "7", "c2": None},
    ]
    assert len(kept) == 2 and getattr(kept[1], "name", None) == "Second"
