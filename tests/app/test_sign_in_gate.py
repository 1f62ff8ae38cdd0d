"""The sign-in gate under AppTest: local mode unchanged, team mode shows nothing before sign-in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kam_core.services import users
from kam_core.services.scope import Scope, client_managers
from kam_core.store import connect
from tests.support.apptest import texts
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


def _at(signed_in: SignedIn | None, screen: str = "overview", team: bool = True) -> AppTest:
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if team:
        at.secrets["auth"] = AUTH
    if signed_in is not None:
        at.session_state[TEST_USER_KEY] = signed_in
    at._page_hash = calc_hash(url_path(screen))
    return at.run()


def _users(path: Path) -> None:
    conn = connect(path)
    users.add_user(conn, "boss@x.io", "admin")
    users.add_user(conn, "dana@x.io", "manager", "Dana Levi")
    conn.close()


@pytest.fixture(scope="module")
def team_template(tmp_path_factory, demo_template) -> Path:
    """The demo with an admin and a manager, made once: the tests' copies are identical, so
    the app's results cached for one copy serve the next (each test still has its own file)."""
    path = tmp_path_factory.mktemp("team") / "kam.duckdb"
    shutil.copy(demo_template, path)
    _users(path)
    return path


@pytest.fixture
def team_db(fresh_db, team_template) -> Path:
    """A copy of the team template where the app under test looks (KAM_DB)."""
    shutil.copy(team_template, fresh_db)
    return fresh_db


def test_local_mode_has_no_sign_in_and_the_scope_is_everything(demo_db):
    at = _at(None, team=False)
    assert not at.exception
    assert at.session_state["scope"] == Scope.local()
    assert "Sign in" not in [b.label for b in at.button]


def test_a_visitor_not_signed_in_sees_only_the_sign_in(demo_db):
    at = _at(None, screen="dossier")
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert "C0001" not in texts(at)
    assert not at.dataframe and not at.metric
    assert "scope" not in at.session_state


def test_an_unknown_email_is_asked_to_see_the_admin(team_db):
    at = _at(SignedIn("stranger@x.io"))
    assert "stranger@x.io" in [t.value for t in at.text]
    assert "Ask your admin" in texts(at)
    assert not at.dataframe and not at.metric
    assert [b.label for b in at.button] == ["Sign out"]


def test_a_known_manager_gets_their_scope(team_db):
    at = _at(SignedIn("Dana@X.io"))
    assert not at.exception
    assert at.session_state["scope"] == Scope("manager", "dana@x.io", "Dana Levi")
    assert "Sign out" in [b.label for b in at.button]


def test_the_first_admin_comes_from_the_environment(demo_db, monkeypatch):
    monkeypatch.setenv("KAM_ADMIN_EMAILS", "root@x.io")
    at = _at(SignedIn("root@x.io"))
    assert at.session_state["scope"].role == "admin"


def _owned(path: Path) -> tuple[str, str]:
    """A client of Dana Levi and one of another manager in the demo data."""
    conn = connect(path)
    try:
        frame = client_managers(conn).dropna().sort_values("client_id")
    finally:
        conn.close()
    mine = frame.loc[frame["manager"] == "Dana Levi", "client_id"].iloc[0]
    other = frame.loc[frame["manager"] != "Dana Levi", "client_id"].iloc[0]
    return str(mine), str(other)


def _at_url(signed_in: SignedIn, screen: str, query: dict[str, str]) -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.session_state[TEST_USER_KEY] = signed_in
    for key, value in query.items():
        at.query_params[key] = value
    at._page_hash = calc_hash(url_path(screen))
    return at.run()


def test_a_managers_deep_link_to_another_managers_client_is_refused_with_the_reason(team_db):
    mine, other = _owned(team_db)
    at = _at_url(SignedIn("dana@x.io"), "dossier", {"client": other})
    assert [e.value for e in at.error] == ["This link asks for data you may not see."]
    assert f"Client {other} is not one of your clients" in texts(at)
    assert not at.dataframe and not at.metric
    at = _at_url(SignedIn("dana@x.io"), "dossier", {"client": mine})
    assert not at.error


def test_a_manager_filter_for_another_manager_in_the_url_is_refused(team_db):
    at = _at_url(SignedIn("dana@x.io"), "overview", {"manager": "Avi Peretz"})
    assert "not yours to read" in texts(at)
    assert not at.metric


def test_an_admin_follows_any_deep_link(team_db):
    _mine, other = _owned(team_db)
    at = _at_url(SignedIn("boss@x.io"), "dossier", {"client": other})
    assert not at.error


def _at_path(signed_in: SignedIn, path: str) -> AppTest:
    """The app opened at a URL path that may not be a screen (an admin page, a hidden one)."""
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.session_state[TEST_USER_KEY] = signed_in
    at._page_hash = calc_hash(path)
    return at.run()


def test_a_managers_sidebar_holds_their_own_name_and_nothing_else(team_db):
    at = _at(SignedIn("dana@x.io"))
    assert not at.exception
    manager = at.sidebar.selectbox(key="p_manager")
    assert manager.options == ["Dana Levi"]
    assert manager.value == "Dana Levi"
    assert manager.disabled


def test_a_manager_has_no_settings_and_no_admin_screens(team_db):
    for path in ("settings", "users", "audit"):
        at = _at_path(SignedIn("dana@x.io"), path)
        assert not at.exception
        assert [t.value for t in at.title] != ["Settings"]
        assert not at.number_input, path  # no threshold is offered
        assert "Users" not in [t.value for t in at.title]


def test_an_admin_reaches_users_audit_and_settings(team_db):
    assert _at_path(SignedIn("boss@x.io"), "users").title[0].value == "Users"
    assert _at_path(SignedIn("boss@x.io"), "audit").title[0].value == "Audit log"
    settings = _at_path(SignedIn("boss@x.io"), "settings")
    assert settings.title[0].value == "Settings"
    assert [t.label for t in settings.tabs][-1] == "Access"


def test_changes_are_recorded_as_the_signed_in_email_without_a_name_field(team_db):
    mine, _other = _owned(team_db)
    at = _at_url(SignedIn("dana@x.io"), "dossier", {"client": mine})
    assert not at.exception
    assert not [t for t in at.sidebar.text_input if t.label == "Your name"]
    assert "Changes are recorded as dana" in texts(at)


def _return_scripts(at: AppTest) -> list[str]:
    """The sidebar's scripts that open a link kept from before sign-in."""
    return [e.proto.body for e in at.sidebar.get("html") if "kam_next" in e.proto.body]


def test_the_return_to_a_kept_link_is_sent_on_every_run_of_a_signed_in_session(team_db):
    # The first run after sign-in is the home page, which switches to the Overview at once: a
    # script sent only then may never reach the browser, so every run sends it.
    at = _at(SignedIn("dana@x.io", "Dana"))
    assert not at.exception
    assert len(_return_scripts(at)) == 1
    at.run()
    assert len(_return_scripts(at)) == 1
    assert "location.replace" in _return_scripts(at)[0]


def test_the_return_script_is_not_sent_before_sign_in(demo_db):
    at = _at(None)
    assert _return_scripts(at) == []
