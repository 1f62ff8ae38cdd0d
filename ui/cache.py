"""Results and figures kept between script runs, so a view with cached results costs little.

Every view of a page reruns its script: without these caches each view rebuilt the same
frames and plotly figures (about a second of server work per view at 1M transactions).
- remember(): a report's result, keyed by everything stored (data version, master data,
  dossiers, win-back, settings: read once per script run), its arguments, the interface
  language and the session's scope.
- memo(): a figure or a frame shaped from frames, keyed by the function, the content of its
  inputs and the language.
- sidebar_inputs(): the sidebar's date range and filter choices, once per stored state.
- stored_state(): what is stored, read once per script run, and shared by runs that began
  before the read did (many users viewing at once read it once, not once each).
Entries of a database's superseded stored state go as soon as a newer state is read: after an
import no page asks for them again, and at 100,000 clients one state's entries hold about
300 MB. The rest are bounded by count and by the bytes they hold (an estimate), oldest out.
A missing entry asked for by several runs at once is computed by one of them; the others wait.
Values are shared between sessions and must not be changed in place: frames come back as
shallow copies (copy-on-write keeps the cached one intact), anything else (figures, report
results) as the cached object (st.plotly_chart reads a figure without changing it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core.analytics import cache as results
from kam_core.charts.rtl import mirror_figure
from kam_core.i18n import get_language
from kam_core.services.data import date_range, filter_choices
from kam_core.services.snapshot import fingerprint
from ui.auth import SCOPE_KEY

T = TypeVar("T")
# KAM_VIEW_CACHE=off computes everything on every view, as before this cache (for benchmarks).
ENABLED = os.environ.get("KAM_VIEW_CACHE", "on").strip().lower() != "off"
MAX_ENTRIES = 256  # results of a few dozen parameter sets per page
# One stored state's entries at 100,000 clients hold about 300 MB (every page, one language):
# room for that in two languages; less would recompute a page's reports on every view.
MAX_BYTES = int(float(os.environ.get("KAM_VIEW_CACHE_MB", "1024")) * 1024 * 1024)

_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
# Per entry: its estimated bytes; the stored state of the runs that made or last used it, and
# whether its key holds that state (a report's does; a figure's, keyed by its frames, does not).
_sizes: dict[Hashable, int] = {}
_tags: dict[Hashable, tuple[tuple, bool]] = {}
_held = 0  # sum of _sizes
# Per database id: the newest stored state read, when its read began, and the state before it.
_newest: dict[str, tuple[int, tuple, tuple | None]] = {}
# The entries being computed: the run computing one sets the event once done (its box holds
# the value unless it failed).
_computing: dict[Hashable, tuple[threading.Event, list]] = {}
# The stored state of this thread's script run (each run reads it before any report).
_local = threading.local()
# The stored state read once per script run: each run has its own cursor (ui.db.get_conn).
_run_state: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# A run's cursor -> (its database, when the run took it), noted by ui.db.get_conn; and per
# database the newest read of the stored state with the time that read began.
_run_began: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_shared: dict[str, tuple[int, tuple]] = {}
# Per database, the read under way: when it began, set when done, and its state once read.
_reading: dict[str, tuple[int, threading.Event, list]] = {}


def _database(state: object) -> str | None:
    # A stored state starts with data_version: (database id, version, sales rows).
    try:
        return str(state[0][0])  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        return None


def _superseded(state: object) -> bool:
    """True when a newer stored state of the same database was read since (caller locks)."""
    database = _database(state)
    newest = _newest.get(database) if database is not None else None
    return newest is not None and newest[1] != state


def _drop(key: Hashable) -> None:
    global _held
    _entries.pop(key, None)
    _held -= _sizes.pop(key, 0)
    _tags.pop(key, None)


def _note_state(state: tuple, began: int) -> None:
    """Note a read of the stored state; the newest drops its database's older entries."""
    database = _database(state)
    if database is None:
        return
    with _lock:
        newest = _newest.get(database)
        if newest is not None and newest[0] >= began:
            return
        if newest is not None and newest[1] == state:
            _newest[database] = (began, state, newest[2])
            return
        previous = newest[1] if newest is not None else None
        _newest[database] = (began, state, previous)
        if previous is None:
            return
        # A report of the state before is never asked for again (its key holds that state);
        # a figure made in it is, if the frames it was made of did not change: the new
        # state's first views find it and it follows them, else it goes at the next change.
        stale = [
            key
            for key, (tag, keyed) in _tags.items()
            if tag != state and _database(tag) == database and (keyed or tag != previous)
        ]
        for key in stale:
            _drop(key)


def size_of(value: object) -> int:
    """An estimate of the bytes a cached value holds: frames with their text, figures' data."""
    if isinstance(value, go.Figure):
        # Its traces' and layout's properties, and as much again for the dict form a kept
        # figure keeps (not its plotly internals, which refer to the same).
        data = getattr(value, "_data", None)
        layout = getattr(value, "_layout", None)
        if data is None:
            data, layout = value.to_plotly_json().get("data"), None
        return 2 * (results.size_of(data) + results.size_of(layout))
    return results.size_of(value)


def _store(key: Hashable, value: object, state: object, keyed: bool) -> None:
    global _held
    size = size_of(value)
    with _lock:
        # A run that began before an import still shows the old state; its results are kept
        # no longer than the state (no run after it asks for them).
        if state is not None and _superseded(state):
            return
        _drop(key)
        _entries[key] = value
        _sizes[key] = size
        _held += size
        if state is not None:
            _tags[key] = (state, keyed)  # type: ignore[assignment]
        while len(_entries) > 1 and (len(_entries) > MAX_ENTRIES or _held > MAX_BYTES):
            _drop(next(iter(_entries)))


def _get(key: Hashable, compute: Callable[[], T], state: object = None, keyed: bool = True) -> T:
    """The entry under key, else compute()'s value kept there, following the stored state."""

    def lookup() -> tuple[bool, T | None]:
        if key in _entries:
            _entries.move_to_end(key)
            # A figure of unchanged frames serves the newer state too: it stays with it.
            if state is not None and key in _tags and not _superseded(state):
                _tags[key] = (state, keyed)  # type: ignore[assignment]
            return True, _entries[key]  # type: ignore[return-value]
        return False, None

    return results.compute_once(  # type: ignore[return-value]
        _lock, _computing, key, lookup, compute, lambda value: _store(key, value, state, keyed)
    )


def clear() -> None:
    """Forget every cached result and figure (tests and benchmarks time cold runs with it)."""
    global _held
    with _lock:
        _entries.clear()
        _sizes.clear()
        _tags.clear()
        _held = 0
        _newest.clear()
        _shared.clear()
        _reading.clear()


def held_bytes() -> int:
    """The estimated bytes the cached entries hold together."""
    with _lock:
        return _held


def begin_run(conn: duckdb.DuckDBPyConnection, database: str) -> None:
    """Note that a script run took this cursor on that database file just now."""
    # Its figures follow the state it reads, not the one a previous run on this thread read.
    _local.state = None
    with contextlib.suppress(TypeError):
        _run_began[conn] = (database, time.monotonic_ns())


def _read(conn: duckdb.DuckDBPyConnection) -> tuple:
    """The stored state read now, noted as its database's newest."""
    began = time.monotonic_ns()
    state = fingerprint(conn)
    _note_state(state, began)
    return state


def _read_state(conn: duckdb.DuckDBPyConnection) -> tuple:
    # Reading it is a dozen queries (12 ms of processor time at 1M rows, a tenth of a view).
    # A run may take a read that began after the run did: that read saw every change made
    # before the run began, as the run's own read would. With many users at once many runs
    # find one, done or under way; one user alone reads it each run, as before.
    # A read under way that began after the run did is waited for (no processor time spent).
    try:
        database, began = _run_began[conn]
    except (KeyError, TypeError):
        return _read(conn)
    with _lock:
        read_began, state = _shared.get(database, (-1, None))
        if read_began > began:
            return state
        under_way = _reading.get(database)
        if under_way is None or under_way[0] <= began:
            under_way, mine = (time.monotonic_ns(), threading.Event(), []), True
            _reading[database] = under_way
        else:
            mine = False
    read_began, done, box = under_way
    if not mine:
        # The reader's own failure (or a stuck read) leaves the box empty: read here instead.
        if done.wait(timeout=30) and box:
            return box[0]
        return _read(conn)
    try:
        state = _read(conn)
        box.append(state)
    finally:
        done.set()
        with _lock:
            if _reading.get(database) is under_way:
                del _reading[database]
            if box and _shared.get(database, (-1, None))[0] < read_began:
                _shared[database] = (read_began, state)
    return state


def stored_state(conn: duckdb.DuckDBPyConnection) -> tuple:
    """A value that changes with anything stored; read once per script run (per cursor)."""
    try:
        state = _run_state[conn]
    except (KeyError, TypeError):
        pass
    else:
        _local.state = state
        return state
    # Not the file's path: identical copies of one database (a restore, a test's copy) share
    # results, and the fingerprint tells copies apart as soon as their content differs.
    state = _read_state(conn)
    # A connection that takes no weak reference is read every time.
    with contextlib.suppress(TypeError):
        _run_state[conn] = state
    # Figures made in this run follow this state (memo() has no cursor to read it from).
    _local.state = state
    return state


def forget_state(conn: duckdb.DuckDBPyConnection) -> None:
    """After a write in this run, make the next remember() read the stored state again."""
    _run_state.pop(conn, None)
    # Only a read begun after the write will do.
    with contextlib.suppress(KeyError, TypeError):
        _run_began[conn] = (_run_began[conn][0], time.monotonic_ns())


def holds_sales(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when sales rows are stored, from this run's stored state (no query of its own)."""
    # The state starts with data_version: (database id, version, sales rows).
    return int(stored_state(conn)[0][2]) > 0


def _scope() -> Hashable:
    # Reports depend on who asks through the role and manager name, not the email: people of
    # the same role and portfolio share entries.
    scope = st.session_state.get(SCOPE_KEY)
    if scope is None:
        return None
    try:
        return replace(scope, email="")
    except (TypeError, ValueError):
        return repr(scope)


def token(value: object) -> Hashable:
    """A hashable stand-in for a value: frames by their content, containers item by item."""
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return _frame_token(value)
    if isinstance(value, list | tuple):
        return (type(value).__name__, *(token(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *((k, token(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return ("repr", type(value).__name__, repr(value))
    return value


def _frame_token(value: pd.DataFrame | pd.Series | pd.Index) -> Hashable:
    """Shape, columns, types and a digest of every value in order (row order counts)."""
    frame = value.to_frame() if isinstance(value, pd.Series) else value
    if isinstance(frame, pd.Index):
        frame = frame.to_frame(index=False)
    try:
        hashed = pd.util.hash_pandas_object(frame, index=True)
    except TypeError:  # cells holding lists or dicts: hash their text
        hashed = pd.util.hash_pandas_object(frame.astype(str), index=True)
    digest = hashlib.blake2b(hashed.to_numpy().tobytes(), digest_size=16).hexdigest()
    columns = tuple(str(c) for c in frame.columns)
    dtypes = tuple(str(t) for t in frame.dtypes)
    return ("frame", type(value).__name__, frame.shape, columns, dtypes, digest)


def _copy(value: T) -> T:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # type: ignore[return-value]
    return value


def remember(report: Callable[..., T], conn: duckdb.DuckDBPyConnection, *args: Any) -> T:
    """report(conn, *args), reused while nothing stored, the arguments or the language change."""
    if not ENABLED:
        return report(conn, *args)
    name = f"{report.__module__}.{report.__qualname__}"
    # The day too: a report left to find its own as-of date ignores rows dated in the future.
    day = date.today()
    state = stored_state(conn)
    key = ("report", name, state, token(args), get_language(), _scope(), day)
    return _copy(_get(key, lambda: report(conn, *args), state))


class KeptFigure(go.Figure):
    """A cached figure: its dict form, which st.plotly_chart asks for on every view, is made once.

    plotly's to_dict deep-copies every trace (a Pareto curve of 10k clients with their names
    took a few hundred ms a view); a kept figure is never changed, so one copy serves all.
    """

    def to_dict(self) -> dict:
        """The figure as a dict, made on the first call and shared after (never change it)."""
        kept = self.__dict__.get("_kept_dict")
        if kept is None:
            kept = super().to_dict()
            self.__dict__["_kept_dict"] = kept
        return kept


def _keep(value: T) -> T:
    if type(value) is go.Figure:
        value.__class__ = KeptFigure  # same object and state; only to_dict is remembered
    return value


def memo(build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """build(*args, **kwargs), reused while its inputs (by content) and the language are equal."""
    if not ENABLED:
        return build(*args, **kwargs)
    name = f"{build.__module__}.{build.__qualname__}"
    key = ("memo", name, token(args), token(kwargs), get_language())
    state = getattr(_local, "state", None)
    return _copy(_get(key, lambda: _keep(build(*args, **kwargs)), state, keyed=False))


def sidebar_inputs(
    conn: duckdb.DuckDBPyConnection,
) -> tuple[tuple[date | None, date | None], dict[str, list[str]]]:
    """The first and last order date and the filter choices, computed once per stored state."""
    if not ENABLED:
        return date_range(conn), filter_choices(conn)
    state = stored_state(conn)
    dates = _get(("sidebar", "dates", state), lambda: date_range(conn), state)
    choices = _get(("sidebar", "choices", state), lambda: filter_choices(conn), state)
    return dates, {k: list(v) for k, v in choices.items()}


def _mirrored(build: Callable[..., go.Figure], *args: Any) -> go.Figure:
    return mirror_figure(build(*args))


def chart(build: Callable[..., go.Figure], *args: Any) -> go.Figure:
    """build(*args) laid out for the reading direction, kept between views (mirrored once)."""
    return memo(_mirrored, build, *args)


def _report_chart(
    conn: duckdb.DuckDBPyConnection,
    build: Callable[..., go.Figure],
    report: Callable[..., Any],
    args: tuple,
    extra: tuple,
) -> go.Figure:
    return _keep(mirror_figure(build(remember(report, conn, *args), *extra)))


def report_chart(
    build: Callable[..., go.Figure],
    report: Callable[..., Any],
    conn: duckdb.DuckDBPyConnection,
    *args: Any,
    extra: tuple = (),
) -> go.Figure:
    """build(report(conn, *args), *extra) laid out for the reading direction, kept per stored
    state, arguments, language and scope: unlike chart(), no digest of the report's frame."""
    if not ENABLED:
        return mirror_figure(build(report(conn, *args), *extra))
    return remember(_report_chart, conn, build, report, args, extra)
