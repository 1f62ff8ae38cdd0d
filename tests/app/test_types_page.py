"""The Client types page on the demo data: counts and values per type are kam_core's."""

from __future__ import annotations

import pytest

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.client_types import client_types
from kam_core.demo import demo_sales
from kam_core.i18n import has_hebrew
from kam_core.store import connect
from tests.support.apptest import app_at, english_words, texts
from tests.support.pages import figure, params_of, table_with

ORDER = ["breadwinner", "prospect", "image_maker", "expert", "ordinary"]


def type_counts(types) -> dict[str, int]:
    """Clients per type, a client of several types under each, no type = ordinary."""
    kinds = types["types"].replace("", "ordinary").str.split(",").explode()
    counts = kinds.value_counts()
    return {k: int(counts.get(k, 0)) for k in ORDER}


def window_types(conn, params):
    """client_types of the clients with sales in the window (as every page counts them)."""
    types = client_types(conn, params)
    return types[types["client_id"].isin(abc_xyz(conn, params).clients["client_id"])]


def test_the_counts_per_type_equal_client_types(demo_db):
    at = app_at("types")
    assert not at.exception
    conn = connect(demo_db)
    known = client_types(conn, params_of(conn))
    types = window_types(conn, params_of(conn))
    assert len(types) < len(known)  # the demo has known clients without sales in the window
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Clients"] == f"{len(types):,}"
    outside = len(known) - len(types)
    assert f"{outside} more known clients have no sales in the window" in texts(at)
    assert metrics["Key clients"] == f"{int(types['is_key'].sum()):,}"
    bars = figure(at, "types_count").data[0]
    assert list(bars.y) == list(type_counts(types).values())
    assert list(bars.x) == ["Breadwinner", "Prospect", "Image-maker", "Expert", "Ordinary"]


def test_the_revenue_per_type_is_the_window_revenue_of_its_clients(demo_db):
    at = app_at("types")
    sales = demo_sales()
    window = sales[sales["order_date"] >= "2025-01-01"].groupby("client_id")["revenue"].sum()
    conn = connect(demo_db)
    types = window_types(conn, params_of(conn)).set_index("client_id")
    breadwinners = types.index[types["is_breadwinner"]]
    bars = figure(at, "types_value").data[0]
    assert bars.y[0] == pytest.approx(window.reindex(breadwinners).fillna(0).sum())
    assert figure(at, "types_value").layout.title.text == "Revenue per type"


def test_the_rules_in_force_are_stated_next_to_the_charts(demo_db):
    at = app_at("types")
    shown = texts(at)
    assert "Rules in force" in shown
    assert "10% or more of the profit" in shown
    assert "class A by revenue with 12+ months" in shown
    assert "first purchase within the last 183 days" in shown


def test_the_clients_of_the_type_in_the_url_are_listed_largest_first(demo_db):
    at = app_at("types", query={"type": "Prospect"})
    assert not at.exception
    conn = connect(demo_db)
    params = params_of(conn)
    types = window_types(conn, params)
    prospects = set(types.loc[types["is_prospect"], "client_id"])
    shown = table_with(at, "type_labels")
    assert set(shown["client_id"]) == prospects
    assert shown["value"].is_monotonic_decreasing
    assert f"Prospect: {len(prospects):,} clients" in texts(at)
    assert "health" in shown.columns
    window = abc_xyz(conn, params).clients.set_index("client_id")["value"]
    # Amounts are shown to the currency's decimals (none by default).
    assert shown["value"].tolist() == pytest.approx(
        window.reindex(shown["client_id"]).fillna(0).tolist(), abs=0.5
    )


def test_the_profit_measure_changes_the_value_chart(demo_db):
    at = app_at("types", query={"measure": "profit"})
    assert not at.exception
    fig = figure(at, "types_value")
    assert fig.layout.title.text == "Profit per type"
    conn = connect(demo_db)
    params = params_of(conn, measure="profit")
    profit = abc_xyz(conn, params).clients.set_index("client_id")["value"]
    types = window_types(conn, params).set_index("client_id")
    breadwinners = types.index[types["is_breadwinner"]]
    assert fig.data[0].y[0] == pytest.approx(profit.reindex(breadwinners).fillna(0).sum())


@pytest.mark.slow
def test_a_region_in_the_url_counts_only_that_regions_clients(demo_db):
    at = app_at("types", query={"region": "North"})
    assert not at.exception
    conn = connect(demo_db)
    north = len(abc_xyz(conn, params_of(conn, region="North")).clients)
    conn.close()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Clients"] == f"{north:,}"


def test_filters_that_leave_no_client_say_so(demo_db):
    at = app_at("types", query={"manager": "Dana Levi", "region": "South"})
    assert not at.exception
    assert "No clients for these filters" in texts(at)


def test_clients_are_counted_the_same_on_every_page(demo_db):
    """Overview, Client types and ABC-XYZ count the clients with sales in the same window."""
    conn = connect(demo_db)
    expected = len(abc_xyz(conn, params_of(conn)).clients)
    conn.close()
    counts = {}
    for screen in ("overview", "types"):
        at = app_at(screen)
        assert not at.exception
        counts[screen] = {m.label: m.value for m in at.metric}["Clients"]
    abc = app_at("abc_xyz")
    assert not abc.exception
    assert counts == {"overview": f"{expected:,}", "types": f"{expected:,}"}
    assert f"{expected:,} clients with sales from" in texts(abc)


def test_the_page_in_hebrew_has_no_english_outside_data(demo_db):
    at = app_at("types", query={"lang": "he"})
    assert not at.exception
    assert has_hebrew(at.title[0].value)
    table = table_with(at, "type_labels")
    names = tuple(str(n) for n in table["client_name"])
    assert english_words(at, data=names) == set()
    assert {"לקוחות", "לקוחות מפתח"} <= {m.label for m in at.metric}
    assert list(table.columns)[-1] == "client_id"  # the first column on the right
    count = figure(at, "types_count")
    assert count.layout.xaxis.autorange == "reversed"  # categories read from the right
    assert all(has_hebrew(x) for x in count.data[0].x)


def test_the_suggested_experts_are_listed_once_their_expander_is_opened(demo_db):
    at = app_at("types")
    conn = connect(demo_db)
    types = window_types(conn, params_of(conn))
    conn.close()
    suggested = types[types["expert_suggested"]]
    assert len(suggested)  # the demo has clients that return much of what they buy
    assert any(e.label.startswith(f"{len(suggested)} client") for e in at.expander)
    # Closed, the table is neither built nor sent.
    assert not any("return_share" in d.value.columns for d in at.dataframe)
    at.session_state["types_experts"] = True
    at.run()
    assert not at.exception
    listed = table_with(at, "return_share")
    assert sorted(listed["client_id"]) == sorted(suggested["client_id"])
