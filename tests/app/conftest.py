"""Every page test gets its own database file; demo_db is a copy of the demo database."""

import shutil

import pytest

from tests.support.demo_cache import demo_database


@pytest.fixture(autouse=True)
def fresh_db(tmp_path, monkeypatch):
    """Point the app at an empty database in a temporary folder."""
    path = tmp_path / "kam.duckdb"
    monkeypatch.setenv("KAM_DB", str(path))
    return path


@pytest.fixture(scope="session")
def demo_template():
    """The demo dataset loaded through the import path, once per version of the code (each test
    gets a copy)."""
    return demo_database("en")


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


@pytest.fixture(autouse=True, scope="session")
def _script_runs_awaited_without_polling():
    """Wait for each AppTest script run by joining its thread, not by polling every millisecond.

    Streamlit's test runner wakes a thousand times a second and scans every message of the run
    for the end; each wake takes the interpreter lock from the script it waits for.
    """
    from streamlit.testing.v1 import local_script_runner

    original = local_script_runner.require_widgets_deltas

    def wait(runner, timeout: float = 3) -> None:
        thread = runner._script_thread
        if thread is not None:
            thread.join(timeout)
        if not runner.script_stopped():
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    local_script_runner.require_widgets_deltas = wait
    yield
    local_script_runner.require_widgets_deltas = original
