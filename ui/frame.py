"""What every page shows first: its title, one-off messages and the empty-database prompt."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.i18n import _
from kam_core.services.settings import currency_symbol, money_decimals
from ui.cache import show_previous_while_updating
from ui.db import get_conn, offer_demo, require_data
from ui.text import CURRENCY_STATE, DECIMALS_STATE


def page(
    title: str, needs_data: bool = True, previous_while_updating: bool = False
) -> duckdb.DuckDBPyConnection:
    """Render the page title and pending messages; return the connection.

    previous_while_updating: after another session's import, the page shows its reports'
    previous figures with a notice while the new ones are computed (ui.cache).
    """
    st.title(_(title))  # an English title is translated here; a translated one passes through
    flash = st.session_state.pop("flash", None)
    if flash:
        st.success(flash)
    if previous_while_updating:
        show_previous_while_updating(title)
    conn = get_conn()
    st.session_state[CURRENCY_STATE] = currency_symbol(conn)
    st.session_state[DECIMALS_STATE] = money_decimals(conn)
    if needs_data:
        require_data(conn)
    else:
        offer_demo(conn)
    return conn
