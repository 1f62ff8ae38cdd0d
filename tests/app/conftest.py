"""Every page test gets its own database file; demo_db is a copy of the demo database."""

import shutil

import pytest

from kam_core.demo.load import load_demo
from kam_core.store import connect


@pytest.fixture(autouse=True)
def fresh_db(tmp_path, monkeypatch):
    """Point the app at an empty database in a temporary folder."""
    path = tmp_path / "kam.duckdb"
    monkeypatch.setenv("KAM_DB", str(path))
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo dataset loaded once per run through the import path (each test gets a copy)."""
    path = tmp_path_factory.mktemp("demo") / "kam.duckdb"
    conn = connect(path)
    load_demo(conn)
    conn.close()
    return path


@pytest.fixture
def demo_db(fresh_db, demo_template):
    """A copy of the demo database where the app under test looks (KAM_DB)."""
    shutil.copy(demo_template, fresh_db)
    return fresh_db


@pytest.fixture(autouse=True, scope="session")
def _components_scanned_once():
    """Scan installed packages for Streamlit components once per run, not once per AppTest.

    Every new AppTest looks through the metadata of every installed distribution (about half
    a second); the installed packages cannot change during a run, so the first answer holds.
    """
    from streamlit.components.v2 import manifest_scanner

    original = manifest_scanner.scan_component_manifests
    found = original()
    manifest_scanner.scan_component_manifests = lambda max_workers=None: list(found)
    yield
    manifest_scanner.scan_component_manifests = original
