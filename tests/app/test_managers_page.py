"""The Managers page on the demo data: portfolios equal the sales, one manager's view."""

from __future__ import annotations

import json

import pytest

from kam_core.analytics.health import health_table
from kam_core.analytics.portfolio import portfolio, portfolio_clients
from kam_core.cli.main import main
from kam_core.demo import demo_sales
from kam_core.dossier import completeness_by_client
from kam_core.i18n import has_hebrew
from kam_core.store import connect
from tests.support.apptest import app_at, english_words, texts
from tests.support.pages import figure, params_of, table_with


def window_revenue_by_manager(start: str, end: str):
    """Revenue per manager in [start, end]: each demo client keeps one manager throughout."""
    sales = demo_sales()
    inside = sales[(sales["order_date"] >= start) & (sales["order_date"] <= end)]
    return inside.groupby("manager")["revenue"].sum()


@pytest.mark.slow
def test_portfolio_revenue_per_manager_equals_the_sales_in_the_window(demo_db):
    at = app_at("managers")
    assert not at.exception
    shown = table_with(at, "key_clients").set_index("manager")
    now = window_revenue_by_manager("2025-01-01", "2025-12-31")
    before = window_revenue_by_manager("2024-01-01", "2024-12-31")
    assert set(shown.index) == set(now.index)
    for manager in now.index:
        assert shown.loc[manager, "revenue"] == pytest.approx(now[manager])
        assert shown.loc[manager, "revenue_prev"] == pytest.approx(before[manager])
    clients = demo_sales().groupby("manager")["client_id"].nunique()
    assert shown["clients"].to_dict() == clients.to_dict()


def test_the_portfolio_table_is_kam_cores(demo_db):
    at = app_at("managers")
    conn = connect(demo_db)
    expected = portfolio(conn, params_of(conn)).set_index("manager")
    shown = table_with(at, "key_clients").set_index("manager")
    for column in ("clients", "health", "key_clients", "at_risk", "lost"):
        assert shown[column].to_dict() == expected[column].to_dict(), column
    # The ABC-XYZ mix is in the chart beside the table (and in the download).
    for cls in "abc":
        bars = next(t for t in figure(at, "pf_mix").data if t.name.endswith(cls.upper()))
        by_manager = dict(zip(bars.y, bars.x, strict=True))
        assert by_manager == expected[cls].to_dict(), cls
    assert list(figure(at, "pf_mix").data[0].y) == expected.sort_values("revenue").index.tolist()


@pytest.mark.slow
def test_the_first_manager_is_shown_by_default_with_its_clients_and_risks(demo_db):
    at = app_at("managers")
    conn = connect(demo_db)
    expected = portfolio(conn, params_of(conn))
    top = expected.iloc[0]
    assert at.selectbox(key="who").value == top["manager"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Clients"] == f"{int(top['clients']):,}"
    assert metrics["At risk"] == f"{int(top['at_risk']):,}"
    assert metrics["Lost"] == f"{int(top['lost']):,}"
    mine = table_with(at, "cell")
    assert len(mine) == top["clients"]
    risks = table_with(at, "revenue_at_stake")
    assert len(risks) == top["at_risk"] + top["lost"]
    mix = figure(at, "mgr_mix")
    assert sum(sum(t.y) for t in mix.data) == top["clients_in_window"]


def test_a_manager_picked_in_the_url_is_shown(demo_db):
    sales = demo_sales()
    at = app_at("managers", query={"who": "Avi Peretz"})
    assert not at.exception
    assert at.selectbox(key="who").value == "Avi Peretz"
    mine = table_with(at, "cell")
    expected = set(sales.loc[sales["manager"] == "Avi Peretz", "client_id"])
    assert set(mine["client_id"]) == expected


@pytest.mark.slow
def test_the_sidebar_manager_filter_shows_only_that_managers_clients(demo_db):
    sales = demo_sales()
    at = app_at("managers", query={"manager": "Dana Levi"})
    assert not at.exception
    table = table_with(at, "key_clients")
    assert table["manager"].tolist() == ["Dana Levi"]
    assert at.selectbox(key="who").value == "Dana Levi"
    assert at.selectbox(key="who").disabled
    mine = table_with(at, "cell")
    assert set(mine["client_id"]) == set(sales.loc[sales["manager"] == "Dana Levi", "client_id"])
    assert "Dana Levi" in texts(at)


@pytest.mark.slow
def test_clicking_a_row_of_the_portfolio_table_picks_that_manager(demo_db):
    at = app_at("managers")
    third = table_with(at, "key_clients")["manager"].iloc[2]
    at.session_state["portfolio"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="who").value == third
    # The click is applied once: the selector stays free to change afterwards.
    at.selectbox(key="who").select(table_with(at, "key_clients")["manager"].iloc[0])
    at.run()
    assert at.selectbox(key="who").value != third


@pytest.mark.slow
def test_dossier_completeness_is_the_mean_over_each_managers_key_clients(demo_db):
    conn = connect(demo_db)
    params = params_of(conn)
    top = portfolio(conn, params).iloc[0]["manager"]
    clients = portfolio_clients(conn, params)
    key = clients[(clients["manager"] == top) & clients["is_key"]]["client_id"].tolist()
    # Two sections filled for one key client: the profile (4 fields) and the three P's.
    conn.execute(
        """INSERT INTO clients (client_id, description, industry, employees, history,
                                need, solvency, authority)
           VALUES (?, 'Builds roads', 'Construction', 120, 'Since 2019', 'yes', 'no', 'yes')
           ON CONFLICT (client_id) DO UPDATE SET description = excluded.description,
               industry = excluded.industry, employees = excluded.employees,
               history = excluded.history, need = excluded.need,
               solvency = excluded.solvency, authority = excluded.authority""",
        [key[0]],
    )
    scores = completeness_by_client(conn).set_index("client_id")["completeness"]
    expected = scores.reindex(key).fillna(0).mean()
    conn.close()
    assert expected > 0
    at = app_at("managers")
    assert not at.exception
    shown = table_with(at, "key_clients").set_index("manager")
    # Shown in percentage points, one decimal.
    assert shown.loc[top, "dossier_completeness"] == pytest.approx(expected * 100)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dossiers"] == f"{expected:.0%}"
    mine = table_with(at, "cell").set_index("client_id")
    assert mine.loc[key[0], "completeness"] == pytest.approx(scores[key[0]] * 100)


def test_filters_that_leave_no_client_say_so(demo_db):
    at = app_at("managers", query={"manager": "Dana Levi", "region": "South"})
    assert not at.exception
    assert "No clients for these filters" in texts(at)


def test_health_per_portfolio_is_report_portfolios(demo_db, capsys):
    conn = connect(demo_db)
    params = params_of(conn)
    clients = portfolio_clients(conn, params)
    scores = health_table(conn, params).set_index("client_id")["health"]
    conn.close()
    # By hand: each manager's clients' health, averaged over those with a score.
    by_hand = clients.assign(h=clients["client_id"].map(scores)).groupby("manager")["h"].mean()
    assert main(["--db", str(demo_db), "report", "portfolio", "--format", "json"]) == 0
    printed = {r["manager"]: r["health"] for r in json.loads(capsys.readouterr().out)}
    at = app_at("managers")
    assert not at.exception
    shown = table_with(at, "key_clients").set_index("manager")["health"]
    assert set(shown.index) == set(printed) == set(by_hand.index)
    for manager, value in printed.items():
        assert shown[manager] == pytest.approx(value)
        assert value == pytest.approx(round(by_hand[manager], 1))
    top = shown.index[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Health"] == f"{shown[top]:.0f}"
    assert "health" in table_with(at, "cell").columns  # the manager's client table


def test_the_page_in_hebrew_has_no_english_outside_data(demo_db):
    at = app_at("managers", query={"lang": "he"})
    assert not at.exception
    assert has_hebrew(at.title[0].value)
    managers = tuple(table_with(at, "key_clients")["manager"])
    assert english_words(at, data=managers) == set()
    labels = {m.label for m in at.metric}
    assert {"הכנסות", "לקוחות מפתח", "בסיכון", "אבוד"} <= labels
    table = table_with(at, "key_clients")
    assert list(table.columns)[-1] == "manager"  # first column on the right
    revenue = figure(at, "pf_revenue")
    assert revenue.layout.xaxis.autorange == "reversed"


def test_revenue_in_millions_is_short_enough_to_fit(demo_db):
    at = app_at("managers")
    metrics = {m.label: m.value for m in at.metric}
    value = metrics["Revenue"]
    assert value.startswith("₪") and value.endswith("M") and len(value) <= 7
