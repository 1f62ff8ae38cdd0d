"""Every page renders on an empty database and on the demo data, without an exception."""

import pytest

from kam_core.demo import demo_sales
from kam_core.store import connect
from tests.support.apptest import app_at, texts

PAGES = [
    "overview",
    "upload",
    "abc_xyz",
    "types",
    "churn",
    "managers",
    "dossier",
    "settings",
]


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("upload", "settings")])
def test_page_on_an_empty_database_says_how_to_get_data(page):
    at = app_at(page)
    assert not at.exception
    assert "There is no sales data yet" in texts(at)
    assert any(b.label == "Load demo data" for b in at.button)


@pytest.mark.slow
def test_load_demo_button_fills_the_database_and_the_overview_shows_it():
    at = app_at("overview")
    next(b for b in at.button if b.label == "Load demo data").click()
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    frame = demo_sales()
    in_window = frame[frame["order_date"] >= "2025-01-01"]  # the default 12-month window
    assert metrics["Clients"] == f"{in_window['client_id'].nunique():,}"


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_the_demo_data(page, demo_db):
    at = app_at(page)
    assert not at.exception


def test_overview_revenue_is_the_demo_revenue_of_the_last_twelve_months(demo_db):
    frame = demo_sales()
    in_window = frame[frame["order_date"] >= "2025-01-01"]
    at = app_at("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Revenue"] == f"₪{in_window['revenue'].sum():,.0f}"


def test_dossier_deep_link_opens_the_clients_sales_history(demo_db):
    frame = demo_sales()
    client = frame.groupby("client_id")["revenue"].sum().idxmax()
    at = app_at("dossier", query={"client": client})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    rows = frame[frame["client_id"] == client]
    assert metrics["Order lines"] == f"{len(rows):,}"
    assert metrics["Revenue (all time)"] == f"₪{rows['revenue'].sum():,.0f}"


def test_dossier_with_an_unknown_client_says_so(demo_db):
    at = app_at("dossier", query={"client": "no-such-client"})
    assert not at.exception
    assert "No client with this id" in texts(at)


@pytest.mark.slow
def test_settings_undo_removes_an_import(demo_db):
    at = app_at("settings")
    box = next(s for s in at.selectbox if s.label == "Undo an import")
    box.select(1)
    at.run()
    at.checkbox(key="undo_confirm").check()
    at.run()
    next(b for b in at.button if b.label == "Undo import").click()
    at.run()
    assert not at.exception
    assert "Import #1 undone" in texts(at)
    conn = connect(demo_db)
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
