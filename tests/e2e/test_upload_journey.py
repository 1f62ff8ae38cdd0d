"""A sales manager uploads a Hebrew quarterly report through the browser and imports it."""

from playwright.sync_api import expect

from tests.support.workbooks import HEBREW_EXPECTED, hebrew_quarterly_report


def test_upload_a_workbook_through_the_browser(server, page, tmp_path):
    path = hebrew_quarterly_report(tmp_path / "דוח רבעון 1.xlsx")
    page.goto(f"{server}/upload")
    page.get_by_text("Upload sales data").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(path))
    expect(page.get_by_text(f"Header found on row {HEBREW_EXPECTED['header_row']}")).to_be_visible()
    expect(page.get_by_text("Rows read")).to_be_visible()
    page.screenshot(path=str(tmp_path / "upload-checked.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Import #1: 4 new rows")).to_be_visible()
    page.screenshot(path=str(tmp_path / "upload-imported.png"), full_page=True)

    page.goto(server)
    clients = page.locator("[data-testid=stMetric]").filter(
        has=page.get_by_text("Clients", exact=True)
    )
    # The four rows span January to March 2024: all in the default 12-month window.
    expect(clients.locator("[data-testid=stMetricValue]")).to_have_text("3")


def test_a_deep_link_as_the_first_visit_opens_the_page_inside_the_app(server, page):
    page.goto(f"{server}/dossier?client=C0001")
    expect(page.get_by_role("heading", name="Client dossier")).to_be_visible()
    # The app's own navigation, not a list of file names, proves app.py routed the visit.
    expect(page.get_by_text("Churn and win-back")).to_be_visible()
    expect(page.get_by_text("There is no sales data yet")).to_be_visible()
