"""Every upload is read in a worker process with a memory ceiling and a time limit.

A damaged or hostile file can make a reader ask for gigabytes at once, spin for minutes or stop
the process. The server never parses an upload itself: a small fork server, started once with
the readers already imported, forks one worker per file. The worker sets its address-space
ceiling (ImportLimits.max_read_bytes), reads the file (read.py) and writes each sheet as an
Arrow IPC file; the server maps those files back. A worker that runs out of memory or time, or
dies, is a refusal, and the server carries on.

The fork server starts in English whatever the user reads: each request carries the language of
the run that asks, and the worker builds its refusals and notes in that language. Reasons the
worker stores per row (csvread.BAD_BYTES, OPEN_QUOTE) travel as English and are translated by
the server where they are shown.

The fork server is a process of its own (fork is unsafe in the threaded web server, and the
multiprocessing start methods re-import the application's main module in every worker).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from kam_core.config import PROJECT_ROOT, SETTINGS, ImportLimits
from kam_core.i18n import _, fmt_number, get_language
from kam_core.ingest.errors import ImportRefused, named, readable_name
from kam_core.ingest.forkserver import receive as _receive
from kam_core.ingest.forkserver import send as _send
from kam_core.ingest.grid import Workbook, load_book
from kam_core.ingest.turn import taking_turn

LOG = logging.getLogger(__name__)
_stats = threading.local()
# The read's limit is processor time: a worker starved of the CPU by a loaded server keeps
# going while it has processor time left, up to WALL_GRACE times the limit on the clock.
WALL_GRACE = 4.0
# A reader that aborts (a failed allocation) prints one line, not a stack trace; two malloc
# arenas keep the threads' reserved address space small under the memory ceiling.
READER_ENV = {"MALLOC_ARENA_MAX": "2", "RUST_BACKTRACE": "0"}
_SERVE = "import sys; from kam_core.ingest.forkserver import serve; serve(sys.argv[1])"
_lock = threading.Lock()
_server: _Server | None = None
_slots: dict[int, threading.BoundedSemaphore] = {}  # by ImportLimits.max_concurrent_reads


class _Server:
    """The fork server process and the socket it listens on."""

    def __init__(self) -> None:
        _sweep_old_reads()
        self.folder = Path(tempfile.mkdtemp(prefix="kam-reader-"))
        # The socket's folder goes with this process, whether the server ends first or not.
        atexit.register(shutil.rmtree, self.folder, True)
        self.address = str(self.folder / "socket")
        path = os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, self.address],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path, **READER_ENV},
            start_new_session=True,
        )
        ready = self.process.stdout.readline() if self.process.stdout else b""
        if ready.strip() != b"ready":
            raise RuntimeError("the file reader could not start")

    def alive(self) -> bool:
        return self.process.poll() is None


_OLD_READ = 3600  # seconds: no read lasts that long (its time limit is a minute)


def _sweep_old_reads() -> None:
    """Remove the folders of reads that ended an hour ago or more, and of fork servers gone
    as long (a process killed at once leaves its read's folder, hundreds of megabytes)."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob("kam-read*-*"):
        with contextlib.suppress(OSError):
            if not folder.is_dir() or now - folder.stat().st_mtime <= _OLD_READ:
                continue
            if folder.name.startswith("kam-reader-") and _listening(folder / "socket"):
                continue  # another application's fork server, still running
            shutil.rmtree(folder, ignore_errors=True)


def _listening(address: Path) -> bool:
    """True when a fork server answers on the socket at address."""
    if not address.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(address))
        except OSError:
            return False
    return True


def _get_server() -> _Server:
    global _server
    with _lock:
        if _server is None or not _server.alive():
            if _server is not None:  # a server that died leaves its socket's folder behind
                shutil.rmtree(_server.folder, ignore_errors=True)
            _server = _Server()
        return _server


@dataclass(frozen=True)
class ReadStats:
    """What the last read of this thread cost: wall time, and the worker's peak memory."""

    seconds: float
    worker_peak_bytes: int | None  # None when the worker died before answering
    outcome: str
    children: int = 0  # processes the worker forked (a large workbook's scan and read)


def last_read() -> ReadStats | None:
    """The cost of this thread's last read_file (for the hostile-file bounds and the bench)."""
    return getattr(_stats, "last", None)


def warm_up() -> None:
    """Start the fork server now, so the first upload does not wait for it."""
    _get_server()


def warm_up_in_background() -> threading.Thread:
    """Start the fork server in a daemon thread (at application start): no page waits for it."""

    def start() -> None:
        # A server that cannot start now is started again by the first read, which says why.
        with contextlib.suppress(Exception):
            warm_up()

    thread = threading.Thread(target=start, name="kam-reader-start", daemon=True)
    thread.start()
    return thread


def _read_slots(count: int) -> threading.BoundedSemaphore:
    with _lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(max(int(count), 1)))


def _busy(file_name: str) -> ImportRefused:
    return ImportRefused(
        _(
            "{file}: the server is busy reading other uploads and this file waited "
            "too long for its turn; nothing was read. Upload it again in a minute."
        ).format(file=named(file_name))
    )


def read_file(
    data: bytes | Path,
    file_name: str,
    limits: ImportLimits = SETTINGS.limits,
    on_wait: Callable[[], object] | None = None,
) -> Workbook:
    """Read every sheet of a spreadsheet file into text grids, in a worker.

    data: the file's bytes, or the path of a regular file, which the worker reads where it lies.
    on_wait: called when max_concurrent_reads other reads are running (turn.taking_turn).
    """
    file_name = readable_name(file_name)
    slots = _read_slots(limits.max_concurrent_reads)
    # No read lasts longer than its limit on the clock: a turn never comes later than that.
    wait = limits.max_read_seconds * WALL_GRACE
    with taking_turn(slots, on_wait, wait, lambda: _busy(file_name)):
        return _read_file(data, file_name, limits)


def _read_file(data: bytes | Path, file_name: str, limits: ImportLimits) -> Workbook:
    server = _get_server()
    folder = Path(tempfile.mkdtemp(prefix="kam-read-"))
    started = time.perf_counter()
    try:
        try:
            if isinstance(data, Path):
                (folder / "upload").symlink_to(data.resolve())
            else:
                (folder / "upload").write_bytes(data)
        except OSError as exc:  # a full temporary folder: say so rather than fail the page
            raise ImportRefused(
                _(
                    "{file}: the server has no room to store the upload for reading ({error})."
                ).format(file=named(file_name), error=exc)
            ) from exc
        outcome, payload, peak = _ask(server, folder, file_name, limits)
        _stats.last = ReadStats(time.perf_counter() - started, peak, outcome, _stats.children)
        if outcome == "ok":
            return load_book(payload, folder)
        _log_stderr(folder, file_name)
        if outcome == "refused":
            raise ImportRefused(payload)
        if outcome == "memory":
            raise ImportRefused(_too_big(file_name, limits))
        raise ImportRefused(
            _(
                "{file}: the file could not be read ({error}). It may be damaged: save it "
                "again as .xlsx or .csv and upload that file."
            ).format(file=named(file_name), error=payload)
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # mapped tables stay readable on Linux


def _log_stderr(folder: Path, file_name: str) -> None:
    """Log what a failed read's worker wrote to stderr (its first lines), for the operator."""
    with contextlib.suppress(OSError):
        text = (folder / "stderr").read_bytes()[:2000].decode("utf-8", "replace").strip()
        if text:
            LOG.info("reading %r: the worker wrote: %s", file_name, " | ".join(text.splitlines()))


def _ask(
    server: _Server, folder: Path, file_name: str, limits: ImportLimits
) -> tuple[str, object, int | None]:
    """Hand one file to a fresh worker; its answer, or a refusal when it dies or overruns."""
    limit = limits.max_read_seconds
    start = time.monotonic()
    deadline, cap = start + limit, start + limit * WALL_GRACE
    pid, used = 0, 0.0
    children: list[int] = []  # a large workbook's scan and read (beside.py)
    _stats.children = 0
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(server.address)
        waiting = select.poll()
        waiting.register(sock, select.POLLIN)
        try:
            # The worker is forked on connect: one killed at once breaks the pipe of this send.
            _send(sock, (str(folder), file_name, asdict(limits), get_language()))
            while True:
                now = time.monotonic()
                if now >= deadline:
                    used = _cpu_seconds(pid, children, used)
                    if used < limit and now < cap:
                        deadline = min(cap, now + max(limit - used, 0.05))
                        continue
                    raise TimeoutError
                # poll, not select: select fails once the server's files number past 1,024.
                ready = waiting.poll(max(min(deadline - now, 1.0), 0.0) * 1000)
                if not ready:
                    used = _cpu_seconds(
                        pid, children, used
                    )  # remembered should the worker be killed
                    continue
                sock.settimeout(max(cap - time.monotonic(), 1.0))  # a message is arriving
                message = _receive(sock)
                if isinstance(message, tuple) and message[0] == "pid":
                    pid = int(message[1])
                    continue
                if isinstance(message, tuple) and message[0] == "child":
                    children.append(int(message[1]))
                    _stats.children = len(children)
                    continue
                if message[0] == "cpu":
                    raise TimeoutError
                return message  # type: ignore[return-value]
        except TimeoutError:
            _stop(pid)
            _stats.last = ReadStats(time.monotonic() - start, None, "timeout", len(children))
            raise ImportRefused(_too_slow(file_name, limit)) from None
        except (EOFError, ConnectionError):
            # The worker died without answering: the memory ceiling, a reader that crashed,
            # or the kernel stopping it at its processor-time ceiling inside native code.
            if used >= limit - 1.5:
                raise ImportRefused(_too_slow(file_name, limit)) from None
            return "memory", "", None


def _too_slow(file_name: str, seconds: float) -> str:
    return _(
        "{file}: reading took longer than {seconds} s; it was stopped. Save the file "
        "again as .xlsx or .csv (or split it) and upload that."
    ).format(file=named(file_name), seconds=f"{seconds:g}")


def _cpu_seconds(pid: int, children: list[int], default: float) -> float:
    """Processor seconds a live worker and its children have used (user + system), from /proc.

    The worker's own figure counts the children it has already reaped; default when the
    worker is gone.
    """
    try:
        fields = _stat(pid)
    except (OSError, IndexError, ValueError):
        return default
    ticks = sum(int(f) for f in fields[11:15])
    for child in children:
        with contextlib.suppress(OSError, IndexError, ValueError):
            ticks += int(_stat(child)[11]) + int(_stat(child)[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/pid/stat after the command name (the state first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _stop(pid: int) -> None:
    """Kill the worker and whatever it forked (its own process group)."""
    if pid > 0:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:  # not yet a group of its own: the worker alone
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _too_big(file_name: str, limits: ImportLimits) -> str:
    size = limits.max_read_bytes
    if size >= 1024**3:
        shown = _("{size} GB").format(size=fmt_number(size / 1024**3))
    else:
        shown = _("{size} MB").format(size=fmt_number(size / 1024**2))
    return _(
        "{file}: the file needs more than {size} to read (or is damaged so that "
        "the reader stopped); it was refused. Save it again as .xlsx or .csv, or split it, and "
        "upload that."
    ).format(file=named(file_name), size=shown)
