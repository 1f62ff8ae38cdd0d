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


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(
    database: Path,
    folder: Path,
    *options: str,
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """Run the app over database with more `streamlit run` options; yield its base URL."""
    # env replaces the server's environment; port is given when a file must name it first.
    port = port or free_port()
    env = {**(os.environ if env is None else env), "KAM_DB": str(database)}
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
            *options,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/_stcore/health", log_path, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave a server behind
            proc.kill()
            proc.wait(timeout=30)
        log.close()


def wait_for(url: str, log: Path, proc: subprocess.Popen | None = None) -> None:
    """Return once url answers; fail with the server's log if it dies or stays silent 2 min."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (proc is None or proc.poll() is None):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer: " + log.read_text())


@pytest.fixture
def server(tmp_path):
    """The app on a free port with its own, empty database; yields its base URL."""
    with serve(tmp_path / "kam.duckdb", tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    """One Chromium per test process; every test gets its own context (cookies, storage)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The shared Chromium; the contexts a test opens (browser.new_page()) are closed after it."""
    before = len(chromium.contexts)
    yield chromium
    for context in chromium.contexts[before:]:
        context.close()


@pytest.fixture
def page(chromium):
    """A page in a fresh browser context; the test's screenshots go to its temporary folder."""
    from playwright.sync_api import expect

    # A busy machine (two cores shared by several test runs) needs more than 5 s for a rerun.
    expect.set_options(timeout=60_000)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()
