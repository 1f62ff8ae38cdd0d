"""The negotiation brief printed to A4 by Chromium: one page for a typical key client, the
essentials on page 1 when many contacts need a second."""

from __future__ import annotations

import shutil

import pytest

from kam_core import dossier
from kam_core.analytics.client_types import client_types
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve
from kam_core.store import connect
from tests.e2e.conftest import CHROMIUM
from tests.support.demo_cache import demo_database

pytestmark = pytest.mark.e2e

# A typical key client has a handful of people on its decision map; more is "many".
TYPICAL_CONTACTS = 5

if not CHROMIUM.exists():
    pytest.skip(f"Chromium not found at {CHROMIUM}", allow_module_level=True)


def pages(pdf: bytes) -> int:
    """The number of pages of a PDF: its page objects, not the page tree ("/Pages")."""
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "kam.duckdb"
    shutil.copy(demo_database(), path)
    conn = connect(path)
    yield conn
    conn.close()


def key_clients(conn) -> list[str]:
    types = client_types(conn, resolve(conn, AnalysisParams()))
    return sorted(types.loc[types["is_key"], "client_id"])


def contacts_of(conn, client_id: str) -> int:
    sql = "SELECT count(*) FROM contacts WHERE client_id = ?"
    return conn.execute(sql, [client_id]).fetchall()[0][0]


def test_every_typical_key_client_of_the_demo_prints_on_one_a4_page(demo, browser):
    page = browser.new_page()
    counted: dict[str, int] = {}
    for client in key_clients(demo):
        if contacts_of(demo, client) > TYPICAL_CONTACTS:
            continue
        page.set_content(dossier.negotiation_brief(demo, AnalysisParams(), client, "Dana Levi"))
        counted[client] = pages(page.pdf(format="A4"))
    assert len(counted) > 50, "the demo has key clients to print"
    assert any(contacts_of(demo, c) >= 4 for c in counted), "some with a decision map"
    assert {c: n for c, n in counted.items() if n != 1} == {}


def test_many_contacts_go_to_page_two_and_page_one_keeps_the_essentials(demo, browser):
    client = next(c for c in key_clients(demo) if contacts_of(demo, c) >= 3)
    for i in range(14):
        dossier.add(demo, "contact", client, {"name": f"Extra Person {i}", "phone": "+1"}, "t")
    html = dossier.negotiation_brief(demo, AnalysisParams(), client, "Dana Levi")
    page = browser.new_page()
    page.set_content(html)
    assert pages(page.pdf(format="A4")) == 2
    # Laid out as printed: the figures, risks, questions and offers end within page 1
    # (A4 is 297 mm high, less 2 x 8 mm of margins; CSS pixels are 96 per inch).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1062})
    bottom = page.evaluate("document.querySelector('.essentials').getBoundingClientRect().bottom")
    assert bottom < (297 - 16) / 25.4 * 96
    people_top = page.evaluate("document.querySelector('.people').getBoundingClientRect().top")
    assert people_top > bottom


def test_the_brief_in_hebrew_reads_right_to_left_and_still_prints_on_one_page(demo, browser):
    from kam_core.i18n import use_language

    client = next(c for c in key_clients(demo) if 3 <= contacts_of(demo, c) <= TYPICAL_CONTACTS)
    with use_language("he"):
        html = dossier.negotiation_brief(demo, AnalysisParams(), client, "דנה לוי")
    assert '<html lang="he" dir="rtl">' in html
    assert "תדריך למשא ומתן" in html and "Negotiation brief" not in html
    page = browser.new_page()
    page.set_content(html)
    assert pages(page.pdf(format="A4")) == 1
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1062})
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The title starts on the right: its text ends near the right edge of the page body.
    title = page.evaluate(
        "(() => { const r = document.createRange(); r.selectNodeContents("
        "document.querySelector('h1')); const t = r.getBoundingClientRect(); "
        "const b = document.body.getBoundingClientRect(); "
        "return [t.left - b.left, b.right - t.right]; })()"
    )
    assert title[1] < 5 < title[0]
    # A client id stays left to right inside the Hebrew line.
    assert page.evaluate("getComputedStyle(document.querySelector('.ltr')).direction") == "ltr"
