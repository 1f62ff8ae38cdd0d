"""What a killed command or application leaves in the temporary folder is removed later."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from kam_core.cli.main import _terminate_as_interrupt
from kam_core.ingest import worker


def test_a_terminated_command_stops_as_an_interrupted_one():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), _terminate_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
    assert signal.getsignal(signal.SIGTERM) is before


def test_folders_of_reads_ended_an_hour_ago_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(worker.tempfile, "gettempdir", lambda: str(tmp_path))
    old = time.time() - 2 * 3600

    def folder(name: str, when: float) -> Path:
        path = tmp_path / name
        path.mkdir()
        (path / "sheet-0.arrow").write_bytes(b"x" * 10)
        os.utime(path, (when, when))
        return path

    stale, recent = folder("kam-read-old", old), folder("kam-read-new", time.time())
    dead_server = folder("kam-reader-gone", old)
    other = folder("not-ours", old)
    worker._sweep_old_reads()
    assert not stale.exists() and not dead_server.exists()
    assert recent.exists() and other.exists()
