"""The cached database connection and the empty-database prompt."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import ScriptRunContext, get_script_run_ctx

from kam_core.config import db_path
from kam_core.i18n import _, fmt_number
from kam_core.importing import start_reader
from kam_core.services.data import has_sales
from kam_core.services.settings import read_once_per_run
from kam_core.store import DatabaseError, connect
from ui.cache import begin_run, holds_sales, note_change
from ui.language import apply as apply_language
from ui.screens import page_file


def _close(conn: duckdb.DuckDBPyConnection) -> None:
    conn.close()


# Released (a cleared cache) means closed now: an open DuckDB database keeps its file, threads
# and buffer pool until the garbage collector happens to reach it.
@st.cache_resource(show_spinner=False, on_release=_close)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return connect(path)


@st.cache_resource(show_spinner=False)
def start_file_reader() -> bool:
    """Start the uploads' file reader once per process, while the first page draws."""
    start_reader()
    return True


@dataclass(frozen=True)
class _RunCursor:
    """The cursor one script run took, with what identifies that run."""

    # Weak references: the run's own code keeps its cursor, which goes when the run's last
    # user lets it go, as before; this record only finds it again.

    run: object
    thread: int
    conn: weakref.ref
    cursor: weakref.ref


# Kept on the session's script run context, so it goes with the session's script thread.
_RUN_CURSOR = "_kam_run_cursor"


def _this_run() -> tuple[ScriptRunContext | None, object | None]:
    """The script run context and a token of the run in it (None outside a script run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    # A context serves every run of its script thread; its fragment coordinator is made new at
    # each run's start (ScriptRunContext.reset), so it tells one run from the next.
    return ctx, getattr(ctx, "parallel_coordinator", None)


def get_conn() -> duckdb.DuckDBPyConnection:
    """Return this script run's cursor on the shared connection, or stop the page with a message."""
    # app.py and the page both ask: they get the same cursor, and the settings are read once.
    thread = threading.get_ident()
    try:
        path = str(db_path())
        conn = _connection(path)
        ctx, run = _this_run()
        held = getattr(ctx, _RUN_CURSOR, None)
        this_run = isinstance(held, _RunCursor) and held.run is run and run is not None
        if this_run and held.thread == thread and held.conn() is conn:
            cur = held.cursor()
            if cur is not None:
                return cur
        # A cursor per script run, never shared by two runs or sessions: DuckDB refuses a
        # connection used by two threads at once. A helper thread of the run gets its own.
        cur = conn.cursor()
        begin_run(cur, path)
    except DatabaseError as exc:
        # The language is chosen once the database opens (its Settings hold the default):
        # here it comes from the link or the session, and the refusal is built again in it.
        message = str(exc)
        apply_language(None)
        try:
            connect(path).close()
        except DatabaseError as again:
            message = str(again)
        st.error(_("The database cannot be opened."))
        st.text(message)
        st.stop()
    # Settings read once on this cursor: thresholds, display and weights asked 6-8 times a view.
    read_once_per_run(cur)
    if run is not None and not (this_run and held.thread != thread):
        setattr(ctx, _RUN_CURSOR, _RunCursor(run, thread, weakref.ref(conn), weakref.ref(cur)))
    return cur


def offer_demo(conn: duckdb.DuckDBPyConnection) -> None:
    """On a page that works without data, offer the demo dataset while the database is empty."""
    if has_sales(conn):
        return
    left, right = st.columns([3, 1])
    left.info(_("The database is empty. Upload a file below, or load the demo dataset."))
    if right.button(_("Load demo data"), key="load_demo_offer"):
        load_demo_now(conn)


def require_data(conn: duckdb.DuckDBPyConnection) -> None:
    """Stop the page with upload instructions and a demo button when there are no sales."""
    # A page of reports reads the stored state anyway (the sidebar): its rows count answers.
    if holds_sales(conn):
        return
    st.info(
        _(
            "There is no sales data yet. Upload an Excel or CSV export on the Upload page, "
            "or load the demo dataset to look around."
        )
    )
    left, right = st.columns([1, 3])
    if left.button(_("Load demo data"), type="primary", key="load_demo_empty"):
        load_demo_now(conn)
    right.page_link(page_file("upload"), label=_("Go to Upload"), icon=":material/upload_file:")
    st.stop()


def load_demo_now(conn: duckdb.DuckDBPyConnection) -> None:
    """Load the demo dataset with a spinner and rerun the page."""
    from kam_core.demo.load import load_demo

    with st.spinner(_("Loading the demo dataset...")):
        counts = load_demo(conn)
    note_change()
    st.session_state["flash"] = _("Demo data loaded: {rows} rows, {clients} clients.").format(
        rows=fmt_number(counts.rows_imported), clients=fmt_number(counts.clients)
    )
    st.rerun()
