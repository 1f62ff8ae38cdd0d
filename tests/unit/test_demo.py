"""The demo dataset looks like a real client base and its workbook like an ERP export."""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pandas as pd
import pytest

from kam_core.demo import DEMO_WORKBOOK_NAME, demo_sales, write_demo_workbook

COLUMNS = [
    "order_id", "order_date", "client_id", "client_name", "revenue", "profit", "quantity",
    "product", "category", "manager", "region", "segment", "due_date", "ship_date", "returned",
]  # fmt: skip
HEADERS = [
    "Order No", "Order Date", "Customer ID", "Customer Name", "Net Sales", "Gross Profit", "Qty",
    "Product", "Product Category", "Account Manager", "Region", "Segment", "Promised Date",
    "Ship Date", "Returned",
]  # fmt: skip


@pytest.fixture(scope="module")
def sales() -> pd.DataFrame:
    return demo_sales()


@pytest.fixture(scope="module")
def as_of(sales: pd.DataFrame) -> pd.Timestamp:
    return sales["order_date"].max()


def test_same_seed_gives_the_same_frame_and_another_seed_a_different_one(sales):
    pd.testing.assert_frame_equal(demo_sales(), sales)
    assert not demo_sales(seed=7)["revenue"].equals(sales["revenue"])


def test_frame_has_the_canonical_columns_and_types(sales):
    assert list(sales.columns) == COLUMNS
    assert 10_000 <= len(sales) <= 25_000
    for col in ("order_date", "due_date", "ship_date"):
        assert pd.api.types.is_datetime64_any_dtype(sales[col])
        dates = sales[col].dropna()
        assert (dates == dates.dt.normalize()).all()  # dates, no time of day
    assert sales["returned"].dtype == bool
    assert sales["order_id"].str.fullmatch(r"SO-\d{6}").all()
    assert sales["client_id"].str.fullmatch(r"C\d{4}").all()
    assert (sales["revenue"].round(2) == sales["revenue"]).all()
    assert sales["order_date"].notna().all() and sales["revenue"].notna().all()


def test_about_three_hundred_clients_each_with_one_name_manager_region_and_segment(sales):
    per_client = sales.groupby("client_id")[["client_name", "manager", "region", "segment"]]
    assert 280 <= per_client.ngroups <= 320
    assert (per_client.nunique() == 1).all().all()
    names = per_client.first()["client_name"]
    assert names.is_unique
    assert names.str.contains("[\u0590-\u05ff]").sum() >= 3  # Hebrew
    assert names.str.contains("[\u0400-\u04ff]").sum() >= 3  # Russian
    assert sales["manager"].nunique() == 5
    assert sales["region"].nunique() == 4
    assert 5 <= sales["category"].nunique() <= 6


def test_dates_span_three_years_ending_2025(sales, as_of):
    first = sales["order_date"].min()
    assert first <= pd.Timestamp("2023-01-31")
    assert as_of == pd.Timestamp("2025-12-31")
    assert 1000 <= (as_of - first).days <= 1100


def test_top_tenth_of_clients_holds_about_half_the_revenue(sales):
    revenue = sales.groupby("client_id")["revenue"].sum().sort_values(ascending=False)
    top = math.ceil(len(revenue) * 0.10)
    share = revenue.iloc[:top].sum() / revenue.sum()
    assert 0.40 <= share <= 0.60


def test_profit_is_mostly_a_healthy_share_of_revenue_with_a_few_losses(sales):
    sold = sales[~sales["returned"]]
    margin = sold["profit"].sum() / sold["revenue"].sum()
    assert 0.10 <= margin <= 0.35
    losses = (sold["profit"] < 0).mean()
    assert 0 < losses < 0.05


def test_some_clients_are_new_and_some_are_lost(sales, as_of):
    dates = sales.groupby("client_id")["order_date"]
    new = ((as_of - dates.min()).dt.days <= 183).sum()
    lost = ((as_of - dates.max()).dt.days > 210).sum()
    assert 15 <= new <= 25
    assert 20 <= lost <= 40


def test_some_clients_buy_every_month_and_others_rarely(sales):
    months = sales["order_date"].dt.to_period("M").groupby(sales["client_id"]).nunique()
    assert (months >= 30).sum() >= 10  # monthly buyers: 30 or more of the 36 months
    assert (months <= 12).sum() >= 30  # quarterly and sporadic buyers


def test_some_active_clients_slow_down_in_the_last_year(sales, as_of):
    yearly = sales.pivot_table("revenue", "client_id", sales["order_date"].dt.year, "sum", 0)
    last = sales.groupby("client_id")["order_date"].max()
    active = (as_of - last).dt.days <= 210
    slowing = active & (yearly[2025] < 0.6 * yearly[2024]) & (yearly[2024] > 0)
    assert slowing.sum() >= 5


def test_most_lines_ship_on_time_and_some_ship_late(sales):
    shipped = sales.dropna(subset=["ship_date"])
    late = shipped["ship_date"] > shipped["due_date"]
    assert 0.02 <= late.mean() <= 0.20
    assert (shipped["ship_date"] >= shipped["order_date"]).all()
    assert (shipped["due_date"] >= shipped["order_date"]).all()


def test_returns_are_negative_rows_for_a_product_of_the_same_order(sales):
    returns = sales[sales["returned"]]
    assert 20 <= len(returns) <= 0.05 * len(sales)
    assert (returns[["revenue", "quantity"]] < 0).all().all()
    sold = sales.loc[~sales["returned"], ["order_id", "product", "order_date"]]
    matched = returns.merge(sold, on=["order_id", "product"], suffixes=("", "_sold"))
    assert matched["order_id"].nunique() == returns["order_id"].nunique()
    assert len(matched.drop_duplicates(["order_id", "product"])) == len(
        returns.drop_duplicates(["order_id", "product"])
    )
    assert (matched["order_date"] > matched["order_date_sold"]).all()  # goods come back later


@pytest.mark.slow  # writes and imports the whole demo workbook
def test_workbook_reads_back_as_an_erp_export(tmp_path, sales):
    path = write_demo_workbook(tmp_path / DEMO_WORKBOOK_NAME)
    assert path == tmp_path / "kam-demo-sales.xlsx" and path.stat().st_size > 0
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert wb.sheetnames == ["Instructions", "Orders", "People"]
        assert wb["Instructions"]["A1"].value
        people = list(wb["People"].values)
        assert people[0] == ("Region", "Manager") and len(people) == 6
        rows = list(wb["Orders"].iter_rows())
    finally:
        wb.close()
    values = [[c.value for c in row] for row in rows]
    assert values[0][0] == "Sales report 2023-2025"
    assert str(values[1][0]).startswith("Printed: ")
    assert all(v is None for v in values[2])
    assert values[3] == HEADERS
    first = rows[4]
    assert isinstance(first[1].value, dt.datetime) and first[1].number_format == "dd/mm/yyyy"
    assert first[1].value == sales["order_date"].iloc[0].to_pydatetime()
    assert isinstance(first[4].value, float) and first[4].number_format == "#,##0.00"
    assert len(rows) == 4 + len(sales) + 1  # title block, lines, grand total
    total = values[-1]
    assert total[0] == "Grand Total" and total[1] is None
    assert total[4] == pytest.approx(sales["revenue"].sum(), abs=0.01)
