"""Every page test gets its own database file."""

import pytest


@pytest.fixture(autouse=True)
def fresh_db(tmp_path, monkeypatch):
    """Point the app at an empty database in a temporary folder."""
    path = tmp_path / "kam.duckdb"
    monkeypatch.setenv("KAM_DB", str(path))
    return path
