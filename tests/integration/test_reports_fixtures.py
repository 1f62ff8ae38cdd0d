"""Every report on small hand-computed databases."""

import math
from datetime import date

import pandas as pd
import pytest

from kam_core.analytics.abc_xyz import abc_xyz, abc_xyz_matrix
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.losses import losses
from kam_core.analytics.migration import migration, transition_table
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.portfolio import portfolio
from kam_core.analytics.trend import client_trend
from kam_core.analytics.win_back import win_back_list
from kam_core.store import connect
from kam_core.store.win_back import set_win_back_status
from tests.reference import insert_sales


def row(day, client, revenue, **extra):
    return {"order_date": day, "client_id": client, "revenue": revenue, **extra}


@pytest.fixture
def conn():
    c = connect(":memory:")
    yield c
    c.close()


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("client_id")


def test_client_outside_the_window_is_left_out_and_counted(conn):
    insert_sales(conn, [row("2017-06-01", "in", 100.0), row("2016-12-31", "old", 500.0)])
    result = abc_xyz(conn, AnalysisParams(as_of=date(2017, 12, 30)))
    assert result.clients["client_id"].tolist() == ["in"]
    assert result.clients_outside_window == 1
    assert result.window_start == date(2017, 1, 1)


def test_as_of_defaults_to_the_latest_order_date_not_today(conn):
    insert_sales(conn, [row("2017-06-01", "a", 100.0), row("2016-03-10", "b", 50.0)])
    result = abc_xyz(conn, AnalysisParams())
    assert result.as_of == date(2017, 6, 1)
    assert result.window_start == date(2016, 7, 1)
    assert result.clients["client_id"].tolist() == ["a"]


def test_rows_after_the_as_of_date_in_its_month_are_cut(conn):
    insert_sales(conn, [row("2017-12-10", "a", 100.0), row("2017-12-20", "a", 900.0)])
    result = abc_xyz(conn, AnalysisParams(as_of=date(2017, 12, 15)))
    assert result.clients["value"].tolist() == [100.0]


def test_returns_and_negative_clients_are_c_with_share_zero(conn):
    insert_sales(
        conn,
        [
            row("2017-05-01", "a", 300.0),
            row("2017-06-01", "a", -100.0, returned=True),
            row("2017-05-01", "b", 100.0),
            row("2017-07-01", "b", -150.0, returned=True),
            row("2017-05-01", "c", 0.0),
        ],
    )
    got = by_id(
        abc_xyz(conn, AnalysisParams(as_of=date(2017, 12, 31), xyz_method="stability")).clients
    )
    assert got.loc["a", "value"] == 200.0 and got.loc["a", "share"] == 1.0
    assert got.loc[["b", "c"], "abc"].tolist() == ["C", "C"]
    assert got.loc[["b", "c"], "share"].tolist() == [0.0, 0.0]
    assert got.loc["b", "xyz"] == "Z" and math.isnan(got.loc["b", "xyz_metric"])


def test_steady_monthly_buyer_is_x_and_one_off_buyer_is_z(conn):
    rows = [row(f"2017-{m:02d}-05", "steady", 100.0) for m in range(1, 13)]
    rows.append(row("2017-03-05", "once", 1200.0))
    insert_sales(conn, rows)
    p = AnalysisParams(as_of=date(2017, 12, 31), xyz_method="stability")
    got = by_id(abc_xyz(conn, p).clients)
    assert got.loc["steady", "xyz_metric"] == pytest.approx(0.0)
    assert got.loc["once", "xyz_metric"] == pytest.approx(math.sqrt(110000) / 100)
    assert got.loc[["steady", "once"], "cell"].tolist() == ["AX", "AZ"]
    freq = by_id(
        abc_xyz(conn, AnalysisParams(as_of=date(2017, 12, 31), xyz_method="frequency")).clients
    )
    assert freq.loc["steady", "xyz_metric"] == 1.0
    assert freq.loc["once", "xyz_metric"] == pytest.approx(1 / 12)


def test_quarters_count_zero_quarters_and_a_return_is_not_a_purchase(conn):
    insert_sales(
        conn,
        [
            row("2017-01-05", "a", 100.0),
            row("2017-02-05", "a", 100.0),
            row("2017-11-05", "a", -50.0, returned=True),
        ],
    )
    p = AnalysisParams(as_of=date(2017, 12, 31), period="quarter", xyz_method="frequency")
    assert abc_xyz(conn, p).clients["xyz_metric"].tolist() == [0.25]
    p = AnalysisParams(as_of=date(2017, 12, 31), period="quarter", xyz_method="stability")
    # Quarters: 200, 0, 0, -50 -> mean 37.5, population std 81.97.
    values = pd.Series([200.0, 0.0, 0.0, -50.0])
    expected = values.std(ddof=0) / values.mean()
    assert abc_xyz(conn, p).clients["xyz_metric"].iloc[0] == pytest.approx(expected)


def test_profit_falls_back_to_revenue_with_a_notice(conn):
    insert_sales(conn, [row("2017-05-01", "a", 100.0), row("2017-05-02", "b", 50.0)])
    result = abc_xyz(conn, AnalysisParams(measure="profit"))
    assert result.measure == "revenue" and result.notices
    assert result.clients["value"].tolist() == [100.0, 50.0]


def test_quantity_measure_ranks_by_quantity(conn):
    insert_sales(
        conn,
        [row("2017-05-01", "a", 100.0, quantity=1.0), row("2017-05-02", "b", 50.0, quantity=9.0)],
    )
    result = abc_xyz(conn, AnalysisParams(measure="quantity"))
    assert result.clients["client_id"].tolist() == ["b", "a"]


def test_a_filter_that_matches_nothing_gives_empty_reports(conn):
    insert_sales(conn, [row("2017-05-01", "a", 100.0, manager="Ann")])
    p = AnalysisParams(manager="Nobody")
    assert abc_xyz(conn, p).clients.empty
    assert churn(conn, p).empty
    assert losses(conn, p).by_month.empty
    assert win_back_list(conn, p).empty
    assert migration(conn, p).empty
    assert portfolio(conn, p).empty
    assert client_types(conn, p).empty
    assert abc_xyz_matrix(conn, p)["clients"].sum() == 0
    assert concentration(conn, p).pareto.empty


def test_a_filter_that_matches_nothing_at_a_fixed_as_of_date_gives_empty_reports(conn):
    # The dashboard always passes the as-of date of the whole data, filters or not.
    insert_sales(conn, [row("2017-05-01", "a", 100.0, manager="Ann")])
    p = AnalysisParams(as_of=date(2017, 5, 31), manager="Nobody")
    assert losses(conn, p).clients.empty
    assert churn(conn, p).empty
    assert win_back_list(conn, p).empty
    assert portfolio(conn, p).empty


def test_empty_database_gives_empty_reports(conn):
    assert abc_xyz(conn, AnalysisParams()).clients.empty
    assert churn(conn, AnalysisParams()).empty
    assert portfolio(conn, AnalysisParams()).empty


def test_filter_keeps_only_matching_rows(conn):
    insert_sales(
        conn,
        [
            row("2017-05-01", "a", 100.0, region="East"),
            row("2017-05-01", "a", 30.0, region="West"),
            row("2017-05-01", "b", 10.0, region="West"),
        ],
    )
    got = by_id(abc_xyz(conn, AnalysisParams(region="West")).clients)
    assert got["value"].to_dict() == {"a": 30.0, "b": 10.0}


def test_churn_measures_gaps_between_distinct_purchase_dates(conn):
    insert_sales(
        conn,
        [
            row("2017-01-01", "a", 10.0),
            row("2017-01-01", "a", 5.0),
            row("2017-01-11", "a", 10.0),
            row("2017-01-31", "a", 10.0),
            row("2017-02-15", "a", -10.0, returned=True),
            row("2017-03-01", "b", 10.0),
        ],
    )
    got = by_id(churn(conn, AnalysisParams(as_of=date(2017, 3, 1))))
    # Gaps 10 and 20 days: the median is 15; the return on 02-15 is no purchase.
    assert got.loc["a", "median_gap_days"] == 15.0
    assert got.loc["a", "last_purchase"] == pd.Timestamp("2017-01-31")
    assert got.loc["a", "days_since_last"] == 29
    assert got.loc["a", "status"] == "new"
    assert math.isnan(got.loc["b", "median_gap_days"]) and got.loc["b", "status"] == "new"


def test_client_silent_for_three_median_gaps_is_lost_and_its_year_of_revenue_is_lost(conn):
    rows = [row(d, "a", 100.0) for d in ("2015-01-01", "2015-04-11", "2015-07-20", "2015-10-28")]
    rows += [row("2016-06-01", "b", 1.0), row("2017-06-01", "b", 1.0)]
    insert_sales(conn, rows)
    got = by_id(churn(conn, AnalysisParams(as_of=date(2017, 6, 1))))
    # Median gap 100 days: lost 300 days after 2015-10-28, on 2016-08-23.
    assert got.loc["a", "status"] == "lost"
    assert got.loc["a", "lost_on"] == pd.Timestamp("2016-08-23")
    assert got.loc["a", "revenue_at_stake"] == 400.0  # all four within 365 days of the last
    result = losses(conn, AnalysisParams(as_of=date(2017, 6, 1)))
    months = result.by_month.set_index("month")
    assert months.loc["2016-08", "clients_lost"] == 1
    assert months.loc["2016-08", "revenue_lost"] == 400.0
    assert months["clients_lost"].sum() == 1
    assert months.index[-1] == "2017-06"


def test_revenue_lost_is_the_365_days_up_to_the_last_purchase(conn):
    insert_sales(
        conn,
        [
            row("2014-01-01", "a", 1000.0),
            row("2014-01-02", "a", 10.0),
            row("2015-01-01", "a", 20.0),
        ],
    )
    got = by_id(churn(conn, AnalysisParams(as_of=date(2017, 1, 1))))
    assert got.loc["a", "revenue_at_stake"] == 30.0


def test_manual_override_and_flags_decide_types(conn):
    insert_sales(
        conn,
        [
            row("2016-01-01", "big", 900.0),
            row("2017-06-01", "big", 900.0),
            row("2017-06-01", "small", 10.0),
            row("2017-06-01", "tiny", 5.0),
        ],
    )
    conn.execute(
        "INSERT INTO clients (client_id, is_image_maker, is_expert, type_override, need,"
        " solvency, authority) VALUES ('big', false, false, 'none', 'unknown', 'unknown',"
        " 'unknown'), ('tiny', true, true, NULL, 'unknown', 'unknown', 'unknown'),"
        " ('lead', false, false, NULL, 'yes', 'yes', 'yes')"
    )
    got = by_id(client_types(conn, AnalysisParams(as_of=date(2017, 6, 30))))
    assert got.loc["big", "types"] == "" and bool(got.loc["big", "overridden"])
    assert got.loc["tiny", "types"] == "image_maker,expert"
    assert got.loc["lead", "types"] == "prospect" and bool(got.loc["lead", "qualified"])
    assert got.loc["small", "types"] == "prospect"  # two new clients: top 20% is one, small


def test_breadwinner_is_class_a_with_a_long_relationship(conn):
    rows = [row("2016-01-10", "old", 50.0)] + [row("2017-06-01", f"n{i}", 95.0) for i in range(9)]
    rows += [row("2017-06-02", "old", 800.0)]
    insert_sales(conn, rows)
    got = by_id(client_types(conn, AnalysisParams(as_of=date(2017, 6, 30))))
    assert bool(got.loc["old", "is_breadwinner"])
    assert not got.loc["n0", "is_breadwinner"]  # 95 / 1655 < 10%, new: not long enough


def test_concentration_top_shares_and_key_share(conn):
    insert_sales(conn, [row("2017-06-01", f"c{i}", v) for i, v in enumerate([60, 20, 10, 5, 5])])
    summary = concentration(conn, AnalysisParams()).summary.set_index("metric")["value"]
    assert summary["top_1pct_share"] == pytest.approx(0.6)
    assert summary["top_20pct_share"] == pytest.approx(0.6)
    assert summary["clients"] == 5
    # Breadwinners by share >= 10%: 60, 20, 10; the one prospect (top 20% of 5 new) is c0.
    assert summary["key_clients_share"] == pytest.approx(0.9)


def test_win_back_list_orders_by_revenue_at_stake_with_offer_and_status(conn):
    rows = [
        row("2015-01-01", "a", 100.0),
        row("2015-01-01", "b", 900.0),
        row("2017-06-01", "c", 10.0),
    ]
    insert_sales(conn, rows)
    set_win_back_status(conn, "a", "contacted", "called twice", "ann")
    got = win_back_list(conn, AnalysisParams())
    assert got["client_id"].tolist() == ["b", "a"]
    assert got["status"].tolist() == ["open", "contacted"]
    # No sales in the window, but each lost more than the window's only (A) client buys: 10.
    assert got["offer"].str.startswith("Personal meeting").tolist() == [True, True]


def test_migration_compares_with_the_window_three_months_earlier(conn):
    rows = [
        row("2017-01-15", "a", 100.0),
        row("2017-01-15", "b", 10.0),
        row("2017-05-15", "b", 500.0),
        row("2017-05-15", "c", 1.0),
    ]
    insert_sales(conn, rows)
    got = by_id(migration(conn, AnalysisParams(as_of=date(2017, 5, 31))))
    assert got.loc["a", ["cell_before", "cell_now"]].tolist() == ["AZ", "BZ"]
    assert got.loc["b", ["cell_before", "cell_now"]].tolist() == ["BZ", "AZ"]
    assert got.loc["c", "cell_before"] == "-"
    table = transition_table(migration(conn, AnalysisParams(as_of=date(2017, 5, 31))))
    assert table["clients"].sum() == 3


def test_portfolio_assigns_clients_to_their_latest_manager(conn):
    rows = [
        row("2016-03-01", "a", 100.0, manager="Ann"),
        row("2017-03-01", "a", 50.0, manager="Bob"),
        row("2017-02-01", "b", 30.0, manager="Ann"),
        row("2015-01-01", "c", 5.0),
    ]
    insert_sales(conn, rows)
    got = portfolio(conn, AnalysisParams(as_of=date(2017, 3, 31))).set_index("manager")
    assert got.loc["Bob", "revenue"] == 50.0 and got.loc["Bob", "revenue_prev"] == 100.0
    assert got.loc["Bob", "revenue_change_pct"] == pytest.approx(-0.5)
    assert got.loc["Ann", "clients"] == 1 and got.loc["Ann", "revenue"] == 30.0
    assert got.loc["(unassigned)", "lost"] == 1


def test_trend_fills_every_period_of_the_window(conn):
    insert_sales(conn, [row("2017-01-15", "a", 100.0), row("2017-03-15", "a", 50.0)])
    got = client_trend(conn, AnalysisParams(months=3), "a")
    assert got["label"].tolist() == ["2017-01", "2017-02", "2017-03"]
    assert got["revenue"].tolist() == [100.0, 0.0, 50.0]


def test_a_client_returning_a_tenth_of_its_purchases_is_suggested_as_an_expert(conn):
    insert_sales(
        conn,
        [
            row("2017-03-01", "a", 1000.0),
            row("2017-04-01", "a", -100.0, returned=True),  # 10% returned
            row("2017-03-01", "b", 1000.0),
            row("2017-04-01", "b", -10.0, returned=True),  # 1%: within the usual
            row("2017-03-01", "c", 500.0),
        ],
    )
    types = by_id(client_types(conn, AnalysisParams(as_of=date(2017, 5, 31))))
    assert types.loc["a", "return_share"] == pytest.approx(0.10)
    assert types.loc["a", "expert_suggested"]
    assert not types.loc["b", "expert_suggested"]
    assert not types.loc["c", "expert_suggested"]
    # A hint only: the rules do not make anyone an expert from returns.
    assert not types["is_expert"].any()


def test_when_nine_in_ten_clients_share_one_xyz_class_the_report_says_so(conn):
    # Twenty clients who each bought once: by frequency all are Z (irregular).
    insert_sales(
        conn, [row(f"2017-{m % 12 + 1:02d}-05", f"c{m:02d}", 100.0 + m) for m in range(20)]
    )
    frequency = abc_xyz(conn, AnalysisParams(as_of=date(2017, 12, 31)))
    assert set(frequency.clients["xyz"]) == {"Z"}
    notice = " ".join(frequency.notices)
    assert "100% of the clients fall into class Z" in notice
    assert "stability method or quarterly periods" in notice
    quarterly = abc_xyz(conn, AnalysisParams(as_of=date(2017, 12, 31), period="quarter"))
    assert "quarterly" not in " ".join(quarterly.notices)


def test_a_stored_row_dated_in_the_future_does_not_move_the_pages_as_of(conn):
    from kam_core.store.reads import sales_summary

    insert_sales(conn, [row("2017-06-01", "a", 100.0), row("2099-12-31", "b", 5.0)])
    assert sales_summary(conn)["last_date"].date() == date(2017, 6, 1)
    assert abc_xyz(conn, AnalysisParams()).as_of == date(2017, 6, 1)
