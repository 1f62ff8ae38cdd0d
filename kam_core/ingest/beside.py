"""A large workbook is scanned and read side by side, in two children of the reading worker.

On a million rows the scan (guard.sniff: zip bomb, entities, used range, shared text) takes
about 5 processor seconds and the reader 8; one after the other the read took 13 s, side by
side on two cores it takes about 8. The scan's verdict still decides, as when it runs first: a
workbook it refuses is refused in its words, the reader is stopped and what it built is thrown
away. The reader builds a sheet's range only after it has parsed every cell, and the scan goes
through the XML faster, so the range check refuses a stray far cell before the reader allocates
for it. Each child keeps the worker's memory ceiling and processor-time limit.

Small workbooks (under ImportLimits.read_beside_bytes) are scanned first in the worker itself:
their scan costs little, and a small file is what a crafted bomb usually is.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import mmap
import os
import pickle
import select
import signal
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kam_core.config import ImportLimits
from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.grid import Workbook, save_book
from kam_core.ingest.guard import OLE_MAGIC, ZIP_MAGIC, Sniffed, archive_kind, sniff
from kam_core.ingest.read import (
    Answer,
    as_shown,
    failure,
    read_here,
    read_workbook,
    with_pivot_caches,
    workbook_kind,
)
from kam_core.ingest.recode import as_the_reader_reads, utf8_parts
from kam_core.ingest.relocate import standard_parts
from kam_core.ingest.zipscan import check_binary_ranges

_PR_SET_PDEATHSIG = 1
# What the reading child built (the reader's last sheet, the grids): left to the child's end,
# which frees it at once, instead of freed piece by piece (0.2 s for a million rows).
_KEPT: list[object] = []


def answer(
    folder: Path, file_name: str, limits: ImportLimits, announce: Callable[[int], None]
) -> Answer:
    """Read the upload in folder: grids saved in folder, or why not (announce: each child)."""
    try:
        data = _upload(folder / "upload")
        # An .xlsb is read beside its scan whatever its size: its range is measured only
        # once a read failed (zipscan.check_binary_ranges), so a far stray cell must cost
        # the reader's child, not the worker.
        small = len(data) < limits.read_beside_bytes and not _binary_workbook(data)
        if data[:4] != ZIP_MAGIC or small:
            book = read_here(data, file_name, limits, folder)
            del data
            return "ok", save_book(book, folder)
        return _side_by_side(data, folder, file_name, limits, announce)
    except BaseException as exc:
        return failure(exc)


def _binary_workbook(data: bytes | mmap.mmap) -> bool:
    """True for an .xlsb: an archive holding the binary workbook part."""
    if data[:4] != ZIP_MAGIC:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive_kind(set(archive.namelist())) == "xlsb"
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False  # the scan says what is wrong with it


def _upload(path: Path) -> bytes | mmap.mmap:
    """The upload: text mapped from the file, a workbook read whole (its readers take bytes)."""
    # The server's copy of the file is in the page cache already: mapped, its pages are read
    # where they are, instead of filling as much fresh memory again (150 MB for a million rows).
    with open(path, "rb") as file:
        head = file.read(8)
        if not head or head.startswith(ZIP_MAGIC) or head == OLE_MAGIC:
            return head + file.read()
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


@dataclass
class _Child:
    """A forked child working on one job, and what it has written back so far."""

    pid: int
    fd: int
    chunks: list[bytes] = field(default_factory=list)
    result: tuple | None = None

    def take(self) -> bool:
        """Read what is ready; True once the child has closed its end (its result is known)."""
        chunk = os.read(self.fd, 1 << 20)
        if chunk:
            self.chunks.append(chunk)
            return False
        os.close(self.fd)
        self.fd = -1
        body = b"".join(self.chunks)
        # Our own child's pickle; no bytes at all: it died before answering.
        self.result = pickle.loads(body) if body else ("memory", "")
        return True

    def stop(self) -> None:
        """Kill the child if it still runs and reap it (its peak then counts in RUSAGE_CHILDREN)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _side_by_side(
    data: bytes, folder: Path, file_name: str, limits: ImportLimits, announce: Callable[[int], None]
) -> Answer:
    # The fork server ignores SIGCHLD (its workers are reaped by the kernel); this worker
    # waits for its children itself, to collect their peaks.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    data = utf8_parts(data, file_name, limits)
    scan = _start(lambda: ("ok", sniff(data, file_name, limits)))
    children = [scan]
    try:
        announce(scan.pid)
        reader = _start(lambda: ("ok", _read_and_save(data, folder, file_name, limits)))
        children.append(reader)
        announce(reader.pid)
        while scan.result is None or (scan.result[0] == "ok" and reader.result is None):
            open_fds = [c.fd for c in children if c.fd >= 0]
            ready, _w, _x = select.select(open_fds, [], [])
            for child in children:
                if child.fd in ready:
                    child.take()
        if scan.result[0] != "ok":
            return scan.result  # type: ignore[return-value]
        rewrite = scan.result[1].rewrite
        if rewrite:
            # Values in CDATA sections, inline text written as a value, read as empty: the
            # sheets holding them are rewritten and read again (only such files pay for it).
            reader.stop()
            plain = as_the_reader_reads(data, rewrite)
            reader = _start(lambda: ("ok", _read_and_save(plain, folder, file_name, limits)))
            children.append(reader)
            announce(reader.pid)
            while reader.result is None:
                select.select([reader.fd], [], [])
                reader.take()
        assert reader.result is not None
        if reader.result[0] == "memory" and scan.result[1].kind == "xlsb":
            # The reader builds a sheet's whole range: a stray cell far away is named as
            # in an .xlsx, else the read was too large all the same.
            try:
                check_binary_ranges(data, file_name, limits)
            except ImportRefused as exc:
                return failure(exc)
        if reader.result[0] != "ok":
            return reader.result  # type: ignore[return-value]
        return "ok", _merge(scan.result[1], *reader.result[1])
    finally:
        for child in children:
            child.stop()


def _read_and_save(
    data: bytes, folder: Path, file_name: str, limits: ImportLimits
) -> tuple[dict, list[int]]:
    """In the reading child: the sheets saved in folder, and each sheet's number of columns."""
    kind = workbook_kind(data)
    if kind == "xlsx":
        data = standard_parts(data)
    grids = read_workbook(data, file_name, limits, _KEPT)
    notes: list[str] = []
    if kind == "xlsx" and not any(grid.n_rows for grid in grids):
        grids, notes = with_pivot_caches(data, file_name, limits, grids, notes)
    merges = as_shown(data, grids, kind)
    for grid in grids:  # the format's own merges; an .xlsx's come from the scan (_merge)
        grid.merges = (merges or {}).get(grid.name, [])
    widths = [grid.table.num_columns for grid in grids]
    saved = save_book(Workbook(file_name, "", grids, notes), folder)
    _KEPT.append(grids)
    return saved, widths


def _merge(kind: Sniffed, meta: dict, widths: list[int]) -> dict:
    """The read sheets with what the scan found: the kind, its notes, formulas without results."""
    for sheet, width in zip(meta["sheets"], widths, strict=True):
        found = kind.formulas.get(sheet["name"], {})
        sheet["formulas"] = {c: v for c, v in found.items() if c < width}
        sheet["merges"] = sheet.get("merges") or kind.merges.get(sheet["name"], [])
        sheet["hidden_columns"] = kind.hidden_columns.get(sheet["name"], [])
    notes = [*kind.notes, *meta["notes"]]
    return {**meta, "kind": kind.kind, "notes": notes, "missing": list(kind.missing)}


def _start(job: Callable[[], Answer]) -> _Child:
    """Fork a child that runs job and writes its answer (pickled) back through a pipe."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return _Child(pid, read_end)
    code = 0
    try:
        os.close(read_end)
        _die_with(parent)
        # Nothing but the pipe: the worker's connection stays the worker's.
        os.closerange(3, write_end)
        os.closerange(write_end + 1, 1024)
        try:
            result = job()
        except BaseException as exc:
            result = failure(exc)
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when the worker ends, however it ends."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the worker was gone before the request above
        os._exit(1)
