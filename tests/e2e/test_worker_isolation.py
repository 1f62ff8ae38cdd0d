"""In Chromium: one user's upload that makes its reading worker die is refused with a clear
message, while another user keeps reading the chart pages, and the server carries on."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support.demo_cache import demo_database

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def small_worker(tmp_path, monkeypatch, request):
    """The app with demo data and a reading worker of 450 MB, the size a 40 MB CSV overruns."""
    shutil.copy(demo_database(), tmp_path / "kam.duckdb")
    monkeypatch.setenv("KAM_READ_MEMORY_MB", "450")
    monkeypatch.setenv("KAM_INBOX", "off")
    return request.getfixturevalue("server")


def big_csv(path, rows: int = 500_000):
    line = b"2024-01-05,Some rather long client name for the test,12345.67,North,Dana\n"
    path.write_bytes(b"Order Date,Customer,Amount,Region,Manager\n" + line * rows)
    return path


def rendered(tab, heading: str) -> float:
    """Seconds until the page's heading is shown and its script run has finished."""
    started = time.perf_counter()
    tab.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    tab.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=90_000)
    return time.perf_counter() - started


def test_a_worker_that_dies_refuses_one_upload_and_other_users_carry_on(
    small_worker, page, tmp_path
):
    server = small_worker
    reader = page.context.browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    reader.set_default_timeout(90_000)
    page.goto(f"{server}/upload")
    page.get_by_text("Upload sales data").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(big_csv(tmp_path / "big.csv")))
    # While that file is being read, the other user opens two chart pages.
    for path, heading in (("abc-xyz", "ABC-XYZ"), ("overview", "Overview")):
        reader.goto(f"{server}/{path}")
        rendered(reader, heading)
        assert not reader.locator("[data-testid=stException]").count()
    refusal = page.get_by_text(re.compile(r"needs more than 450 MB to read"))
    expect(refusal).to_be_visible(timeout=120_000)
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    # The server is up, and both users go on working.
    assert urllib.request.urlopen(f"{server}/_stcore/health", timeout=10).status == 200
    reader.goto(f"{server}/churn")
    rendered(reader, "Churn and win-back")
    page.goto(f"{server}/overview")
    rendered(page, "Overview")
    reader.screenshot(path=str(tmp_path / "reader.png"), full_page=True)
