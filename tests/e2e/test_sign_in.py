"""Team mode in a real browser: sign-in through a local OpenID Connect provider, per role."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from kam_core.services import users
from kam_core.services.scope import client_managers
from kam_core.store import connect
from tests.e2e.conftest import CHROMIUM, free_port, serve
from tests.support.demo_cache import demo_database

pytestmark = pytest.mark.e2e

ADMIN, EXECUTIVE, MANAGER, STRANGER = (
    "boss@example.com",
    "cfo@example.com",
    "dana@example.com",
    "stranger@example.com",
)

if not CHROMIUM.exists():
    pytest.skip(f"Chromium not found at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def provider():
    """A local OpenID Connect provider knowing each test person's email."""
    from oidc_provider_mock import User, run_server_in_thread

    people = [
        User(sub=e, claims={"email": e, "name": e.split("@")[0]})
        for e in (ADMIN, EXECUTIVE, MANAGER, STRANGER)
    ]
    with run_server_in_thread(port=free_port(), user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def team_app(tmp_path_factory, provider):
    """The app in team mode on the demo data, with an admin, an executive and a manager."""
    folder = tmp_path_factory.mktemp("team")
    db = folder / "kam.duckdb"
    shutil.copy(demo_database(), db)
    conn = connect(db)
    users.add_user(conn, ADMIN, "admin", display_name="Boss")
    users.add_user(conn, EXECUTIVE, "executive", display_name="Chief")
    users.add_user(conn, MANAGER, "manager", "Dana Levi", "Dana")
    managers = client_managers(conn).dropna().sort_values("client_id")
    conn.close()
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{"s" * 40}"\n'
        'client_id = "kam-analytics"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = {**os.environ, "KAM_INBOX": str(folder / "inbox")}
    env.pop("KAM_ADMIN_EMAILS", None)
    try:
        with serve(db, folder, "--secrets.files", str(secrets), env=env, port=port) as url:
            yield {
                "url": url,
                "mine": str(managers.loc[managers["manager"] == "Dana Levi", "client_id"].iloc[0]),
                "other": str(managers.loc[managers["manager"] != "Dana Levi", "client_id"].iloc[0]),
                "shots": folder,
            }
    finally:
        shutil.copy(folder / "server.log", folder / "server-final.log")


@pytest.fixture
def browser(browser):
    """The shared Chromium; each page a test opens has its own context: it starts signed out."""
    # A first run of a page on a busy machine takes longer than the 5 s expect waits by default.
    expect.set_options(timeout=45_000)
    yield browser
    expect.set_options(timeout=5_000)


def _page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    return page


def sign_in(page, app: dict, email: str, known: bool = True) -> None:
    """Press Sign in, type the email as the provider's subject, authorize."""
    page.goto(app["url"])
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(app["url"])))
    # The sign-in page remembers a deep link it was opened at (not the home page, whatever
    # language its address names) and a user's first signed-in page goes back there, taking it
    # out of the tab's storage: a link opened before that return would be overtaken by it.
    if known:
        page.wait_for_function("sessionStorage.getItem('kam_next') === null")
        page.wait_for_load_state()


def signed_in(name: str, role: str) -> re.Pattern:
    """The sidebar's line for a signed-in person (the name sits in direction isolates)."""
    return re.compile(rf"Signed in: \u2068?{name}\u2069? \({role}\)")


def shot(page, app: dict, name: str) -> None:
    """A screenshot of the window for the report (a loaded machine draws slowly: wait longer)."""
    page.screenshot(path=str(app["shots"] / name), timeout=180_000)


def open_dossier(page, app: dict, client: str) -> None:
    """Open a client's dossier by its URL and wait until its header shows."""
    # The page left writes its parameters to the URL while it runs: wait for its run to end.
    expect(page).to_have_url(re.compile(r"[?&]lang=\w+"))
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    page.goto(f"{app['url']}/dossier?client={client}")
    expect(page.get_by_text(re.compile(rf"ID {client}\b")).first).to_be_visible()
    expect(page.get_by_text("This link asks for data you may not see.")).to_have_count(0)


def test_a_visitor_not_signed_in_sees_only_the_sign_in_even_on_a_deep_link(browser, team_app):
    page = _page(browser)
    for path in ("/", "/dossier?client=C0001", "/managers?manager=Dana+Levi"):
        page.goto(team_app["url"] + path)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        body = page.locator("body").inner_text()
        assert "C0001" not in body and "Dana" not in body and "Revenue" not in body
    assert page.locator("[data-testid=stSidebarNav]").count() == 0
    shot(page, team_app, "signed-out.png")


def test_the_admin_signs_in_and_sees_the_dashboard(browser, team_app):
    page = _page(browser)
    sign_in(page, team_app, ADMIN)
    expect(page.get_by_text(signed_in("Boss", "admin"))).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    open_dossier(page, team_app, team_app["other"])
    shot(page, team_app, "admin.png")


def test_the_executive_signs_in_and_reads_any_client(browser, team_app):
    page = _page(browser)
    sign_in(page, team_app, EXECUTIVE)
    expect(page.get_by_text(signed_in("Chief", "executive"))).to_be_visible()
    open_dossier(page, team_app, team_app["other"])
    shot(page, team_app, "executive.png")


def test_a_manager_is_refused_another_managers_client_by_url_with_the_reason(browser, team_app):
    page = _page(browser)
    sign_in(page, team_app, MANAGER)
    expect(page.get_by_text(signed_in("Dana", "manager"))).to_be_visible()
    page.goto(f"{team_app['url']}/dossier?client={team_app['other']}")
    expect(page.get_by_text("This link asks for data you may not see.")).to_be_visible()
    expect(
        page.get_by_text(f"Client {team_app['other']} is not one of your clients")
    ).to_be_visible()
    shot(page, team_app, "manager-refused.png")
    page.goto(f"{team_app['url']}/overview?manager=Avi+Peretz")
    expect(page.get_by_text("not yours to read")).to_be_visible()
    open_dossier(page, team_app, team_app["mine"])
    shot(page, team_app, "manager-own.png")


def test_an_unknown_email_is_told_to_ask_the_admin(browser, team_app):
    page = _page(browser)
    sign_in(page, team_app, STRANGER, known=False)  # stopped before any return
    expect(page.get_by_text("Ask your admin")).to_be_visible()
    expect(page.get_by_text(STRANGER)).to_be_visible()
    assert "Revenue" not in page.locator("body").inner_text()
    shot(page, team_app, "unknown.png")


def test_a_deep_link_opened_before_sign_in_opens_after_it(browser, team_app):
    page = _page(browser)
    page.goto(f"{team_app['url']}/dossier?client={team_app['mine']}")
    # The sign-in page keeps the link in the tab before the click leaves it.
    page.wait_for_function("(sessionStorage.getItem('kam_next') || '').startsWith('/dossier')")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(MANAGER)
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(re.compile(rf"/dossier\?client={team_app['mine']}(&lang=\w+)?$"))
    expect(page.get_by_text(re.compile(rf"ID {team_app['mine']}\b")).first).to_be_visible()
    shot(page, team_app, "deep-link-after-sign-in.png")


def _nav(page) -> str:
    """The sidebar's navigation as read."""
    nav = page.locator("[data-testid=stSidebarNav]")
    expect(nav).to_be_visible()
    return nav.inner_text()


def test_the_upload_page_is_each_roles_as_the_admin_allows(browser, team_app, tmp_path):
    # Runs last in the module: managers are allowed to upload at its end.
    executive = _page(browser)
    sign_in(executive, team_app, EXECUTIVE)
    expect(executive.get_by_text(signed_in("Chief", "executive"))).to_be_visible()
    assert "Upload" not in _nav(executive)
    executive.goto(f"{team_app['url']}/upload")
    expect(executive.get_by_text(signed_in("Chief", "executive"))).to_be_visible()
    expect(executive.locator("input[type=file]")).to_have_count(0)
    manager = _page(browser)
    sign_in(manager, team_app, MANAGER)
    assert "Upload" not in _nav(manager)

    # The admin uploads a file with one bad row, sees it named, imports the rest.
    sales = tmp_path / "quarter.csv"
    sales.write_text(
        "Order Date,Customer,Amount\n"
        "2024-03-01,Upload Test One,100\n"
        "2024-03-02,Upload Test Two,250\n"
        "2024-13-45,Upload Test Three,75\n"
    )
    admin = _page(browser)
    sign_in(admin, team_app, ADMIN)
    assert "Upload" in _nav(admin)
    admin.goto(f"{team_app['url']}/upload")
    admin.locator("input[type=file]").set_input_files(str(sales))
    expect(admin.get_by_text("Rows read")).to_be_visible()
    # The rejected row's value sits in the rejected rows' table (a grid drawn on a canvas).
    expect(admin.get_by_text("2024-13-45").first).to_be_attached()
    admin.get_by_role("button", name="Import", exact=True).click()
    result = admin.get_by_text(re.compile(r"Import #\d+: 2 new rows"))
    expect(result).to_be_visible()
    assert "1 rejected" in result.inner_text()
    shot(admin, team_app, "upload-admin.png")

    # Allowed in the settings, a manager signing in next gets the page.
    admin.goto(f"{team_app['url']}/settings")
    admin.get_by_role("tab", name="Access").click()
    admin.get_by_text("Managers may upload sales files").click()
    expect(admin.get_by_text("Saved: who may upload.")).to_be_visible()
    manager = _page(browser)
    sign_in(manager, team_app, MANAGER)
    assert "Upload" in _nav(manager)
    manager.goto(f"{team_app['url']}/upload")
    expect(manager.locator("input[type=file]")).to_have_count(1)
    expect(manager.get_by_text(signed_in("Dana", "manager"))).to_be_visible()
    shot(manager, team_app, "upload-manager.png")
