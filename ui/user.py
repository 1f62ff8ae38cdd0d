"""Who is making a change: the signed-in user's name, else a name the user types once."""

from __future__ import annotations

import streamlit as st

from kam_core.dossier.records import DEFAULT_USER
from ui.text import esc

USER_KEY = "user_name"  # plain session key: it outlives the pages that do not show the field
INPUT_KEY = "user_name_input"


def _signed_in_name() -> str:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("name") or st.user.get("email") or "")
    except Exception:  # no authentication configured: st.user has nothing to say
        return ""
    return ""


def _keep() -> None:
    st.session_state[USER_KEY] = (st.session_state.get(INPUT_KEY) or "").strip() or DEFAULT_USER


def user_name() -> str:
    """Render 'Your name' in the sidebar (remembered for the session) and return it."""
    signed_in = _signed_in_name()
    if signed_in:
        st.sidebar.caption(f"Changes are recorded as {esc(signed_in)}.")
        return signed_in
    if USER_KEY not in st.session_state:
        st.session_state[USER_KEY] = DEFAULT_USER
    st.session_state[INPUT_KEY] = st.session_state[USER_KEY]
    st.sidebar.text_input(
        "Your name",
        key=INPUT_KEY,
        on_change=_keep,
        max_chars=80,
        help="Recorded with every change you make: dossiers and win-back statuses.",
    )
    return str(st.session_state[USER_KEY])
