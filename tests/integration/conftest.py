"""Fixtures shared by the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam_core.store import connect
from tests import reference as ref


@pytest.fixture
def sales_db(db_file: Path) -> Path:
    """A database file holding 300 generated clients' sales over 12 months."""
    conn = connect(db_file)
    ref.insert_sales(conn, ref.generate(300, 12, seed=3))
    conn.close()
    return db_file
