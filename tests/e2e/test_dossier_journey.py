"""A key account manager opens a client's dossier from the ABC-XYZ matrix, edits the profile,
adds a person to the decision map and downloads the negotiation brief."""

from __future__ import annotations

import html
import re
import shutil

from playwright.sync_api import expect

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.params import AnalysisParams
from kam_core.demo import demo_sales
from kam_core.store import connect
from tests.support.browser import click_until
from tests.support.demo_cache import demo_database

HEADER_HEIGHT = ROW_HEIGHT = 35
CONTACT = "Zoë <Procurement> & Co"


def first_client_in(cell: str, tmp_path) -> str:
    """The client the AX list shows first, as kam_core computes it from the demo data."""
    shutil.copy(demo_database(), tmp_path / "expected.duckdb")
    conn = connect(tmp_path / "expected.duckdb")
    clients = abc_xyz(conn, AnalysisParams()).clients
    conn.close()
    return str(clients[clients["cell"] == cell]["client_id"].iloc[0])


def pick_cell(page, cell: str) -> None:
    """Choose a cell with the page's own cell picker, as a keyboard user does."""
    wanted = page.get_by_role("option", name=re.compile(rf"^{cell}: "))
    click_until(lambda: page.get_by_role("combobox", name="Cell").click(), wanted)
    wanted.click()


def open_tab(page, name: str, shown) -> None:
    """Open a tab and wait for what it shows."""
    click_until(lambda: page.get_by_role("tab", name=name).click(), shown, timeout=10_000)


def test_prepare_a_negotiation_from_the_matrix_to_the_brief(server, page, tmp_path):
    client = first_client_in("AX", tmp_path)
    name = demo_sales().set_index("client_id").loc[client, "client_name"].iloc[0]

    page.goto(f"{server}/abc-xyz")
    page.get_by_role("button", name="Load demo data").click()
    # Loading the demo and the first analytics run of a fresh server take a while.
    expect(page.get_by_role("combobox", name="Cell")).to_be_visible(timeout=120_000)
    pick_cell(page, "AX")
    expect(page.get_by_role("heading", name="Clients in AX")).to_be_visible()
    grid = page.locator(".st-key-abc_cell_clients .stDataFrame")
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 15, "y": HEADER_HEIGHT + ROW_HEIGHT // 2})  # the row's marker

    expect(page).to_have_url(re.compile(rf"/dossier\?client={client}"), timeout=30_000)
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Revenue in the window")).to_be_visible()
    page.screenshot(path=str(tmp_path / "dossier-opened.png"), full_page=True)

    page.get_by_label("Your name", exact=True).fill("Dana Levi")
    page.get_by_label("Your name", exact=True).press("Enter")
    industry = page.get_by_label("Industry", exact=True)
    open_tab(page, "Profile", industry)
    industry.fill("Pharma and biotech")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    adder = page.get_by_test_id("stExpander").filter(has_text="Add a contact")
    open_tab(page, "Decision map", adder)
    adder.get_by_text("Add a contact").click()
    adder.get_by_label("Name *").fill(CONTACT)
    adder.get_by_label("Job title").fill("Head of purchasing")
    adder.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added.")).to_be_visible()
    expect(page.locator(".js-plotly-plot text", has_text=CONTACT)).to_have_count(1)
    page.screenshot(path=str(tmp_path / "dossier-decision-map.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("button", name="Negotiation brief").click()
    download = info.value
    assert download.suggested_filename == f"negotiation-brief-{client}.html"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    brief = path.read_text(encoding="utf-8")
    assert f"Negotiation brief: {html.escape(name)}" in brief
    assert html.escape(CONTACT) in brief
    assert CONTACT not in brief  # the raw angle brackets never reach the page
    assert "Dana Levi" in brief

    page.reload()  # what was saved is what a reload shows
    page.get_by_role("tab", name="Profile").click()
    expect(page.get_by_label("Industry", exact=True)).to_have_value("Pharma and biotech")
