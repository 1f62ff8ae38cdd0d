"""KAM Analytics: the router and frame; every screen lives in views/<screen>/page.py."""

import streamlit as st

from kam_core.i18n import _
from ui.auth import require_sign_in, start_inbox
from ui.db import get_conn
from ui.language import apply as apply_language
from ui.language import language_switch
from ui.screens import DEFAULT_PATH, SCREENS, page_file

st.set_page_config(page_title="KAM Analytics", page_icon=":material/monitoring:", layout="wide")

# The language first: every text below, the sign-in page included, is in it.
conn = get_conn()
apply_language(conn)
language_switch()

start_inbox()  # once per process: files dropped in the inbox are imported while the app runs
# Team mode: nothing below runs (no page, no deep link) until the visitor is signed in and
# known; the session's scope is kept in st.session_state["scope"] for the screens.
require_sign_in(conn)

PAGES = [
    st.Page(
        page_file(screen),
        title=_(title),
        icon=f":material/{icon}:",
        url_path=path,
        default=(path == DEFAULT_PATH),
    )
    for screen, title, icon, path in SCREENS
]

st.navigation(PAGES).run()
