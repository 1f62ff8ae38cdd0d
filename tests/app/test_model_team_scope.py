"""Team mode on the Churn and Managers pages: a manager edits only their own clients' win-back
status, stamped with their email and audited; an executive reads without editing; a manager sees
the company only as totals."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kam_core.analytics.win_back import win_back_list
from kam_core.services import audit, users
from kam_core.services.scope import client_managers, company_totals
from kam_core.store import connect
from kam_core.store.win_back import read_win_back
from tests.support.apptest import texts
from tests.support.pages import params_of, table_with
from ui.auth import TEST_USER_KEY, SignedIn
from ui.screens import url_path

ROOT = Path(__file__).resolve().parents[2]
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "kam",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
DANA = "Dana Levi"


def _at(email: str, screen: str) -> AppTest:
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.session_state[TEST_USER_KEY] = SignedIn(email)
    at._page_hash = calc_hash(url_path(screen))
    return at.run()


def _users(path: Path) -> None:
    conn = connect(path)
    users.add_user(conn, "dana@x.io", "manager", DANA)
    users.add_user(conn, "exec@x.io", "executive")
    conn.close()


def test_a_manager_sets_win_back_statuses_of_their_own_clients_only(demo_db):
    _users(demo_db)
    conn = connect(demo_db)
    managers = client_managers(conn).set_index("client_id")["manager"]
    conn.close()
    at = _at("dana@x.io", "churn")
    assert not at.exception
    editor = at.data_editor[0]
    shown = editor.value
    assert len(shown) > 0
    assert {managers[c] for c in shown["client_id"]} == {DANA}
    first = shown["client_id"].iloc[0]
    at.session_state[editor.key] = {
        "edited_rows": {0: {"status": "Contacted"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    conn = connect(demo_db)
    stored = read_win_back(conn).set_index("client_id")
    assert stored.loc[first, "status"] == "contacted"
    assert stored.loc[first, "updated_by"] == "dana@x.io"
    entries = audit.read(conn, action="win_back.status")
    conn.close()
    assert entries["user_email"].tolist() == ["dana@x.io"]
    assert entries["target"].tolist() == [first]
    assert entries["detail"].iloc[0] == {"from": "open", "to": "contacted"}


def test_an_executive_reads_the_win_back_list_without_editing(demo_db):
    _users(demo_db)
    at = _at("exec@x.io", "churn")
    assert not at.exception
    conn = connect(demo_db)
    expected = win_back_list(conn, params_of(conn))
    conn.close()
    assert not at.data_editor
    shown = table_with(at, "offer")
    assert shown["client_id"].tolist() == expected["client_id"].tolist()
    assert "only the clients' managers and admins change it" in texts(at)


def test_a_manager_sees_their_portfolio_and_company_totals_only(demo_db):
    _users(demo_db)
    at = _at("dana@x.io", "managers")
    assert not at.exception
    table = table_with(at, "key_clients")
    assert table["manager"].tolist() == [DANA]
    conn = connect(demo_db)
    totals = company_totals(conn, params_of(conn))
    conn.close()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Company clients"] == f"{totals.clients:,}"
    assert "Company totals" in texts(at)
