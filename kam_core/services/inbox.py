"""The inbox: files dropped in a folder are imported by the running app, one writer for all.

A file is taken only when whole: its size and modification time unchanged since the previous
scan, or right away when it appeared by a rename from a `<name>.part` seen before. Imported
files move to done/, refused ones to refused/ with `<name>.reason.txt` beside them; both get a
`<name>.result.json` that the command line's --wait reads. Options the command line was given
(`--duplicates keep`) travel in a hidden sidecar, `.<name>.options.json`, written before the file
itself appears.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from kam_core.ingest import ImportRefused
from kam_core.ingest.errors import readable_name
from kam_core.services import audit

INBOX_ENV = "KAM_INBOX"
PART = ".part"
ACTOR = "inbox"
DUPLICATE_CHOICES = ("skip", "keep")
log = logging.getLogger(__name__)


def inbox_path(db: Path | str | None = None) -> Path:
    """The inbox folder: $KAM_INBOX, else inbox/ beside the database (data/inbox/)."""
    from kam_core.config import db_path

    env = os.environ.get(INBOX_ENV, "").strip()
    if env and env.lower() != "off":
        return Path(env).expanduser()
    return (Path(db) if db is not None else db_path()).parent / "inbox"


@dataclass
class ScanState:
    """What the previous scan saw: sizes and times of waiting files, and .part names."""

    seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    parts: set[str] = field(default_factory=set)


@dataclass
class ScanResult:
    """The files one scan imported, refused, and left waiting."""

    imported: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


_STATES: dict[str, ScanState] = {}
_STATES_LOCK = threading.Lock()


def _state(folder: Path) -> ScanState:
    with _STATES_LOCK:
        return _STATES.setdefault(str(folder.resolve()), ScanState())


def _candidates(folder: Path) -> list[Path]:
    # Office lock files (~$x.xlsx), hidden files and folders (done/, refused/) are not input.
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def _free_name(folder: Path, name: str) -> Path:
    """A path in folder for name that does not overwrite an earlier file of the same name."""
    target = folder / name
    if not target.exists():
        return target
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{stamp}-{name}"


def options_path(path: Path) -> Path:
    """The hidden sidecar holding the import options handed over with a file."""
    # A leading dot keeps it out of the candidates: it is never imported as a file itself.
    return path.with_name(f".{path.name}.options.json")


def read_options(path: Path) -> dict[str, str]:
    """The options handed over with a file (only the known ones, validated); {} when none."""
    side = options_path(path)
    try:
        raw = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    duplicates = raw.get("duplicates") if isinstance(raw, dict) else None
    return {"duplicates": duplicates} if duplicates in DUPLICATE_CHOICES else {}


def _write_result(target: Path, result: dict[str, object]) -> None:
    side = target.with_name(target.name + ".result.json")
    tmp = side.with_name(side.name + ".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, side)  # a reader never sees half a result


def process_file(conn: duckdb.DuckDBPyConnection, path: Path) -> tuple[bool, str]:
    """Import one whole file and move it to done/ or refused/; return (imported, message)."""
    from kam_core.importing import import_file

    folder = path.parent
    name = readable_name(path.name)  # a name that is not UTF-8 is shown and stored as text
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    options = read_options(path)
    duplicates = options.get("duplicates", "skip")
    result: dict[str, object] = {"file": name, "sha256": digest, "duplicates": duplicates}
    try:
        counts, _parsed, _pre = import_file(conn, data, name, duplicates=duplicates)
    except Exception as exc:  # refused, or a failure: either way the file must not loop
        message = str(exc) if isinstance(exc, ImportRefused) else f"{type(exc).__name__}: {exc}"
        target = _free_name(folder / "refused", path.name)
        target.parent.mkdir(exist_ok=True)
        shutil.move(path, target)
        options_path(path).unlink(missing_ok=True)
        target.with_name(target.name + ".reason.txt").write_text(message + "\n", "utf-8")
        result.update(status="refused", message=message, at=datetime.now().isoformat())
        _write_result(target, result)
        audit.record(conn, ACTOR, "import.refused", name, {"reason": message})
        return False, message
    message = (
        f"{name}: {counts.rows_imported:,} rows imported, {counts.rows_duplicate:,} "
        f"already stored, {counts.rows_rejected:,} rejected (import {counts.upload_id})."
    )
    if counts.rows_probable_duplicate:
        message += (
            f" {counts.rows_probable_duplicate:,} rows looked like rows another import stored "
            "and were skipped."
        )
    elif counts.overlap is not None and counts.overlap.count:
        message += (
            f" {counts.overlap.count:,} rows looked like rows another import stored and were "
            "kept (--duplicates keep)."
        )
    target = _free_name(folder / "done", path.name)
    target.parent.mkdir(exist_ok=True)
    shutil.move(path, target)
    options_path(path).unlink(missing_ok=True)
    result.update(
        status="imported", message=message, counts=counts.as_dict(), at=datetime.now().isoformat()
    )
    _write_result(target, result)
    audit.record(
        conn,
        ACTOR,
        "import",
        name,
        {"source": "inbox", "duplicates": duplicates, **counts.as_dict()},
    )
    return True, message


def scan_once(
    conn: duckdb.DuckDBPyConnection, folder: Path | str, state: ScanState | None = None
) -> ScanResult:
    """Import every whole file waiting in folder (stable since the last scan, or renamed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = state if state is not None else _state(folder)
    out = ScanResult()
    files = _candidates(folder)
    parts = {p.name for p in files if p.name.endswith(PART)}
    seen: dict[str, tuple[int, int]] = {}
    for path in files:
        if path.name.endswith(PART):
            continue
        try:
            info = path.stat()
        except FileNotFoundError:  # moved away by someone else between listing and stat
            continue
        now = (info.st_size, info.st_mtime_ns)
        renamed = path.name + PART in state.parts and path.name + PART not in parts
        if not renamed and state.seen.get(path.name) != now:
            seen[path.name] = now  # new or still growing: look again next scan
            out.waiting.append(path.name)
            continue
        try:
            imported, _message = process_file(conn, path)
        except FileNotFoundError:
            continue
        (out.imported if imported else out.refused).append(path.name)
    state.seen, state.parts = seen, parts
    return out


class InboxWatcher:
    """A daemon thread that scans the inbox every interval seconds until stopped."""

    def __init__(
        self,
        conn_factory: Callable[[], duckdb.DuckDBPyConnection],
        folder: Path,
        interval: float,
        after_scan: Callable[[duckdb.DuckDBPyConnection, ScanResult], None] | None = None,
    ) -> None:
        """Prepare (not start) the watcher."""
        self.conn_factory, self.folder, self.interval = conn_factory, folder, interval
        self.after_scan = after_scan
        self.stopped = threading.Event()
        self.scans = 0
        self.thread = threading.Thread(target=self._loop, name=f"inbox {folder}", daemon=True)

    def _loop(self) -> None:
        # The first scan waits one interval too: a starting app has pages to serve first.
        while not self.stopped.wait(self.interval):
            try:
                conn = self.conn_factory().cursor()  # a cursor of its own for this thread
                try:
                    result = scan_once(conn, self.folder)
                    if self.after_scan is not None:
                        self.after_scan(conn, result)
                finally:
                    conn.close()
            except Exception:  # one bad scan must not end the watching
                log.exception("inbox scan of %s failed", self.folder)
            self.scans += 1

    def stop(self) -> None:
        """Stop after the current scan."""
        self.stopped.set()


_WATCHERS: dict[str, InboxWatcher] = {}
_WATCHERS_LOCK = threading.Lock()


@atexit.register
def stop_all_watchers() -> None:
    """Stop every watcher and wait for it: a thread inside DuckDB at exit aborts the process."""
    with _WATCHERS_LOCK:
        watchers = list(_WATCHERS.values())
    for watcher in watchers:
        watcher.stop()
    for watcher in watchers:
        if watcher.thread.is_alive():
            watcher.thread.join(timeout=60)


def start_inbox_watcher(
    conn_factory: Callable[[], duckdb.DuckDBPyConnection],
    folder: Path | str | None = None,
    interval: float = 10,
    after_scan: Callable[[duckdb.DuckDBPyConnection, ScanResult], None] | None = None,
) -> InboxWatcher:
    """Start the folder's watcher once per process; later calls return the running one."""
    path = Path(folder) if folder is not None else inbox_path()
    path.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    with _WATCHERS_LOCK:
        running = _WATCHERS.get(key)
        if running is not None and running.thread.is_alive() and not running.stopped.is_set():
            return running
        watcher = InboxWatcher(conn_factory, path, interval, after_scan)
        _WATCHERS[key] = watcher
        watcher.thread.start()
        return watcher
