"""What every page shows first: its title, one-off messages and the empty-database prompt."""

from __future__ import annotations

import duckdb
import streamlit as st

from ui.db import get_conn, require_data


def _leave_folder_mode() -> None:
    """Rerun through app.py when Streamlit ran a page file directly.

    Streamlit runs a file of pages/ by itself when the first visit after a start is a deep link
    (its folder-based navigation), which skips app.py's router; one rerun goes through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page(title: str, needs_data: bool = True) -> duckdb.DuckDBPyConnection:
    """Render the page title and pending messages; return the connection."""
    _leave_folder_mode()
    st.title(title)
    flash = st.session_state.pop("flash", None)
    if flash:
        st.success(flash)
    conn = get_conn()
    if needs_data:
        require_data(conn)
    return conn
