"""The hostile corpus written once per test run, shared by the test workers that read it."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from tests.hostile.make_corpus import Case, cases, write_corpus


def shared_corpus(factory: pytest.TempPathFactory) -> list[tuple[Case, Path]]:
    """Every case with its file, written by the first worker to ask and read by the others."""
    # The base folder is per worker; its parent is the run's, shared by every worker.
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "hostile-corpus"
    with open(root / "hostile-corpus.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / ".written"
        if done.exists():
            return [(case, folder / case.name) for case in cases()]
        written = write_corpus(folder)
        done.touch()
        return written
