"""Every page in Hebrew in Chromium: right to left, a client table's first column on the right,
a mixed Hebrew/English client name in reading order, and the language switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kam_core.demo import demo_sales
from kam_core.i18n import use_language
from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.vocabulary import header
from tests.e2e.conftest import serve

pytestmark = pytest.mark.e2e
LONG = 120_000  # ms: a fresh server's first analytics run on a loaded machine
CLIENT = "C0283"  # a key client the demo data turns at risk: the Overview's alert table shows it
HEBREW_PART, ENGLISH_PART = "סאנרייז", "Construction"
MIXED = f'{HEBREW_PART} {ENGLISH_PART} בע"מ'
PATHS = ["overview", "upload", "abc-xyz", "types", "churn", "managers", "dossier", "settings"]


@pytest.fixture(scope="module")
def hebrew_server(tmp_path_factory) -> Iterator[str]:
    """The app over the demo sales, one client named in Hebrew and English, imported as CSV."""
    # One server for the module: no test here changes the data (the switch is the session's).
    folder = tmp_path_factory.mktemp("rtl")
    frame = demo_sales()
    frame.loc[frame["client_id"] == CLIENT, "client_name"] = MIXED
    conn = connect(folder / "kam.duckdb")
    try:
        import_file(conn, frame.to_csv(index=False).encode(), "sales-he.csv")
    finally:
        conn.close()
    with serve(folder / "kam.duckdb", folder) as url:
        yield url


def _direction(page: Page) -> str:
    return page.eval_on_selector('[data-testid="stMain"]', "e => getComputedStyle(e).direction")


def _open(page: Page, url: str, settle: bool = True) -> None:
    page.goto(url)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=LONG)
    if not settle:
        return
    # Done when no element is still a loading placeholder.
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=LONG)


def _finished(page: Page) -> None:
    """Wait until the page's script run has ended."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=LONG)


def test_every_page_in_hebrew_reads_right_to_left(hebrew_server, page, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    for path in PATHS:
        query = f"client={CLIENT}&lang=he" if path == "dossier" else "lang=he"
        _open(page, f"{hebrew_server}/{path}?{query}")
        assert _direction(page) == "rtl", path
        assert "lang=he" in page.url, path
        page.screenshot(path=str(shots / f"{path}-he.png"), full_page=True)
    assert len(list(shots.glob("*.png"))) == len(PATHS)


def test_a_client_table_starts_on_the_right_with_the_client_id(hebrew_server, page):
    _open(page, f"{hebrew_server}/overview?lang=he")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=LONG)
    with use_language("he"):
        client_id = header("client_id")
    headers = table.locator('[role="columnheader"]')
    expect(headers.filter(has_text=client_id)).to_have_count(1, timeout=LONG)
    found = headers.evaluate_all(
        "hs => hs.map(h => [Number(h.getAttribute('aria-colindex')), h.textContent])"
    )
    # The grid draws columns left to right by index: the client id is the last, the right one.
    assert max(found)[1] == client_id
    scroll = table.locator(".dvn-scroller").first.evaluate(
        "s => [s.scrollLeft, s.scrollWidth, s.clientWidth]"
    )
    left, width, visible = scroll
    assert width <= visible or left + visible >= width - 2  # a wide table opens at its right end


def test_a_mixed_hebrew_and_english_name_reads_in_order(hebrew_server, page):
    _open(page, f"{hebrew_server}/dossier?client={CLIENT}&lang=he", settle=False)
    name = page.locator('[data-testid="stMain"] h2', has_text=ENGLISH_PART).first
    expect(name).to_be_visible(timeout=LONG)
    assert HEBREW_PART in name.inner_text()
    # The header can show before the run has put the direction's style sheet on the page.
    _finished(page)
    expect(page.get_by_test_id("stMain")).to_have_css("direction", "rtl", timeout=LONG)
    # In a right-to-left line the Hebrew word, written first, stands to the right of the English.
    hebrew_x, english_x = name.evaluate(
        """(el, words) => words.map((word) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const at = node.textContent.indexOf(word);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    return range.getBoundingClientRect().x;
                }
            }
            return null;
        })""",
        [HEBREW_PART, ENGLISH_PART],
    )
    assert hebrew_x is not None and english_x is not None
    assert hebrew_x > english_x


def test_the_switch_turns_the_page_back_to_english(hebrew_server, page):
    _open(page, f"{hebrew_server}/settings?lang=he")
    assert _direction(page) == "rtl"
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Settings", timeout=LONG)
    # The title changes before the run ends and the old direction's style sheet goes.
    expect(page.get_by_test_id("stMain")).to_have_css("direction", "ltr", timeout=LONG)
    assert "lang=en" in page.url


def _after(page: Page, selector: str) -> list[str]:
    """An element's own font size and the text its ::after shows."""
    return page.eval_on_selector(
        selector,
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]",
    )


def test_the_file_uploader_speaks_hebrew(hebrew_server, page):
    # Streamlit has no API for the uploader's own words: the frame's style sheet hides them and
    # shows the Hebrew in their place.
    _open(page, f"{hebrew_server}/upload?lang=he")
    zone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    zone.wait_for(timeout=LONG)
    button = '[data-testid="stFileUploaderDropzone"] button p'
    assert _after(page, button) == ["0px", '"בחירת קובץ"']
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    assert _after(page, instructions) == ["0px", '"עד 200 מ״ב לקובץ"']
    # While a file is dragged over it.
    files = page.evaluate_handle(
        "() => { const d = new DataTransfer();"
        " d.items.add(new File(['a'], 'a.csv', {type: 'text/csv'})); return d; }"
    )
    zone.dispatch_event("dragenter", {"dataTransfer": files})
    overlay = '[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span'
    page.locator(overlay).wait_for(timeout=10_000)
    assert _after(page, overlay) == ["0px", '"שחררו את הקובץ כאן"']
