"""A file padded to gigabytes with NULs (a sparse or preallocated file) is held to the bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kam_core.importing import import_file
from kam_core.ingest.errors import ImportRefused
from kam_core.store import connect
from kam_core.store.sales import sales_count

ROWS = b"date,client,amount\n2025-01-05,Acme,100\n"


def _padded(tmp_path: Path, name: str, size: int) -> Path:
    """A small CSV followed by NULs up to size bytes, written sparse (no disk used)."""
    path = tmp_path / name
    path.write_bytes(ROWS)
    os.truncate(path, size)
    return path


@pytest.mark.parametrize(("size", "shown"), [(4 * 1024**3, "4,096 MB"), (250 * 1024**2, "250 MB")])
def test_a_file_padded_past_the_bound_is_refused_by_its_size(tmp_path, size, shown):
    # Before, 4 GB of padding was walked and hashed for 13 s, then called a file needing more
    # than 2 GB to read; 250 MB of it was left out and the row imported, past the 200 MB bound.
    path = _padded(tmp_path, "sparse.csv", size)
    conn = connect(str(tmp_path / "kam.duckdb"))
    try:
        with pytest.raises(ImportRefused) as refused:
            import_file(conn, path, path.name)
        assert str(refused.value) == f"sparse.csv: the file is {shown}; the limit is 200 MB."
        assert sales_count(conn) == 0
    finally:
        conn.close()


def test_a_file_padded_within_the_bound_imports_with_a_note(tmp_path):
    path = _padded(tmp_path, "padded.csv", 1024**2)
    conn = connect(str(tmp_path / "kam.duckdb"))
    try:
        counts, _parsed, pre = import_file(conn, path, path.name)
    finally:
        conn.close()
    assert (counts.rows_imported, counts.revenue) == (1, 100)
    padding = 1024**2 - len(ROWS)
    assert f"The file ends in {padding:,} NUL bytes (padding); they were left out." in pre.notes
