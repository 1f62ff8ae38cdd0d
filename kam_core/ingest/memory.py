"""Handing memory back to the system between the stages of a large import."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc

import pyarrow as pa

_LIBC = ctypes.util.find_library("c")
# Below this many rows the buffers are small, and a full collection is not free: in the app it
# walks every session's cached frames while holding the interpreter lock, so every other
# user's page waits for a small upload's tidy-up.
LARGE_ROWS = 100_000


def give_back(rows: int) -> None:
    """Return freed memory to the system after a stage over `rows` rows, when that is many.

    Reading and parsing free large buffers that pyarrow's pool and glibc's heap would otherwise
    keep: without this, a 1M-row import peaks about 500 MB higher while rows are stored.
    """
    if rows < LARGE_ROWS:
        return
    # The young generations only: a stage's buffers go with their last reference, and the
    # rare cycle holding one was made during the stage. A full collection cost 0.11 s per
    # million-row import here, and more in the app, where it walks every session's objects.
    gc.collect(1)
    pa.default_memory_pool().release_unused()
    if _LIBC:
        with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
            ctypes.CDLL(_LIBC).malloc_trim(0)
