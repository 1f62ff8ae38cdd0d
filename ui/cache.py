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
300 MB. After a change of the sales alone, a report's last ready version stays until its new
one is ready: a chart page (show_previous_while_updating) shows it with a notice while the new
is computed in the background (two versions of a report at most). The rest are bounded by
count and by the bytes they hold (an estimate), oldest out.
A missing entry asked for by several runs at once is computed by one of them; the others wait.
Values are shared between sessions and must not be changed in place: frames come back as
shallow copies (copy-on-write keeps the cached one intact), anything else (figures, report
results) as the cached object (st.plotly_chart reads a figure without changing it).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core.analytics import cache as results
from kam_core.charts.rtl import mirror_figure
from kam_core.i18n import _, fmt_date, get_language, set_language
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
# Per report (its key without the stored state): the keys of the versions held, two at most
# (the last ready and the current state's).
_slots: dict[Hashable, set[Hashable]] = {}
# Per stored state with entries: when it was first read (monotonic ns) and when a newer one
# was first read (the time its figures hold the data as of).
_seen: dict[tuple, list] = {}
# Reports whose computation in the background failed: the page computes them itself.
_failed: set[Hashable] = set()


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
    slot = _slot(key)
    versions = _slots.get(slot) if slot is not None else None
    if versions is not None:
        versions.discard(key)
        if not versions:
            del _slots[slot]


def _slot(key: Hashable) -> Hashable | None:
    """A report's or the sidebar's key without its stored state: its versions share it."""
    # ("report", name, state, args, language, scope, day) and ("sidebar", kind, state).
    if not isinstance(key, tuple) or len(key) < 3 or key[0] not in ("report", "sidebar"):
        return None
    return (key[0], _database(key[2]), key[1], *key[3:])


def _data_number(state: object) -> int:
    # data_version's version: a number each import or undo raises.
    try:
        return int(state[0][1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return -1


def _data_only(old: object, new: object) -> bool:
    """True when new differs from old by sales only: dossiers, win-back, settings and users kept.

    Only such a change lets a page show the previous figures while the new are computed: a
    changed setting, status or dossier is shown at once to everyone, as its maker expects.
    """
    try:
        if old[0] == new[0] or old[0][0] != new[0][0]:  # type: ignore[index]
            return False
        # services.snapshot's rows: dossier changes, audit, uploads, win-back, settings, users,
        # clients (an import adds clients, uploads and an audit line).
        return all(old[1][i] == new[1][i] for i in (0, 3, 4, 5))  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        return False


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
        _seen.setdefault(state, [began, None])
        if previous is None:
            return
        if previous in _seen and _seen[previous][1] is None:
            _seen[previous][1] = datetime.now()  # its figures hold the data as of now
        # After an import alone, the last version of each report stays until its new one is
        # ready (pages may show it meanwhile: previous_or_current); after any other change,
        # or for an older version, a report of an older state is never asked for again (its
        # key holds that state). A figure made in the state before is asked for again if the
        # frames it was made of did not change: the new state's first views find it and it
        # follows them, else it goes at the next change.
        data_only = _data_only(previous, state)
        stale = [
            key
            for key, (tag, keyed) in _tags.items()
            if tag != state
            and _database(tag) == database
            and (tag != previous if not keyed else not (data_only and _data_only(tag, state)))
        ]
        for key in stale:
            _drop(key)
        _failed.difference_update([k for k in _failed if _superseded(k[2])])
        held = {tag for tag, _keyed in _tags.values()} | {state}
        for old in [s for s in _seen if s not in held and _database(s) == database]:
            del _seen[old]


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
        slot = _slot(key) if keyed else None
        versions = _slots.get(slot, set()) if slot is not None else set()
        # A run that began before an import still shows the old state; its results are kept
        # no longer than the state (no run after it asks for them). A report computed for an
        # import since followed by another stands for its slot if it is newer than the
        # version held there (under imports in a row, pages move on to it).
        if state is not None and _superseded(state):
            newest = _newest.get(_database(state))
            newer = newest is not None and _data_only(state, newest[1])
            if not (newer and versions and all(_older(k[2], state) for k in versions)):
                return
        for other in list(versions):
            if other != key and _older(other[2], state):  # the new version is ready
                _drop(other)
        _failed.discard(key)
        _drop(key)
        _entries[key] = value
        _sizes[key] = size
        _held += size
        if state is not None:
            _tags[key] = (state, keyed)  # type: ignore[assignment]
        if slot is not None:
            _slots.setdefault(slot, set()).add(key)
        while len(_entries) > 1 and (len(_entries) > MAX_ENTRIES or _held > MAX_BYTES):
            _drop(next(iter(_entries)))


def _older(old: object, new: object) -> bool:
    """True when old is a state of new's database with older sales (caller locks)."""
    return _database(old) == _database(new) and _data_number(old) < _data_number(new)


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
        _slots.clear()
        _seen.clear()
        _failed.clear()


def held_bytes() -> int:
    """The estimated bytes the cached entries hold together."""
    with _lock:
        return _held


def begin_run(conn: duckdb.DuckDBPyConnection, database: str) -> None:
    """Note that a script run took this cursor on that database file just now."""
    # Its figures follow the state it reads, not the one a previous run on this thread read.
    _local.state = None
    # Only a page that asks for it shows previous figures (show_previous_while_updating).
    _local.may_lag = False
    _local.lag = None
    _local.lag_all = False
    _local.notice = None
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
    aside = getattr(_local, "scope", _NO_SCOPE)
    if aside is not _NO_SCOPE:  # a computation in the background: the asking page's scope
        return aside  # type: ignore[no-any-return]
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
    return _copy(
        _previous_or_current(
            key,
            state,
            lambda: report(conn, *args),
            lambda: _aside_report(report, conn, args, state),
        )
    )


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
    dates = _previous_or_current(
        ("sidebar", "dates", state),
        state,
        lambda: date_range(conn),
        lambda: _aside_report(date_range, conn, (), state),
    )
    choices = _previous_or_current(
        ("sidebar", "choices", state),
        state,
        lambda: filter_choices(conn),
        lambda: _aside_report(filter_choices, conn, (), state),
    )
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


# Showing the previous figures while the new ones are computed (pages of reports over all
# clients: at 100,000 clients a cold view of each costs seconds to tens of seconds of processor
# time, and after every import the others' pages waited for it).
log = logging.getLogger(__name__)
# How long a page waits for a report's new version before it shows the previous one: on a
# small database the new one is ready by then and nothing flickers.
GRACE_S = float(os.environ.get("KAM_PREVIOUS_GRACE_S", "0.5"))
POLL_S = 2.0  # seconds between a page's checks for its new figures (a fragment, not the page)
# Per page of the session: the new versions it showed the previous one of.
PENDING_KEY = "_kam_previous_pending"
# When this session last changed the sales (monotonic ns): it sees its change at once.
CHANGED_KEY = "_kam_changed_at"
_NO_SCOPE = object()
_pool: ThreadPoolExecutor | None = None
# The new versions asked for in the background: set once computed, failed or given up.
_queued: dict[Hashable, threading.Event] = {}


def show_previous_while_updating(page_key: str) -> None:
    """Let this run's reports show their previous version, with a notice, while the new is
    computed in the background (chart pages over all clients; never a dossier's own data,
    the Upload page, downloads or the command line)."""
    if not ENABLED:
        return
    _local.may_lag = True
    _local.page = page_key
    _local.notice = st.empty()  # the notice goes here, under the title, once needed
    pending = st.session_state.get(PENDING_KEY)
    if not isinstance(pending, dict):
        pending = st.session_state[PENDING_KEY] = {}
    # A page that showed previous figures goes on showing them, without waiting for each
    # report anew, until the new versions it asked for are ready.
    _local.lag_all = _waiting(pending.get(page_key, ()))
    pending[page_key] = set()


def note_change() -> None:
    """Note that this session changed the sales: it sees the new figures, waiting for them."""
    with contextlib.suppress(Exception):  # outside a session (tests, the command line)
        st.session_state[CHANGED_KEY] = time.monotonic_ns()


def lagging() -> bool:
    """True when this run shows a report's previous version (downloads wait for the new)."""
    return getattr(_local, "lag", None) is not None


def _waiting(keys: object) -> bool:
    """True while one of these new versions is being computed."""
    with _lock:
        return any(k in _queued or k in _computing for k in keys)  # type: ignore[attr-defined]


def _previous(key: Hashable, state: object) -> Hashable | None:
    """The key of the version before key's, for the state before an import (caller locks)."""
    slot = _slot(key)
    for other in _slots.get(slot, ()) if slot is not None else ():
        if other != key and _older(other[2], state) and _data_only(other[2], state):
            return other
    return None


def _changed_since(state: object) -> bool:
    """True when this session changed the sales since state was first read."""
    try:
        changed = st.session_state.get(CHANGED_KEY)
    except Exception:  # outside a session
        return False
    if changed is None:
        return False
    with _lock:
        seen = _seen.get(state)  # type: ignore[arg-type]
    return seen is None or int(changed) > seen[0]


def _previous_or_current(
    key: Hashable,
    state: object,
    compute_here: Callable[[], T],
    compute_aside: Callable[[], Callable[[], T]],
) -> T:
    """key's value; on a page that allows it, the previous version while the new is computed
    in the background (waiting GRACE_S for it first, unless the page already shows previous
    figures)."""
    if not getattr(_local, "may_lag", False):
        return _get(key, compute_here, state)

    def here() -> T:
        # Computed for the current state: what it reads of other reports is current too.
        _local.may_lag = False
        try:
            return compute_here()
        finally:
            _local.may_lag = True

    with _lock:
        ready = key in _entries
        previous = None if key in _failed else _previous(key, state)
    if previous is None or ready or _changed_since(previous[2]):  # type: ignore[index]
        return _get(key, here, state)
    shows = lagging() or getattr(_local, "lag_all", False)
    done = _submit(key, state, compute_aside)
    if not shows and done.wait(GRACE_S):
        # Ready in time; or failed: computed here, its errors shown as any page's.
        return _get(key, here, state)
    with _lock:
        found = previous in _entries
        value = _entries[previous] if found else None
    if not found:  # the new version came meanwhile, or the old was let go
        return _get(key, here, state)
    _show_notice(previous[2], key)  # type: ignore[index]
    return value  # type: ignore[return-value]


def _submit(
    key: Hashable, state: object, compute_aside: Callable[[], Callable[[], T]]
) -> threading.Event:
    """Compute key's value in the background, once however many pages ask."""
    global _pool
    with _lock:
        event = _queued.get(key)
        if event is not None:
            return event
        event = _queued[key] = threading.Event()
        if _pool is None:
            # One at a time: the other core stays with the pages, and two at once took the
            # server to 2.05 GB under imports in a row (1.6-1.8 GB with one; bench/RESULTS.md).
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kam-previous")
        pool = _pool
    try:
        compute = compute_aside()  # made in the run: its cursor, language and scope
        pool.submit(_aside, key, state, compute, event)
    except Exception:
        log.exception("The new version of %s could not be started", key[1])  # type: ignore[index]
        with _lock:
            _failed.add(key)
            _queued.pop(key, None)
        event.set()
    return event


def _aside(
    key: Hashable, state: object, compute: Callable[[], object], event: threading.Event
) -> None:
    """Compute and keep key's value in a background thread (never calls st.*)."""
    try:
        slot = _slot(key)
        with _lock:
            # Another import since asked for a newer version of the same report: this one
            # would be let go as soon as kept.
            newer = any(
                _slot(k) == slot and _data_number(k[2]) > _data_number(state)  # type: ignore[index]
                for k in _queued
            )
        if not newer:
            _get(key, compute, state)
    except Exception:
        log.exception(
            "The new version of %s failed; the pages asking compute it themselves",
            key[1],  # type: ignore[index]
        )
        with _lock:
            _failed.add(key)
    finally:
        with _lock:
            if _queued.get(key) is event:
                del _queued[key]
        event.set()


def _aside_report(
    report: Callable[..., T], conn: duckdb.DuckDBPyConnection, args: tuple, state: object
) -> Callable[[], T]:
    """report(cursor, *args) for a background thread: its own cursor, the run's language,
    scope and stored state (the reports it asks for are read for the same state)."""
    cur = conn.cursor()  # made here: a run's cursor is used by its own thread only
    lang, scope = get_language(), _scope()

    def compute() -> T:
        set_language(lang)
        _local.scope, _local.state = scope, state
        with contextlib.suppress(TypeError):
            _run_state[cur] = state
        try:
            return report(cur, *args)
        finally:
            _local.scope, _local.state = _NO_SCOPE, None
            cur.close()

    return compute


def _show_notice(state: object, key: Hashable) -> None:
    """Note that this run shows a previous version; say so once under the page's title."""
    page_key = getattr(_local, "page", None)
    with contextlib.suppress(Exception):
        st.session_state[PENDING_KEY].setdefault(page_key, set()).add(key)
    if lagging():
        return
    with _lock:
        seen = _seen.get(state)  # type: ignore[arg-type]
        as_of = seen[1] if seen is not None and seen[1] is not None else datetime.now()
    _local.lag = as_of
    slot = getattr(_local, "notice", None)
    if slot is None:
        return
    when = (
        as_of.strftime("%H:%M")
        if as_of.date() == date.today()
        else (f"{fmt_date(as_of.date())} {as_of:%H:%M}")
    )
    with slot.container():
        st.info(
            _(
                "Updating with the latest import: figures as of {time}. The new figures "
                "replace them here as soon as they are ready; downloads wait for them."
            ).format(time=when),
            icon=":material/update:",
        )
        _watch(page_key)


@st.fragment(run_every=POLL_S)
def _watch(page_key: str | None) -> None:
    """Rerun the page once the new versions it showed the previous one of are ready."""
    pending = st.session_state.get(PENDING_KEY, {}).get(page_key)
    if pending and not _waiting(pending):
        st.rerun(scope="app")
