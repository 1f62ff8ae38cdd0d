"""The sign-in gate of team mode: who is signed in, what they may see, and the sign-out."""

from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb
import streamlit as st

from kam_core.analytics.params import AnalysisParams
from kam_core.config import db_path
from kam_core.i18n import NP_, _, isolate, pgettext
from kam_core.services.inbox import InboxWatcher, inbox_path, start_inbox_watcher
from kam_core.services.scope import Scope, ScopeRefused
from kam_core.services.snapshot import Snapshotter, snapshot_path
from kam_core.services.users import ensure_admins, find_user
from kam_core.store import connect

SCOPE_KEY = "scope"
# The roles as people read them; the codes stay in the database.
ROLE_LABELS: dict[str, str] = {
    "admin": NP_("role", "admin"),
    "executive": NP_("role", "executive"),
    "manager": NP_("role", "manager"),
}
# Page tests set this session key to a SignedIn instead of signing in through a provider.
TEST_USER_KEY = "_kam_signed_in"


@dataclass(frozen=True)
class SignedIn:
    """What the identity provider says about the person: email and name."""

    email: str
    name: str | None = None


def role_label(role: str) -> str:
    """A role in the current language: manager -> מנהל לקוחות."""
    return pgettext("role", ROLE_LABELS[role]) if role in ROLE_LABELS else role


def current_user() -> SignedIn | None:
    """The signed-in person, or None; the one place that reads st.user (tests replace it)."""
    override = st.session_state.get(TEST_USER_KEY)
    if isinstance(override, SignedIn):
        return override
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
        name = st.user.get("name")
    except Exception:  # no [auth] configured: nobody can be signed in
        return None
    # Without an email (or with one the provider did not verify) nobody can be matched.
    if not isinstance(email, str) or not email.strip():
        return None
    if st.user.get("email_verified") is False:
        return None
    return SignedIn(email.strip(), str(name) if name else None)


def team_mode() -> bool:
    """True when the Streamlit secrets hold an [auth] section (sign-in through a provider)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: local mode
        return False


# Streamlit returns to the front page after sign-in: the page asked for is kept in the tab's
# sessionStorage and opened again once signed in. Fixed text, no user data inside; only a
# same-site path ("/x", never "//host") is followed.
# The home page is not a deep link, whatever language the address already names: remembering
# "/?lang=en" sent every sign-in through one more reload, which overtook a link opened at once.
_REMEMBER_JS = """<script>
const path = window.location.pathname;
const query = new URLSearchParams(window.location.search);
query.delete("lang");
if ((path !== "/" && path !== "") || query.toString() !== "") {
  sessionStorage.setItem("kam_next", path + window.location.search);
}
</script>"""
_RETURN_JS = """<script>
const next = sessionStorage.getItem("kam_next");
sessionStorage.removeItem("kam_next");
const here = window.location.pathname + window.location.search;
if (next && next.startsWith("/") && !next.startsWith("//") && next !== here) {
  window.location.replace(next);
}
</script>"""


def _sign_in_page() -> None:
    st.html(_REMEMBER_JS, unsafe_allow_javascript=True)
    st.title("KAM Analytics")
    st.write(_("Sign in with your company account to see the dashboard."))
    st.button(_("Sign in"), type="primary", on_click=st.login, key="sign_in")


def _ask_admin_page(email: str) -> None:
    st.title("KAM Analytics")
    st.warning(_("You are signed in, but this account has no access to the dashboard yet."))
    st.write(_("Ask your admin to add this email address as a user:"))
    st.text(email)  # shown as text: it comes from outside
    st.button(_("Sign out"), on_click=st.logout, key="sign_out_unknown")


def require_sign_in(conn: duckdb.DuckDBPyConnection) -> Scope:
    """The scope of this session; in team mode stop at sign-in or 'ask your admin' pages."""
    if not team_mode():
        scope = Scope.local()
        st.session_state[SCOPE_KEY] = scope
        return scope
    signed_in = current_user()
    if signed_in is None:
        st.session_state.pop(SCOPE_KEY, None)
        _sign_in_page()
        st.stop()
    ensure_admins(conn)
    user = find_user(conn, signed_in.email)
    if user is None:
        st.session_state.pop(SCOPE_KEY, None)
        _ask_admin_page(signed_in.email)
        st.stop()
    scope = user.scope()
    st.session_state[SCOPE_KEY] = scope
    with st.sidebar:
        # Text: names come from outside.
        st.text(
            _("Signed in: {name} ({role})").format(
                name=isolate(user.name), role=role_label(user.role)
            )
        )
        st.button(_("Sign out"), on_click=st.logout, key="sign_out")
        # Sent on every run, not once: the first run after sign-in is the home page, which
        # switches to the Overview at once, and a script sent in a run that switches may never
        # reach the browser. It only acts while the tab still holds a link, and forgets it then.
        st.html(_RETURN_JS, unsafe_allow_javascript=True)
    guard_url(conn, scope)
    return scope


def guard_url(conn: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Stop any page whose URL asks for a client or a manager outside the scope, saying why."""
    reason = None
    client = st.query_params.get("client")
    if client and not scope.can_read_client(conn, client):
        reason = ScopeRefused(scope.refusal(client))
    manager = st.query_params.get("manager")
    if reason is None and manager:
        try:
            scope.restrict(AnalysisParams(manager=manager))
        except ScopeRefused as exc:
            reason = exc
    if reason is not None:
        st.error(_("This link asks for data you may not see."))
        st.text(str(reason))  # text: it holds names
        st.stop()


def session_scope() -> Scope:
    """The scope the gate stored for this session; a screen run without it in team mode stops."""
    scope = st.session_state.get(SCOPE_KEY)
    if isinstance(scope, Scope):
        return scope
    if team_mode():  # never fall back to everything when sign-in is on
        st.stop()
    return Scope.local()


def _stop(watcher: InboxWatcher) -> None:
    watcher.stop()


# Released (and stopped) when the resource cache is cleared, as page tests do between runs.
@st.cache_resource(show_spinner=False, on_release=_stop)
def _watcher(db: str, folder: str, interval: float) -> InboxWatcher:
    # Its own connection: in one process DuckDB shares the database the pages use.
    conn = connect(db)
    return start_inbox_watcher(
        lambda: conn, folder, interval, after_scan=Snapshotter(snapshot_path(db))
    )


def start_inbox() -> InboxWatcher | None:
    """Start, once per process, the inbox watcher and the snapshot (KAM_INBOX=off: neither)."""
    if os.environ.get("KAM_INBOX", "").strip().lower() == "off":
        return None
    try:
        interval = float(os.environ.get("KAM_INBOX_INTERVAL", "10"))
        return _watcher(str(db_path()), str(inbox_path()), interval)
    except Exception as exc:  # the dashboard still works without the inbox; say why
        st.sidebar.warning(_("The inbox is not watched: {reason}").format(reason=exc))
        return None
