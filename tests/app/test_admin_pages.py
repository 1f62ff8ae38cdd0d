"""The Users page and the audit log under AppTest: admins only, changes audited."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from kam_core.services import audit, users
from kam_core.store import connect
from tests.support.apptest import texts


def _users_app(role: str) -> None:
    from kam_core.config import db_path
    from kam_core.services.scope import Scope
    from kam_core.store import connect
    from ui.admin import users_page

    scope = Scope(role, f"{role}@x.io", "Dana" if role == "manager" else None)
    users_page(connect(db_path()), scope)


def _audit_app() -> None:
    from kam_core.config import db_path
    from kam_core.services.scope import Scope
    from kam_core.store import connect
    from ui.admin import audit_page

    audit_page(connect(db_path()), Scope("admin", "admin@x.io"))


def _run(func, *args) -> AppTest:
    st.cache_resource.clear()
    return AppTest.from_function(func, args=args, default_timeout=60).run()


def test_an_admin_adds_a_manager_and_the_change_is_audited_with_their_email(fresh_db):
    at = _run(_users_app, "admin")
    at.text_input[0].input("Dana@X.io")
    at.text_input[1].input("Dana")
    at.selectbox[0].select("manager")
    at.text_input[2].input("Dana Levi")
    at.button[0].click().run()
    assert "Saved." in texts(at)
    conn = connect(fresh_db)
    try:
        assert users.find_user(conn, "dana@x.io").manager_name == "Dana Levi"
        entry = audit.read(conn, action="user.add")
        assert entry["user_email"].tolist() == ["admin@x.io"]
    finally:
        conn.close()


def test_a_manager_without_a_manager_name_is_refused_with_the_reason(fresh_db):
    at = _run(_users_app, "admin")
    at.text_input[0].input("m@x.io")
    at.selectbox[0].select("manager")
    at.button[0].click().run()
    assert "a manager needs a manager name" in texts(at)


def test_executives_and_managers_cannot_open_the_users_page(fresh_db):
    for role in ("executive", "manager"):
        at = _run(_users_app, role)
        assert [e.value for e in at.error] == ["Only admins manage users and read the audit log."]
        assert not at.dataframe and not at.text_input


def test_the_audit_log_filters_by_action(fresh_db):
    conn = connect(fresh_db)
    audit.record(conn, "a@x.io", "export", "churn", {"rows": 3})
    audit.record(conn, "b@x.io", "user.add", "c@x.io")
    conn.close()
    at = _run(_audit_app)
    assert "2 entries" in texts(at)
    at.selectbox[0].select("export").run()
    assert "1 entry" in texts(at)
    assert at.dataframe[0].value["user"].tolist() == ["a@x.io"]
