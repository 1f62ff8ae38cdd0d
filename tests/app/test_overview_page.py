"""The Overview on the demo data: key figures, movers and alerts equal kam_core's answers, and
the sidebar's parameters arrive from the URL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.health import health_change, health_table
from kam_core.analytics.losses import losses
from kam_core.analytics.overview import at_risk_alerts, key_figures
from kam_core.analytics.params import AnalysisParams, load_thresholds, shift_months
from kam_core.analytics.trend import revenue_change
from kam_core.i18n import has_hebrew
from kam_core.store import connect
from tests.support.apptest import app_at, english_words, texts
from tests.support.pages import figure


def expected_figures(db, **changes) -> dict[str, str]:
    """The key figures as the page should print them, from kam_core's reports."""
    conn = connect(db)
    try:
        params = AnalysisParams(thresholds=load_thresholds(conn))
        params = replace(params, **{"as_of": abc_xyz(conn, params).as_of, **changes})
        now = abc_xyz(conn, params).clients
        before = abc_xyz(conn, params.with_as_of(shift_months(params.as_of, -params.months)))
        revenue, revenue_prev = now["revenue"].sum(), before.clients["revenue"].sum()
        summary = concentration(conn, params).summary.set_index("metric")["value"]
        statuses = churn(conn, params)["status"]
        lost = losses(conn, params).by_month["clients_lost"].tail(3).sum()
        return {
            "Revenue": f"₪{revenue:,.0f}",  # the default currency symbol
            "Revenue change": f"{(revenue - revenue_prev) / revenue_prev:+.1%}",
            "Clients": f"{len(now):,}",
            "Key clients": f"{int(summary['key_clients']):,}",
            "Key clients' share of revenue": f"{summary['key_clients_share']:.1%}",
            "Clients at risk": f"{int((statuses == 'at_risk').sum()):,}",
            "Lost in the last quarter": f"{int(lost):,}",
        }
    finally:
        conn.close()


def test_key_figures_equal_the_analytics_core(demo_db):
    at = app_at("overview")
    assert not at.exception
    expected = expected_figures(demo_db)
    metrics = {m.label: m for m in at.metric}
    for label in (
        "Revenue",
        "Clients",
        "Key clients",
        "Key clients' share of revenue",
        "Clients at risk",
        "Lost in the last quarter",
    ):
        assert metrics[label].value == expected[label], label
    assert metrics["Revenue"].proto.delta == expected["Revenue change"]
    assert "Window: 01/01/2025 to 31/12/2025 (12 months)" in texts(at)


def test_key_clients_share_is_read_against_the_band(demo_db):
    at = app_at("overview")
    conn = connect(demo_db)
    figures = key_figures(conn, AnalysisParams(thresholds=load_thresholds(conn)))
    conn.close()
    share = next(m for m in at.metric if m.label.startswith("Key clients' share"))
    # The band is a reading, not a change: a caption, no delta arrow.
    assert not share.proto.delta
    assert f"Key clients' share is {figures.key_band} the usual band of 30% to 55%." in texts(at)


def test_movers_are_the_largest_changes_against_the_previous_window(demo_db):
    at = app_at("overview")
    conn = connect(demo_db)
    params = AnalysisParams(thresholds=load_thresholds(conn), as_of=date(2025, 12, 31))
    change = revenue_change(conn, params, params.as_of)
    conn.close()
    up = change[change["change"] > 0].nlargest(10, "change")["client_id"]
    down = change[change["change"] < 0].nsmallest(10, "change")["client_id"]
    tables = [d.value for d in at.dataframe if "change_pct" in d.value.columns]
    assert list(tables[0]["client_id"]) == list(up)
    assert list(tables[1]["client_id"]) == list(down)
    assert (tables[0]["change"] > 0).all() and (tables[1]["change"] < 0).all()


def test_alerts_list_key_clients_that_just_turned_at_risk(demo_db):
    at = app_at("overview")
    conn = connect(demo_db)
    params = AnalysisParams(thresholds=load_thresholds(conn))
    alerts = at_risk_alerts(conn, params)
    statuses = churn(conn, replace(params, as_of=date(2025, 12, 31))).set_index("client_id")
    conn.close()
    assert len(alerts) > 0  # the demo data has some, so the check below means something
    assert (statuses.loc[alerts["client_id"], "status"] == "at_risk").all()
    assert (alerts["days_at_risk"] < 30).all()
    assert f"{len(alerts)} key clients turned at risk in the last 30 days" in texts(at)
    listed = next(d.value for d in at.dataframe if "at_risk_since" in d.value.columns)
    assert list(listed["client_id"]) == list(alerts["client_id"])


@pytest.mark.slow
def test_sidebar_parameters_round_trip_through_the_url(demo_db):
    at = app_at("overview", query={"months": "6", "as_of": "2025-06-30"})
    assert not at.exception
    assert at.selectbox(key="p_months").value == 6
    assert at.date_input(key="p_as_of").value == date(2025, 6, 30)
    expected = expected_figures(demo_db, months=6, as_of=date(2025, 6, 30))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Revenue"] == expected["Revenue"]
    assert metrics["Clients"] == expected["Clients"]
    assert metrics["Clients at risk"] == expected["Clients at risk"]
    assert "Window: 01/01/2025 to 30/06/2025 (6 months)" in texts(at)
    at.selectbox(key="p_months").set_value(24).run()
    assert not at.exception
    assert at.query_params["months"] == "24"
    assert at.query_params["as_of"] == "2025-06-30"


@pytest.mark.slow
def test_a_filter_from_the_url_narrows_the_figures(demo_db):
    conn = connect(demo_db)
    manager = conn.execute("SELECT min(manager) FROM sales").fetchall()[0][0]
    conn.close()
    at = app_at("overview", query={"manager": manager})
    assert not at.exception
    assert at.selectbox(key="p_manager").value == manager
    expected = expected_figures(demo_db, manager=manager)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Revenue"] == expected["Revenue"]
    assert metrics["Clients"] == expected["Clients"]


def test_key_clients_whose_health_fell_15_points_are_listed(demo_db):
    at = app_at("overview")
    assert not at.exception
    conn = connect(demo_db)
    params = AnalysisParams(thresholds=load_thresholds(conn))
    change = health_change(conn, params)
    types = client_types(conn, replace(params, as_of=date(2025, 12, 31)))
    conn.close()
    key = set(types.loc[types["is_key"], "client_id"])
    # By hand: a fall of 15 points or more between the two quarters, key clients only.
    fell = change[(change["health_prev"] - change["health"] >= 15)]
    expected = set(fell["client_id"]) & key
    assert expected  # the demo data has one, so the check below means something
    listed = next(d.value for d in at.dataframe if "health_prev" in d.value.columns)
    assert set(listed["client_id"]) == expected
    assert (listed["health_prev"] - listed["health"] >= 15).all()
    assert "health fell by 15 points or more since the previous quarter" in texts(at)


def test_client_tables_carry_the_health_score(demo_db):
    at = app_at("overview")
    conn = connect(demo_db)
    health = health_table(conn, AnalysisParams(thresholds=load_thresholds(conn)))
    conn.close()
    movers = next(d.value for d in at.dataframe if "change_pct" in d.value.columns)
    scores = health.set_index("client_id")["health"]
    assert movers["health"].tolist() == pytest.approx(
        scores.reindex(movers["client_id"]).tolist(), nan_ok=True
    )


def test_growth_from_nothing_reads_new(demo_db):
    at = app_at("overview")
    tables = [d.value for d in at.dataframe if "change_pct" in d.value.columns]
    growing = tables[0]
    from_nothing = growing[growing["revenue_prev"] == 0]
    assert len(from_nothing)  # the demo has clients new to the window among the movers
    assert set(from_nothing["growth"]) == {"new"}
    assert not growing["growth"].str.contains(",").any()  # no 305,701%


def test_the_page_in_hebrew_has_no_english_outside_data(demo_db):
    at = app_at("overview", query={"lang": "he"})
    assert not at.exception
    assert has_hebrew(at.title[0].value)
    names = []
    for table in at.dataframe:
        if "client_name" in table.value.columns:
            names += [str(n) for n in table.value["client_name"]]
            names += [str(n) for n in table.value.get("manager", [])]
    assert english_words(at, data=tuple(names)) == set()
    assert {"הכנסות", "לקוחות", "לקוחות מפתח"} <= {m.label for m in at.metric}
    movers = next(d.value for d in at.dataframe if "change_pct" in d.value.columns)
    assert list(movers.columns)[-1] == "client_id"  # the first column on the right
    assert "חדש" in set(movers["growth"])
    assert figure(at, "pareto").layout.title.xanchor == "right"
