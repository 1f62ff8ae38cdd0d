"""Real-browser tests: the app served by Streamlit, driven in Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KAM_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every browser test e2e and slow (each starts a server and a browser); skip them,
    saying why, when Chromium is not installed."""
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if not Path(item.path).resolve().is_relative_to(HERE):
            continue  # this hook sees the whole session's items
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.slow)
        if not CHROMIUM.exists():
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(database: Path, folder: Path) -> Iterator[str]:
    """Run the app on a free port over database (its log in folder); yield its base URL."""
    port = _free_port()
    env = {**os.environ, "KAM_DB": str(database)}
    log_path = folder / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("the app did not start: " + log_path.read_text())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave a server behind
            proc.kill()
            proc.wait(timeout=30)
        log.close()


@pytest.fixture
def server(tmp_path):
    """The app on a free port with its own, empty database; yields its base URL."""
    with serve(tmp_path / "kam.duckdb", tmp_path) as url:
        yield url


@pytest.fixture
def page():
    """A Chromium page; the test's screenshots go to the pytest temporary folder."""
    from playwright.sync_api import expect, sync_playwright

    # A busy machine (two cores shared by several test runs) needs more than 5 s for a rerun.
    expect.set_options(timeout=30_000)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(30_000)
        yield tab
        browser.close()
