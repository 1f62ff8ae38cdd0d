"""A small result cache keyed by data version and parameters, so page switches do not recompute."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import duckdb

from kam_core.store.rollup import data_version

T = TypeVar("T")
MAX_ENTRIES = 64
_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def cached(
    name: str, conn: duckdb.DuckDBPyConnection, key: Hashable, compute: Callable[[], T]
) -> T:
    """Return compute()'s result, reusing it while the data version and key are unchanged."""
    full_key = (name, data_version(conn), key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[full_key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached result (tests and benchmarks use it to time cold runs)."""
    with _lock:
        _entries.clear()
