"""A small result cache keyed by data version and parameters, so page switches do not recompute.

Results of a database's older data versions go as soon as a newer version is asked for: no
page asks for them again, and at 100,000 clients a version's results hold a few hundred MB.
The rest are bounded by count and by the bytes they hold (an estimate), oldest out. A missing
result asked for by several threads at once is computed by one; the others wait for it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import duckdb
import numpy as np
import pandas as pd

from kam_core.store.rollup import data_version

T = TypeVar("T")
MAX_ENTRIES = 64
# One data version's results at 100,000 clients hold about 150 MB (every page's reports).
MAX_BYTES = int(float(os.environ.get("KAM_RESULT_CACHE_MB", "512")) * 1024 * 1024)
# How long a thread waits for another's computation of the same result before its own.
WAIT_S = 300.0

_entries: OrderedDict[Hashable, object] = OrderedDict()
_sizes: dict[Hashable, int] = {}
_held = 0  # sum of _sizes
_lock = threading.Lock()
# Per database id, the newest data version asked for (a number each change raises).
_newest: dict[str, int] = {}
# The results being computed: the thread computing one sets the event once done (its box
# holds the value unless it failed).
_computing: dict[Hashable, tuple[threading.Event, list]] = {}


def _number(version: tuple) -> tuple[str, int] | None:
    # data_version: (database id, version, sales rows); the version only ever rises.
    try:
        return str(version[0]), int(version[1])
    except (TypeError, ValueError, IndexError):
        return None


def _drop(key: Hashable) -> None:
    global _held
    _entries.pop(key, None)
    _held -= _sizes.pop(key, 0)


def _note_version(version: tuple) -> bool:
    """Note a data version asked for; False when a newer one of its database was (caller locks)."""
    numbered = _number(version)
    if numbered is None:
        return True
    database, number = numbered
    newest = _newest.get(database)
    if newest is not None and number < newest:
        return False
    if newest is None or number > newest:
        _newest[database] = number
        if newest is not None:
            stale = [k for k in _entries if _older(k, database, number)]
            for key in stale:
                _drop(key)
    return True


def _older(key: Hashable, database: str, number: int) -> bool:
    try:
        numbered = _number(key[1])  # type: ignore[index]
    except (TypeError, IndexError):
        return False
    return numbered is not None and numbered[0] == database and numbered[1] < number


def size_of(value: object) -> int:
    """An estimate of the bytes a value holds: frames with their text, containers sampled."""
    return _size(value, 0, [_BUDGET])


# Containers are sampled (their first items stand for the rest) and the walk is bounded: an
# estimate of a figure or a list of a million costs a few thousand steps at most.
_SAMPLE = 16
_BUDGET = 4000


def _size(value: object, depth: int, budget: list[int]) -> int:
    budget[0] -= 1
    if value is None:
        return 0
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    if isinstance(value, pd.Series | pd.Index):
        return int(value.memory_usage(index=True, deep=True))
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            head = list(value.ravel()[:_SAMPLE])
            return int(value.nbytes) + _sampled(head, value.size, depth, budget)
        return int(value.nbytes)
    if depth > 6 or budget[0] <= 0 or isinstance(value, str | bytes | int | float):
        return sys.getsizeof(value)
    if isinstance(value, dict):
        items = list(value.items())[:_SAMPLE]
        each = sum(_size(k, depth + 1, budget) + _size(v, depth + 1, budget) for k, v in items)
        return sys.getsizeof(value) + (each * len(value) // len(items) if items else 0)
    if isinstance(value, list | tuple | set | frozenset):
        head = list(value)[:_SAMPLE] if not isinstance(value, list | tuple) else value[:_SAMPLE]
        return sys.getsizeof(value) + _sampled(list(head), len(value), depth, budget)
    fields = getattr(value, "__dict__", None)
    if isinstance(fields, dict) and not isinstance(value, type):
        return sys.getsizeof(value) + _size(fields, depth + 1, budget)
    names = getattr(type(value), "__dataclass_fields__", None)
    if names:  # a dataclass with slots
        return sys.getsizeof(value) + sum(
            _size(getattr(value, name, None), depth + 1, budget) for name in names
        )
    return sys.getsizeof(value)


def _sampled(head: list, count: int, depth: int, budget: list[int]) -> int:
    """count items' bytes from the first few (a column of a million is not walked)."""
    if not head:
        return 0
    return sum(_size(v, depth + 1, budget) for v in head) * count // len(head)


def _store(key: Hashable, value: object, version: tuple) -> None:
    global _held
    size = size_of(value)
    with _lock:
        # Computed on a version older than one asked for since: no one asks for it again.
        if not _note_version(version):
            return
        _drop(key)
        _entries[key] = value
        _sizes[key] = size
        _held += size
        while len(_entries) > 1 and (len(_entries) > MAX_ENTRIES or _held > MAX_BYTES):
            _drop(next(iter(_entries)))


def compute_once(
    lock: threading.Lock,
    computing: dict[Hashable, tuple[threading.Event, list]],
    key: Hashable,
    lookup: Callable[[], tuple[bool, T]],
    compute: Callable[[], T],
    store: Callable[[T], None],
) -> T:
    """lookup()'s hit (run under lock), else compute()'s value, computed once for all asking."""
    while True:
        with lock:
            found, value = lookup()
            if found:
                return value
            under_way = computing.get(key)
            mine = under_way is None
            if mine:
                under_way = (threading.Event(), [])
                computing[key] = under_way
        done, box = under_way  # type: ignore[misc]
        if mine:
            break
        # After an import every user's page asks for the same new results at once: one
        # thread computes each, the others wait for it instead of computing it beside it.
        if done.wait(timeout=WAIT_S) and box:
            return box[0]  # type: ignore[no-any-return]
        if not done.is_set():  # stuck: compute here
            return compute()
        # The thread computing it failed or was stopped: try again (this one may compute it).
    try:
        value = compute()
        store(value)
        box.append(value)
    finally:
        with lock:
            if computing.get(key) is under_way:
                del computing[key]
        done.set()
    return value


def cached(
    name: str, conn: duckdb.DuckDBPyConnection, key: Hashable, compute: Callable[[], T]
) -> T:
    """Return compute()'s result, reusing it while the data version and key are unchanged."""
    version = data_version(conn)
    full_key = (name, version, key)

    def lookup() -> tuple[bool, T | None]:
        _note_version(version)
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return True, _entries[full_key]  # type: ignore[return-value]
        return False, None

    return compute_once(  # type: ignore[return-value]
        _lock,
        _computing,
        full_key,
        lookup,
        compute,
        lambda value: _store(full_key, value, version),
    )


def held_bytes() -> int:
    """The estimated bytes the cached results hold together."""
    with _lock:
        return _held


def clear_cache() -> None:
    """Forget every cached result (tests and benchmarks use it to time cold runs)."""
    global _held
    with _lock:
        _entries.clear()
        _sizes.clear()
        _held = 0
        _newest.clear()
