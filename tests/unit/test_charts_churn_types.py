"""Figure builders of the Client types, Churn and Managers screens: data in, go.Figure out."""

import pandas as pd
import pytest

from kam_core.analytics.churn import status_counts
from kam_core.analytics.losses import rolling_losses
from kam_core.analytics.portfolio import manager_mix
from kam_core.analytics.type_mix import clients_of_type, type_distribution
from kam_core.charts.churn import breakdown_figure, losses_figure, status_figure
from kam_core.charts.managers import (
    manager_mix_figure,
    portfolio_mix_figure,
    portfolio_revenue_figure,
)
from kam_core.charts.theme import ABC_COLOURS, STATUS_COLOURS, TYPE_COLOURS, XYZ_COLOURS
from kam_core.charts.types import types_count_figure, types_value_figure
from kam_core.config import Thresholds
from kam_core.vocabulary import LOSS_DIRECTIONS as DIRECTIONS
from kam_core.vocabulary import type_labels
from ui.rules import churn_rules, trend_sentence, type_rules

TYPES = pd.DataFrame(
    {
        "client_id": ["a", "b", "c", "d"],
        "types": ["breadwinner", "breadwinner,expert", "", "image_maker"],
        "profit_share": [0.5, 0.3, 0.1, 0.1],
        "abc": ["A", "A", "C", None],
        "first_purchase": pd.to_datetime(["2020-01-01"] * 4),
        "qualified": [False] * 4,
        "overridden": [False, True, False, False],
        "client_name": ["A Ltd", "B Ltd", "C Ltd", "D Ltd"],
    }
)
VALUES = pd.DataFrame({"client_id": ["a", "b", "c"], "value": [60.0, 30.0, 10.0]})


def test_a_client_of_two_types_counts_under_each_and_no_type_is_ordinary():
    dist = type_distribution(TYPES, VALUES).set_index("type")
    assert dist["clients"].to_dict() == {
        "breadwinner": 2,
        "prospect": 0,
        "image_maker": 1,
        "expert": 1,
        "ordinary": 1,
    }
    assert dist.loc["breadwinner", "value"] == 90.0
    assert dist.loc["breadwinner", "value_share"] == pytest.approx(0.9)
    assert dist.loc["image_maker", "value"] == 0.0  # no sales in the window
    assert dist.loc["ordinary", "client_share"] == pytest.approx(0.25)


def test_a_client_with_a_loss_does_not_shrink_the_other_types_shares():
    values = pd.DataFrame({"client_id": ["a", "b", "c"], "value": [60.0, 40.0, -50.0]})
    dist = type_distribution(TYPES, values).set_index("type")
    assert dist.loc["breadwinner", "value_share"] == pytest.approx(1.0)
    assert dist.loc["ordinary", "value"] == -50.0
    assert dist.loc["ordinary", "value_share"] == 0.0


def test_type_figures_use_the_type_colours_and_carry_titles_and_axis_labels():
    dist = type_distribution(TYPES, VALUES)
    count = types_count_figure(dist)
    assert list(count.data[0].y) == [2, 0, 1, 1, 1]
    assert list(count.data[0].x) == ["Breadwinner", "Prospect", "Image-maker", "Expert", "Ordinary"]
    assert count.data[0].marker.color[2] == TYPE_COLOURS["image-maker"]
    assert count.layout.title.text == "Clients per type"
    assert count.layout.yaxis.title.text == "Clients"
    value = types_value_figure(dist, "Profit")
    assert value.layout.title.text == "Profit per type"
    assert value.layout.yaxis.title.text == "Profit"
    assert value.layout.yaxis.tickformat == ",.0f"
    assert "Share of the total" in value.data[0].hovertemplate


def test_clients_of_a_type_are_listed_largest_first_with_readable_types_and_status():
    status = pd.DataFrame({"client_id": ["a", "b"], "status": ["active", "at_risk"]})
    table = clients_of_type(TYPES, VALUES, "breadwinner", status)
    assert table["client_id"].tolist() == ["a", "b"]
    assert table["type_labels"].tolist() == ["Breadwinner", "Breadwinner, Expert"]
    assert table["status"].tolist() == ["Active", "At risk"]
    assert clients_of_type(TYPES, VALUES, "ordinary")["client_id"].tolist() == ["c"]
    assert type_labels("") == "Ordinary"


CHURN = pd.DataFrame(
    {
        "client_id": ["a", "b", "c", "d", "e"],
        "status": ["active", "lost", "lost", "at_risk", "active"],
        "revenue_at_stake": [1.0, 10.0, 20.0, 5.0, 2.0],
    }
)


def test_status_counts_list_every_status_in_order_with_revenue_at_stake():
    counts = status_counts(CHURN)
    assert counts["status"].tolist() == ["new", "active", "at_risk", "lost"]
    assert counts["label"].tolist() == ["New", "Active", "At risk", "Lost"]
    assert counts["clients"].tolist() == [0, 2, 1, 2]
    assert counts["revenue_at_stake"].tolist() == [0.0, 3.0, 5.0, 30.0]
    assert counts["share"].sum() == pytest.approx(1.0)
    without_stake = status_counts(CHURN.drop(columns="revenue_at_stake"))
    assert without_stake["clients"].tolist() == [0, 2, 1, 2]


def test_status_figure_paints_each_status_in_its_colour():
    fig = status_figure(status_counts(CHURN))
    assert list(fig.data[0].marker.color) == [
        STATUS_COLOURS["new"],
        STATUS_COLOURS["active"],
        STATUS_COLOURS["at_risk"],
        STATUS_COLOURS["lost"],
    ]
    assert fig.layout.xaxis.title.text == "Status"
    assert fig.layout.title.text == "Clients per status"


BY_MONTH = pd.DataFrame(
    {
        "month": ["2025-01", "2025-02", "2025-03", "2025-04"],
        "clients_lost": [3, 0, 1, 2],
        "revenue_lost": [300.0, 0.0, 100.0, 250.0],
    }
)


def test_losses_figure_has_clients_with_the_moving_average_and_revenue_on_month_axes():
    fig = losses_figure(BY_MONTH, months=3)
    names = [t.name for t in fig.data]
    assert names == ["Clients lost", "3-month average", "Revenue lost"]
    assert list(fig.data[0].y) == [3, 0, 1, 2]
    assert list(fig.data[1].y) == pytest.approx([3.0, 1.5, 4 / 3, 1.0])
    assert list(fig.data[2].y) == [300.0, 0.0, 100.0, 250.0]
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.xaxis2.title.text == "Month the client became lost"
    assert fig.layout.title.text == "Losses per month"
    assert rolling_losses(BY_MONTH, 2).tolist() == [3.0, 1.5, 0.5, 1.5]


def test_breakdown_figure_sorts_bars_and_uses_class_colours_for_abc():
    parts = pd.DataFrame(
        {"abc": ["none", "A", "C"], "clients_lost": [5, 2, 3], "revenue_lost": [50.0, 80.0, 9.0]}
    )
    fig = breakdown_figure(parts, "abc")
    # Horizontal bars are drawn bottom-up: the largest ends on top.
    assert list(fig.data[0].x) == [2, 3, 5]
    assert list(fig.data[0].y) == ["A", "C", "no sales in the window"]
    assert fig.data[0].marker.color[0] == ABC_COLOURS["A"]
    by_revenue = breakdown_figure(parts, "abc", by="revenue_lost")
    assert list(by_revenue.data[0].y) == ["C", "no sales in the window", "A"]
    assert by_revenue.layout.xaxis.title.text == "Revenue lost"
    assert by_revenue.layout.title.text == "Losses by ABC class"
    assert set(DIRECTIONS) == {"region", "manager", "segment", "category", "abc", "client_type"}


def test_breakdown_by_client_type_shows_type_labels_in_type_colours():
    parts = pd.DataFrame(
        {"client_type": ["ordinary", "breadwinner"], "clients_lost": [4, 1], "revenue_lost": [1, 2]}
    )
    fig = breakdown_figure(parts, "client_type")
    assert list(fig.data[0].y) == ["Breadwinner", "Ordinary"]
    assert list(fig.data[0].marker.color) == [TYPE_COLOURS["breadwinner"], TYPE_COLOURS["ordinary"]]


PORTFOLIO = pd.DataFrame(
    {
        "manager": ["Ann", "Bob"],
        "revenue": [100.0, 300.0],
        "revenue_prev": [80.0, 0.0],
        "revenue_change": [20.0, 300.0],
        "revenue_change_pct": [0.25, float("nan")],
        "a": [1, 2],
        "b": [0, 1],
        "c": [3, 0],
    }
)


def test_portfolio_revenue_figure_compares_the_windows_per_manager():
    fig = portfolio_revenue_figure(PORTFOLIO)
    assert [t.name for t in fig.data] == ["Previous window", "This window"]
    assert list(fig.data[1].x) == ["Bob", "Ann"]  # largest first
    assert list(fig.data[1].y) == [300.0, 100.0]
    assert list(fig.data[1].text) == ["", "+25%"]  # no previous revenue: no percentage
    assert fig.layout.barmode == "group"


def test_portfolio_mix_figure_stacks_the_abc_classes_in_their_colours():
    fig = portfolio_mix_figure(PORTFOLIO)
    assert [t.name for t in fig.data] == ["Class A", "Class B", "Class C"]
    assert [t.marker.color for t in fig.data] == [ABC_COLOURS[k] for k in "ABC"]
    assert list(fig.data[0].y) == ["Ann", "Bob"]
    assert list(fig.data[2].x) == [3, 0]
    assert fig.layout.barmode == "stack"


def test_manager_mix_fills_all_nine_cells_and_leaves_out_clients_without_sales():
    clients = pd.DataFrame(
        {
            "client_id": ["a", "b", "c", "d"],
            "abc": ["A", "A", "C", None],
            "xyz": ["X", "X", "Z", None],
            "revenue": [10.0, 5.0, 1.0, 0.0],
        }
    )
    mix = manager_mix(clients)
    assert len(mix) == 9
    cells = mix.set_index(["abc", "xyz"])
    assert cells.loc[("A", "X"), "clients"] == 2
    assert cells.loc[("A", "X"), "revenue"] == 15.0
    assert cells.loc[("C", "Z"), "clients"] == 1
    assert mix["clients"].sum() == 3
    fig = manager_mix_figure(mix, "Ann")
    assert [t.name for t in fig.data] == ["X", "Y", "Z"]
    assert [t.marker.color for t in fig.data] == [XYZ_COLOURS[k] for k in "XYZ"]
    assert list(fig.data[0].y) == [2, 0, 0]
    assert fig.layout.title.text == "ABC-XYZ mix: Ann"


def test_rules_state_the_thresholds_in_force_in_plain_words():
    t = Thresholds(breadwinner_share=0.15, breadwinner_months=24, churn_lost_days=200)
    rules = dict(type_rules(t))
    assert rules["Breadwinner"].startswith("15% or more of the profit")
    assert "24+ months" in rules["Breadwinner"]
    assert "top 20%" in rules["Prospect"]
    churn = dict(churn_rules(t))
    assert "3 x the client's median gap" in churn["Lost"]
    assert "at least 200 days" in churn["Lost"]
    assert "1.5 x the median gap, and at least 60 days" in churn["At risk"]
    assert "within the last 90 days" in churn["New"]


def test_trend_sentence_says_better_or_worse_with_the_counts():
    assert trend_sentence(BY_MONTH, "better", 2) == (
        "Churn is getting better: 3 clients lost in the last 2 months, against 3 in the 2 "
        "months before."
    )
    assert trend_sentence(BY_MONTH.iloc[:0], "stable").startswith("Churn is stable: 0 clients")
    assert trend_sentence(BY_MONTH, "worse", 1).startswith("Churn is getting worse: 2 clients")


def test_no_clients_give_an_empty_distribution_of_every_type():
    none = pd.DataFrame({"client_id": pd.Series(dtype="str"), "types": pd.Series(dtype="float")})
    values = pd.DataFrame({"client_id": pd.Series(dtype="str"), "value": pd.Series(dtype="float")})
    dist = type_distribution(none, values)
    assert dist["clients"].tolist() == [0, 0, 0, 0, 0]
    assert dist["value_share"].tolist() == [0.0] * 5
    assert types_count_figure(dist).data[0].y is not None


def test_losses_legend_has_a_row_between_the_title_and_the_first_panel():
    by_month = pd.DataFrame(
        {"month": ["2025-01", "2025-02"], "clients_lost": [1, 2], "revenue_lost": [10.0, 20.0]}
    )
    fig = losses_figure(by_month, 3)
    # Beside the title, three entries in a 1024 px column ran over it.
    assert fig.layout.legend.y >= 1.1 and fig.layout.margin.t >= 120
