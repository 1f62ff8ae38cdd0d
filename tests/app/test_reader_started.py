"""The uploads' file reader starts with the app, so the first upload does not wait for it."""

from __future__ import annotations

import time

from kam_core.ingest import worker
from tests.support.apptest import app_at


def _running_server(timeout: float = 60) -> worker._Server | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = worker._server
        if server is not None and server.alive():
            return server
        time.sleep(0.05)
    return None


def test_the_file_reader_is_running_after_the_first_page(demo_db):
    before = worker._server
    if before is not None:  # started by an earlier test in this process: stop it
        before.process.kill()
        before.process.wait()
    at = app_at("overview")
    assert not at.exception
    server = _running_server()
    assert server is not None
    assert server is not before
