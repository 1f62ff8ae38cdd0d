"""KAM Analytics: the router and frame; every screen lives in views/<screen>/page.py."""

import time

import duckdb
import streamlit as st
from streamlit import config as st_config

from kam_core.i18n import _
from ui.admin import audit_page, users_page
from ui.auth import require_sign_in, start_inbox
from ui.db import get_conn, start_file_reader
from ui.language import apply as apply_language
from ui.language import language_switch
from ui.runlog import log_run
from ui.screens import ADMIN_SCREENS, DEFAULT_PATH, SCREENS, page_file

# Streamlit runs a full garbage collection (gc.collect(2)) after every script run. With the
# reports, frames and figures kept between views the heap is large, and that walk was over half
# of the server's processor time per visit (py-spy, bench/concurrency.py's 1M-row database).
# Python's own generational collector still frees cycles. Set here rather than in
# .streamlit/config.toml so that it holds from any working folder.
st_config.set_option("runner.postScriptGC", False)
# Streamlit forgets the compiled scripts whenever no session is connected (one person opening
# links one after another), and recompiling with "magic" (an AST rewrite) cost 0.1-0.2 s a
# visit. No screen writes bare expressions, so magic is off and a compile is plain.
st_config.set_option("runner.magicEnabled", False)

_started = (time.perf_counter(), time.thread_time())
st.set_page_config(page_title="KAM Analytics", page_icon=":material/monitoring:", layout="wide")

conn = get_conn()
# The language first: every text below, the sign-in page included, is in it.
apply_language(conn)
language_switch()

start_inbox()  # once per process: files dropped in the inbox are imported while the app runs
start_file_reader()  # once per process: the first upload does not wait for the reader to start
# Team mode: nothing below runs (no page, no deep link) until the visitor is signed in and
# known; the session's scope is kept in st.session_state["scope"] for the screens.
scope = require_sign_in(conn)
# Screens a role may not use are left out of the navigation (and refuse a typed URL).
ALLOWED = {"upload": scope.can_import(conn), "settings": scope.can_edit_settings()}

SCREEN_PAGES = {
    screen: st.Page(
        page_file(screen),
        title=_(title),
        icon=f":material/{icon}:",
        url_path=path,
    )
    for screen, title, icon, path in SCREENS
    if ALLOWED.get(screen, True)
}


def _opens(page: st.Page):
    """A page that only opens another at its own address, keeping the URL's options."""
    return lambda: st.switch_page(page, query_params=st.query_params.to_dict())


def _admin_page(name: str):
    """The callable of an admin screen (ui/admin.py checks the role again)."""
    show = {"users": users_page, "audit": audit_page}[name]
    return lambda: show(get_conn(), scope)


PAGES = [
    # The root opens the Overview at its own address, so /overview is a page, not 'not found'
    # (Streamlit serves its default page at the root only).
    st.Page(
        _opens(next(p for p in SCREEN_PAGES.values() if p.url_path == DEFAULT_PATH)),
        title=_("Overview"),
        url_path="home",
        default=True,
        visibility="hidden",
    ),
    *SCREEN_PAGES.values(),
]
if scope.can_manage_users():
    # Local mode has no users: the admin screens belong to team mode's admins.
    PAGES += [
        st.Page(_admin_page(name), title=_(title), icon=f":material/{icon}:", url_path=path)
        for name, title, icon, path in ADMIN_SCREENS
        if not scope.is_local
    ]
# A screen's folder name, where it differs from its address, opens the screen too.
PAGES += [
    st.Page(
        _opens(SCREEN_PAGES[screen]),
        title=_(title),
        url_path=screen,
        visibility="hidden",
    )
    for screen, title, _icon, path in SCREENS
    if screen != path and screen in SCREEN_PAGES
]

_page = st.navigation(PAGES)
try:
    _page.run()
except duckdb.IOException as exc:
    # A database file cut short or damaged opens, then fails on a block past its end: the
    # user is told what to do, not shown a traceback.
    st.error(
        _(
            "The database could not be read: its file may be cut short or damaged. Restore "
            "a backup (Settings, Restore), or ask whoever runs the app to."
        )
    )
    st.text(str(exc))
finally:
    log_run(_page.url_path, *_started)  # only where KAM_RUN_LOG names a file (benchmarks)
