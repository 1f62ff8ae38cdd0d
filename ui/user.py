"""Who is making a change: the signed-in email in team mode, else a name the user types once."""

from __future__ import annotations

import streamlit as st

from kam_core.dossier.records import DEFAULT_USER
from kam_core.i18n import _
from ui.auth import session_scope, team_mode
from ui.text import esc

USER_KEY = "user_name"  # plain session key: it outlives the pages that do not show the field
INPUT_KEY = "user_name_input"


def _keep() -> None:
    st.session_state[USER_KEY] = (st.session_state.get(INPUT_KEY) or "").strip() or DEFAULT_USER


def user_name() -> str:
    """The signed-in email in team mode; else render 'Your name' in the sidebar and return it."""
    if team_mode():
        # Signed in: changes carry the account's email; nobody types a name for someone else.
        email = session_scope().email
        st.sidebar.caption(_("Changes are recorded as {name}.").format(name=esc(email)))
        return email
    if USER_KEY not in st.session_state:
        st.session_state[USER_KEY] = DEFAULT_USER
    st.session_state[INPUT_KEY] = st.session_state[USER_KEY]
    st.sidebar.text_input(
        _("Your name"),
        key=INPUT_KEY,
        on_change=_keep,
        max_chars=80,
        help=_("Recorded with every change you make: dossiers and win-back statuses."),
    )
    return str(st.session_state[USER_KEY])
