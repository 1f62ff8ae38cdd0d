"""A sales manager marks a client on the win-back list, reloads, and exports the list."""

from __future__ import annotations

import re
import shutil
import time

import openpyxl
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.analytics.win_back import win_back_list
from kam_core.demo import demo_sales
from kam_core.store import connect
from tests.support.demo_cache import demo_database

# Columns of the editor, left to right: the status is the third (index 2).
STATUS_COLUMN = 2
HEADER_HEIGHT = ROW_HEIGHT = 35


def expected_list(tmp_path):
    """The win-back list kam_core computes from the demo data with the page's defaults."""
    shutil.copy(demo_database(), tmp_path / "expected.duckdb")
    conn = connect(tmp_path / "expected.duckdb")
    as_of = demo_sales()["order_date"].max().date()
    frame = win_back_list(conn, AnalysisParams(as_of=as_of, thresholds=load_thresholds(conn)))
    conn.close()
    return frame


def editor(page):
    # The editor's key changes after each save (win_back_editor:<version>:<list digest>).
    return page.locator("[class*='st-key-win_back_editor'] .stDataFrame")


def expect_status(page, text: str, row: int = 0, timeout: float = 60.0) -> None:
    """Wait until a status cell's accessible copy (the grid is drawn on a canvas) reads text.

    The grid fills its accessible copy only while it is on screen, so it is scrolled to; a
    rerun may replace the editor between finding and scrolling it: then it is found again.
    """
    deadline = time.monotonic() + timeout
    while True:
        grid = editor(page)
        try:
            expect(grid).to_have_count(
                1, timeout=10_000
            )  # an old editor lingers until a rerun ends
            grid.scroll_into_view_if_needed(timeout=10_000)
            cell = grid.locator(f"#glide-cell-{STATUS_COLUMN}-{row}")
            expect(cell).to_have_text(text, timeout=10_000)
            return
        except (AssertionError, PlaywrightError):
            if time.monotonic() > deadline:
                raise


def set_status(page, status: str) -> None:
    """Open the first row's status cell with the keyboard and pick a status."""
    grid = editor(page)
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 30, "y": HEADER_HEIGHT + ROW_HEIGHT // 2})  # first row's id
    for _ in range(STATUS_COLUMN):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.get_by_role("option", name=status, exact=True).click()


def test_change_a_win_back_status_reload_and_export_the_list(server, page, tmp_path):
    try:
        _journey(server, page, tmp_path)
    except BaseException:  # a screenshot shows where the journey stopped
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise


def _journey(server, page, tmp_path) -> None:
    expected = expected_list(tmp_path)
    first = expected.iloc[0]

    page.goto(f"{server}/churn")
    page.get_by_role("button", name="Load demo data").click()
    expect(page.get_by_role("heading", name="Win-back list")).to_be_visible(timeout=60_000)
    expect_status(page, "Open")

    page.get_by_label("Your name", exact=True).fill("Dana")
    page.get_by_label("Your name", exact=True).press("Enter")
    set_status(page, "Contacted")
    # The name is wrapped in bidi isolates (a Hebrew name keeps its order in the sentence).
    saved = rf"Saved: \W?{re.escape(first['client_name'])}\W? \({re.escape(first['client_id'])}\)"
    expect(page.get_by_text(re.compile(saved))).to_be_visible()
    expect_status(page, "Contacted")
    page.screenshot(path=str(tmp_path / "win-back-saved.png"), full_page=True)

    page.reload()
    expect(page.get_by_role("heading", name="Win-back list")).to_be_visible(timeout=60_000)
    expect_status(page, "Contacted")

    button = page.locator(".st-key-win_back-xlsx button")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "win-back-list.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    assert [r[col["Client ID"]] for r in body] == expected["client_id"].tolist()
    assert [r[col["Suggested offer"]] for r in body] == expected["offer"].tolist()
    # The export speaks the reader's language: status labels, not codes.
    statuses = {r[col["Client ID"]]: r[col["Win-back status"]] for r in body}
    assert statuses[first["client_id"]] == "Contacted"
    assert {s for c, s in statuses.items() if c != first["client_id"]} == {"Open"}
    assert body[0][col["Status set by"]] == "Dana"
