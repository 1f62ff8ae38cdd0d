"""Admin screens of team mode: the Users page and the audit log; admins only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import duckdb
import streamlit as st

from kam_core.export import to_csv_bytes
from kam_core.i18n import N_, _, fmt_number, ngettext
from kam_core.i18n.formats import date_column_format
from kam_core.services import audit
from kam_core.services import users as service
from kam_core.services.scope import ROLES, Scope
from kam_core.vocabulary import AUDIT_ACTIONS, label_of
from ui.auth import role_label
from ui.language import formatter
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import export_frame

ROLE_HELP = N_(
    "admin: everything, including users; executive: reads everything, changes nothing; "
    "manager: their own clients (by manager name)."
)
USER_COLUMNS = {
    "email": N_("Email"),
    "display_name": N_("Display name"),
    "role": N_("Role"),
    "manager_name": N_("Manager name"),
    "active": N_("Active"),
    "updated_by": N_("Changed by"),
}


AUDIT_COLUMNS = {
    "audit_id": N_("Entry"),
    "at": N_("When (UTC)"),
    "user": N_("User"),
    "action": N_("Action"),
    "target": N_("Target"),
    "detail": N_("Detail"),
}


def _audit_headers() -> dict[str, str]:
    """The audit log's headers in the current language."""
    return {k: _(v) for k, v in AUDIT_COLUMNS.items()}


def _admins_only(scope: Scope) -> None:
    if not scope.can_manage_users():
        st.error(_("Only admins manage users and read the audit log."))
        st.stop()


def users_page(conn: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """List, add or change, and remove users; every change is audited with the admin's email."""
    _admins_only(scope)
    st.title(_("Users"))
    table = service.list_users(conn)
    shown = table[list(USER_COLUMNS)].assign(role=table["role"].map(role_label))
    st.dataframe(
        rtl_columns(shown),
        hide_index=True,
        width="stretch",
        column_config=rtl_column_config(shown, {k: _(v) for k, v in USER_COLUMNS.items()}),
    )
    with st.form("user_add", clear_on_submit=True):
        st.subheader(_("Add or change a user"))
        email = st.text_input(_("Email"), max_chars=254)
        name = st.text_input(_("Display name"), max_chars=120)
        role = st.selectbox(_("Role"), ROLES, help=_(ROLE_HELP), format_func=formatter(role_label))
        manager = st.text_input(
            _("Manager name"),
            max_chars=120,
            help=_("For a manager: the name their clients carry."),
        )
        if st.form_submit_button(_("Save user"), type="primary"):
            try:
                user = service.add_user(conn, email, role, manager, name, by=scope.email)
            except service.UserRefused as exc:
                st.error(_("Not saved."))
                st.text(str(exc))
            else:
                st.success(_("Saved."))
                st.text(f"{user.email}: {role_label(user.role)}")
    active = table.loc[table["active"], "email"].tolist()
    with st.form("user_remove"):
        st.subheader(_("Remove a user"))
        who = st.selectbox(_("User"), active, index=None, placeholder=_("Choose an email"))
        if st.form_submit_button(_("Remove")) and who:
            try:
                service.remove_user(conn, who, by=scope.email)
            except service.UserRefused as exc:
                st.error(_("Not removed."))
                st.text(str(exc))
            else:
                st.success(_("Removed: they can no longer sign in."))


def audit_page(conn: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """The audit log with filters (user, action, dates) and a CSV download of what is shown."""
    _admins_only(scope)
    st.title(_("Audit log"))
    left, middle, right = st.columns(3)
    user = left.text_input(_("User (email)"), max_chars=254)
    action = middle.selectbox(
        _("Action"),
        audit.ACTIONS,
        index=None,
        placeholder=_("Any"),
        format_func=lambda code: label_of(AUDIT_ACTIONS, code),
    )
    today = date.today()
    days = right.date_input(
        _("Between"), (today - timedelta(days=30), today), format=date_column_format()
    )
    since = until = None
    if isinstance(days, tuple) and len(days) == 2:
        since = datetime.combine(days[0], time.min)
        until = datetime.combine(days[1] + timedelta(days=1), time.min)
    frame = audit.as_frame(conn, user=user or None, action=action, since=since, until=until)
    if "action" in frame.columns:  # codes stay stored; the reader sees their words
        frame = frame.assign(action=frame["action"].map(lambda code: label_of(AUDIT_ACTIONS, code)))
    count = len(frame)
    st.caption(ngettext("{n} entry", "{n} entries", count).format(n=fmt_number(count)))
    shown = frame.head(1000)
    st.dataframe(
        rtl_columns(shown),
        hide_index=True,
        width="stretch",
        column_config=rtl_column_config(shown, _audit_headers()),
    )
    st.download_button(
        _("Download (CSV)"),
        data=to_csv_bytes(export_frame(frame, _audit_headers())),
        file_name="audit-log.csv",
        mime="text/csv",
        on_click="ignore",
    )
