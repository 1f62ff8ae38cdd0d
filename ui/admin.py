"""Admin screens of team mode: the Users page and the audit log; admins only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import duckdb
import streamlit as st

from kam_core.export import to_csv_bytes
from kam_core.services import audit
from kam_core.services import users as service
from kam_core.services.scope import ROLES, Scope

ROLE_HELP = (
    "admin: everything, including users; executive: reads everything, changes nothing; "
    "manager: their own clients (by manager name)."
)


def _admins_only(scope: Scope) -> None:
    if not scope.can_manage_users():
        st.error("Only admins manage users and read the audit log.")
        st.stop()


def users_page(conn: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """List, add or change, and remove users; every change is audited with the admin's email."""
    _admins_only(scope)
    st.title("Users")
    table = service.list_users(conn)
    st.dataframe(
        table[["email", "display_name", "role", "manager_name", "active", "updated_by"]],
        hide_index=True,
        width="stretch",
    )
    with st.form("user_add", clear_on_submit=True):
        st.subheader("Add or change a user")
        email = st.text_input("Email", max_chars=254)
        name = st.text_input("Display name", max_chars=120)
        role = st.selectbox("Role", ROLES, help=ROLE_HELP)
        manager = st.text_input(
            "Manager name", max_chars=120, help="For a manager: the name their clients carry."
        )
        if st.form_submit_button("Save user", type="primary"):
            try:
                user = service.add_user(conn, email, role, manager, name, by=scope.email)
            except service.UserRefused as exc:
                st.error("Not saved.")
                st.text(str(exc))
            else:
                st.success("Saved.")
                st.text(f"{user.email}: {user.role}")
    active = table.loc[table["active"], "email"].tolist()
    with st.form("user_remove"):
        st.subheader("Remove a user")
        who = st.selectbox("User", active, index=None, placeholder="Choose an email")
        if st.form_submit_button("Remove") and who:
            try:
                service.remove_user(conn, who, by=scope.email)
            except service.UserRefused as exc:
                st.error("Not removed.")
                st.text(str(exc))
            else:
                st.success("Removed: they can no longer sign in.")


def audit_page(conn: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """The audit log with filters (user, action, dates) and a CSV download of what is shown."""
    _admins_only(scope)
    st.title("Audit log")
    left, middle, right = st.columns(3)
    user = left.text_input("User (email)", max_chars=254)
    action = middle.selectbox("Action", audit.ACTIONS, index=None, placeholder="Any")
    today = date.today()
    days = right.date_input("Between", (today - timedelta(days=30), today))
    since = until = None
    if isinstance(days, tuple) and len(days) == 2:
        since = datetime.combine(days[0], time.min)
        until = datetime.combine(days[1] + timedelta(days=1), time.min)
    frame = audit.as_frame(conn, user=user or None, action=action, since=since, until=until)
    st.caption(f"{len(frame):,} " + ("entry" if len(frame) == 1 else "entries"))
    st.dataframe(frame.head(1000), hide_index=True, width="stretch")
    st.download_button(
        "Download (CSV)",
        data=to_csv_bytes(frame),
        file_name="audit-log.csv",
        mime="text/csv",
        on_click="ignore",
    )
