"""The demo database built once per version of the code and kept between test runs.

Loading the demo through the import path takes seconds; page and browser tests only need a
copy of its result. The file is named by a digest of everything that decides its content (the
core's code, the catalogs, the shipped demo files), so a change to any of them builds it anew.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from pathlib import Path

from kam_core.demo.load import load_demo
from kam_core.store import connect

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (("kam_core", "*.py"), ("locale", "*.po"), ("data/demo", "*"))
FOLDER = Path(tempfile.gettempdir()) / "kam-test-demo"
# Another checkout of the project may be testing other code on the same machine at the same
# time: only files no run has used for this long are removed.
STALE_AFTER_S = 3600


def code_digest() -> str:
    """A digest of the files the demo database is built from."""
    digest = hashlib.blake2b(digest_size=12)
    for folder, pattern in SOURCES:
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def demo_database(lang: str = "en") -> Path:
    """The path of the demo database in lang for this code, built if no run has built it yet.

    Test workers that ask at the same moment wait for the one that builds it (a file lock),
    and the file appears under its name only once it is complete.
    """
    FOLDER.mkdir(exist_ok=True)
    target = FOLDER / f"demo-{lang}-{code_digest()}.duckdb"
    with open(FOLDER / f"demo-{lang}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            os.utime(target)
        else:
            _remove_stale(lang)
            building = target.with_suffix(f".{os.getpid()}.building")
            building.unlink(missing_ok=True)
            conn = connect(building)
            try:
                load_demo(conn, lang)
            finally:
                conn.close()
            building.replace(target)
    return target


def _remove_stale(lang: str) -> None:
    """Remove the databases of other versions of the code that no run has used for an hour."""
    now = time.time()
    for old in FOLDER.glob(f"demo-{lang}-*"):
        try:
            if now - old.stat().st_mtime > STALE_AFTER_S:
                old.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
