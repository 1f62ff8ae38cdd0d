"""The SQL reports agree with the independent pandas reference on generated and demo data."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.losses import losses
from kam_core.analytics.migration import migration
from kam_core.analytics.params import AnalysisParams, xyz_cutoffs
from kam_core.analytics.portfolio import portfolio
from kam_core.store import connect
from tests import reference as ref


@pytest.fixture(scope="module", params=["generated", "demo"])
def loaded(request):
    conn = connect(":memory:")
    if request.param == "generated":
        rows = ref.generate(4000, 150, seed=11)
    else:
        from kam_core.demo import demo_sales

        rows = demo_sales()
    ref.insert_sales(conn, rows)
    yield conn, ref.load_sales(conn)
    conn.close()


CASES = [
    dict(),
    dict(as_of=date(2016, 9, 14), months=6),
    dict(measure="profit"),
    dict(measure="quantity", period="quarter"),
    dict(xyz_method="frequency"),
    dict(xyz_method="frequency", period="quarter", months=18),
    dict(xyz_preset="relative"),
    dict(xyz_preset="classic", as_of=date(2017, 3, 31)),
]


def _ref_kwargs(params: AnalysisParams) -> dict:
    cuts = xyz_cutoffs(params)
    return dict(
        as_of=params.as_of,
        months=params.months,
        measure=params.measure,
        method=params.xyz_method,
        period=params.period,
        cuts=cuts,
        filters=params.filters,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_abc_xyz_matches_the_reference(loaded, case):
    conn, sales = loaded
    if "as_of" in case and sales["order_date"].min() > pd.Timestamp(case["as_of"]):
        case = {**case, "as_of": None}
    params = AnalysisParams(**case)
    got = abc_xyz(conn, params).clients.reset_index(drop=True)
    want = ref.abc_xyz(sales, **_ref_kwargs(params))
    assert got["client_id"].tolist() == want["client_id"].tolist()
    np.testing.assert_allclose(got["value"], want["value"], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(got["share"], want["share"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got["cumulative_share"], want["cumulative_share"], rtol=1e-9)
    np.testing.assert_allclose(got["xyz_metric"], want["xyz_metric"], rtol=1e-7, atol=1e-9)
    assert got["cell"].tolist() == want["cell"].tolist()


@pytest.mark.parametrize("filters", [{"manager": "Ann"}, {"region": "West", "segment": "Consumer"}])
def test_filtered_abc_xyz_matches_the_reference(loaded, filters):
    conn, sales = loaded
    value = sales[list(filters)].iloc[0].to_dict()
    params = AnalysisParams(**value)
    got = abc_xyz(conn, params).clients
    want = ref.abc_xyz(sales, **_ref_kwargs(params))
    assert got["client_id"].tolist() == want["client_id"].tolist()
    assert got["cell"].tolist() == want["cell"].tolist()


@pytest.mark.parametrize("as_of", [None, date(2016, 6, 30), date(2015, 12, 31)])
def test_churn_matches_the_reference(loaded, as_of):
    conn, sales = loaded
    if as_of is not None and sales["order_date"].min() > pd.Timestamp(as_of):
        as_of = None
    got = churn(conn, AnalysisParams(as_of=as_of)).set_index("client_id")
    want = ref.churn(sales, as_of).set_index("client_id")
    assert got.index.tolist() == sorted(want.index)
    want = want.loc[got.index]
    assert (got["status"] == want["status"]).all()
    assert (got["last_purchase"] == want["last_purchase"]).all()
    assert (got["first_purchase"] == want["first_purchase"]).all()
    np.testing.assert_allclose(got["median_gap_days"], want["median_gap_days"])
    np.testing.assert_allclose(got["revenue_at_stake"], want["revenue_at_stake"], atol=1e-6)
    lost = got["status"] == "lost"
    assert (got.loc[lost, "lost_on"] == want.loc[lost, "lost_on"]).all()


def test_losses_by_month_match_the_reference(loaded):
    conn, sales = loaded
    got = losses(conn, AnalysisParams()).by_month.set_index("month")
    want = ref.losses_by_month(ref.churn(sales))
    got = got[got["clients_lost"] > 0]
    assert got.index.tolist() == want.index.tolist()
    assert got["clients_lost"].tolist() == want["clients_lost"].tolist()
    np.testing.assert_allclose(got["revenue_lost"], want["revenue_lost"], atol=1e-6)


def test_breadwinners_and_prospects_match_the_reference(loaded):
    conn, sales = loaded
    got = client_types(conn, AnalysisParams()).set_index("client_id")
    want = ref.breadwinners_and_prospects(sales).set_index("client_id")
    got = got.loc[want.index]
    assert got["is_breadwinner"].tolist() == want["is_breadwinner"].tolist()
    assert got["is_prospect"].tolist() == want["is_prospect"].tolist()


def test_concentration_matches_the_reference(loaded):
    conn, sales = loaded
    summary = concentration(conn, AnalysisParams()).summary.set_index("metric")["value"]
    table = ref.abc_xyz(sales)
    for pct in (1, 5, 10, 20):
        assert summary[f"top_{pct}pct_share"] == pytest.approx(ref.top_share(table, pct / 100))
    assert summary["gini"] == pytest.approx(ref.gini(table["value"]))


def test_portfolio_revenue_matches_the_reference(loaded):
    conn, sales = loaded
    got = portfolio(conn, AnalysisParams()).set_index("manager")["revenue"]
    want = ref.portfolio_revenue(sales)
    pd.testing.assert_series_equal(
        got.sort_index(), want.sort_index(), check_names=False, check_index_type=False
    )


def test_migration_matches_two_reference_windows(loaded):
    conn, sales = loaded
    as_of = sales["order_date"].max()
    got = migration(conn, AnalysisParams(xyz_method="stability")).set_index("client_id")
    now = ref.abc_xyz(sales, as_of).set_index("client_id")["cell"]
    before = ref.abc_xyz(sales, as_of - pd.DateOffset(months=3)).set_index("client_id")["cell"]
    assert got["cell_now"].to_dict() == now.reindex(got.index).fillna("-").to_dict()
    assert got["cell_before"].to_dict() == before.reindex(got.index).fillna("-").to_dict()
