"""Load the demo dataset through the same import path a user's workbook takes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from kam_core.config import DEMO_DIR
from kam_core.demo.master import load_demo_master
from kam_core.demo.sales import DEMO_WORKBOOK_NAME, write_demo_workbook
from kam_core.importing import import_file
from kam_core.store.sales import ImportCounts


def demo_workbook_bytes() -> bytes:
    """Return the demo workbook, writing data/demo/ first if it is missing."""
    path = DEMO_DIR / DEMO_WORKBOOK_NAME
    if not path.exists():
        try:
            DEMO_DIR.mkdir(parents=True, exist_ok=True)
            write_demo_workbook(path)
        except OSError:  # a read-only checkout still gets its demo data
            with tempfile.TemporaryDirectory() as tmp:
                return write_demo_workbook(Path(tmp) / DEMO_WORKBOOK_NAME).read_bytes()
    return path.read_bytes()


def load_demo(conn: duckdb.DuckDBPyConnection) -> ImportCounts:
    """Import the demo workbook and the key clients' dossiers (nothing is added twice)."""
    data = demo_workbook_bytes()
    counts, _, _ = import_file(conn, data, DEMO_WORKBOOK_NAME)
    load_demo_master(conn, data)  # dossiers of the key clients and the People sheet's managers
    return counts
