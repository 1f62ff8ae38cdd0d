"""A sales manager uploads a workbook, opens the ABC-XYZ matrix, clicks a cell, opens a client
from it, comes back and tries other thresholds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kam_core.config import DEMO_DIR
from kam_core.demo import DEMO_WORKBOOK_NAME
from tests.support.browser import click_until

pytestmark = pytest.mark.e2e
LONG = 60_000  # ms: the first analytics run of a fresh server takes a few seconds


def upload(page: Page, server: str) -> None:
    """Import the demo workbook through the Upload page."""
    page.goto(f"{server}/upload")
    page.get_by_text("Upload sales data").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(DEMO_DIR / DEMO_WORKBOOK_NAME))
    expect(page.get_by_text("Rows read")).to_be_visible(timeout=LONG)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(re.compile(r"Import #1: [\d,]+ new rows"))).to_be_visible(timeout=LONG)


def matrix_texts(page: Page) -> list[str]:
    """The nine cells' labels as the browser draws them (cell, clients, share)."""
    cells = page.locator(".stPlotlyChart").first.locator("g.textpoint text")
    expect(cells).to_have_count(9, timeout=LONG)
    return [t.text_content() or "" for t in cells.all()]


def click_cell(page: Page, index: int) -> None:
    """A real mouse click in the middle of one cell's square marker."""
    point = page.locator(".stPlotlyChart").first.locator("g.trace.scatter path.point").nth(index)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None and box["width"] > 50  # the square, not a dot
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def choose(page: Page, box: str, option: str) -> None:
    """Pick an option of a select box, retrying while a rerun replaces the widget."""
    wanted = page.get_by_role("option", name=option)
    click_until(lambda: page.get_by_role("combobox", name=box).click(), wanted)
    wanted.click()


def test_click_a_matrix_cell_open_a_client_and_try_other_thresholds(server, page, tmp_path):
    upload(page, server)

    page.goto(f"{server}/abc-xyz")
    expect(page.get_by_role("heading", name="ABC-XYZ")).to_be_visible(timeout=LONG)
    texts = matrix_texts(page)
    index = next(i for i, t in enumerate(texts) if not t[2:].startswith("0 clients"))
    cell, clients = texts[index][:2], int(re.match(r"[A-Z]{2}([\d,]+) clients", texts[index])
                                          .group(1).replace(",", ""))  # fmt: skip
    click_cell(page, index)
    expect(page.get_by_role("heading", name=f"Clients in {cell}")).to_be_visible(timeout=LONG)
    page.wait_for_url(re.compile(rf"cell={cell}"), timeout=LONG)
    metric = page.locator("[data-testid=stMetric]", has_text=f"Clients in {cell}")
    expect(metric).to_contain_text(f"{clients:,}")
    page.screenshot(path=str(tmp_path / "matrix-cell.png"), full_page=True)

    # A click on the first row of the cell's client table opens that client's dossier.
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the row selector of row 1
    page.wait_for_url(re.compile(r"/dossier\?client="), timeout=LONG)
    expect(page.get_by_role("heading", name="Client dossier")).to_be_visible(timeout=LONG)
    client = re.search(r"client=([^&]+)", page.url).group(1)
    expect(page.get_by_text(client).first).to_be_visible(timeout=LONG)

    # Back to the matrix: the chosen cell is still there.
    page.go_back()
    expect(page.get_by_role("heading", name=f"Clients in {cell}")).to_be_visible(timeout=LONG)
    before = matrix_texts(page)

    # The presets belong to the stability method; the method in force is frequency.
    page.get_by_text("Stability of revenue", exact=True).click()
    expect(page.get_by_role("combobox", name="Preset")).to_be_visible(timeout=LONG)
    choose(page, "Preset", "Classic: 0.10 / 0.25")
    expect(page.get_by_text("These are what-if thresholds")).to_be_visible(timeout=LONG)
    expect(page.get_by_text(re.compile(r"[\d,]+ of [\d,]+ clients change cell"))).to_be_visible()
    page.wait_for_url(re.compile(r"preset=classic"), timeout=LONG)
    after = matrix_texts(page)
    for _ in range(60):  # the figure is redrawn a moment after the caption
        if after != before:
            break
        page.wait_for_timeout(500)
        after = matrix_texts(page)
    assert after != before
    assert any(re.search(r"\([+-]\d", t) for t in after)  # a cell shows its gain or loss
    page.screenshot(path=str(tmp_path / "matrix-what-if.png"), full_page=True)
