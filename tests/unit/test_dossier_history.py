"""The relationship in the sales data: deliveries, on-time share, timeline, decision chart."""

from datetime import date

import pandas as pd

from kam_core.dossier.history import (
    deliveries,
    delivery_status,
    monthly_purchases,
    on_time_share,
    timeline,
)
from kam_core.dossier.orgchart import decision_map_figure, decision_map_svg, tree_layout


def sales_lines() -> pd.DataFrame:
    """Four lines: on time, three days late, not shipped yet, and a return."""
    return pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03", "2025-02-10"]),
            "order_id": ["A", "B", "C", "D"],
            "product": ["Box", "Tape", "Box", "Box"],
            "category": ["Pack", "Pack", "Pack", "Pack"],
            "quantity": [10.0, 5.0, 1.0, -2.0],
            "revenue": [100.0, 50.0, 10.0, -20.0],
            "due_date": pd.to_datetime(["2025-01-10", "2025-01-25", "2025-02-10", None]),
            "ship_date": pd.to_datetime(["2025-01-09", "2025-01-28", None, None]),
            "returned": [False, False, False, True],
        }
    )


def test_each_line_is_on_time_late_not_shipped_or_a_return():
    assert list(delivery_status(sales_lines())) == ["on time", "late", "not shipped", "return"]


def test_a_late_line_says_by_how_many_days():
    assert deliveries(sales_lines())["delivery"].iloc[1] == "late by 3 days"


def test_on_time_share_counts_only_shipped_lines_with_a_promised_date():
    share, lines = on_time_share(sales_lines())
    assert (share, lines) == (0.5, 2)


def test_on_time_share_is_limited_to_the_window():
    share, lines = on_time_share(sales_lines(), date(2025, 1, 15), date(2025, 12, 31))
    assert (share, lines) == (0.0, 1)


def test_without_promised_dates_there_is_no_on_time_share():
    lines = sales_lines().assign(due_date=pd.NaT)
    assert on_time_share(lines) == (None, 0)


def test_purchases_per_month_net_returns_and_count_orders():
    months = monthly_purchases(sales_lines())
    assert list(months["revenue"]) == [150.0, -10.0]
    assert list(months["orders"]) == [2, 2]
    assert list(months["returns"]) == [0.0, -20.0]


def test_the_timeline_lists_orders_tenders_and_activities_newest_first():
    tenders = pd.DataFrame(
        {
            "tender_date": [date(2025, 1, 15)],
            "subject": ["Annual supply"],
            "amount": [900.0],
            "result": ["lost"],
            "reason": ["Price"],
        }
    )
    activities = pd.DataFrame(
        {
            "activity_date": [date(2025, 3, 1)],
            "due_date": [None],
            "kind": ["meeting"],
            "text": ["Review"],
            "status": ["done"],
            "owner": ["Dana"],
        }
    )
    events = timeline(sales_lines(), tenders, activities)
    assert list(events["what"]) == [
        "Meeting",
        "Return",
        "Purchase",
        "Purchase",
        "Tender: Lost",
        "Purchase",
    ]
    assert events["title"].iloc[0] == "Review"


def chart_people() -> pd.DataFrame:
    """A CEO with two reports, one of whom has a report of her own."""
    return pd.DataFrame(
        {
            "contact_id": [1, 2, 3, 4],
            "name": ["<b>Ceo</b>", "Cfo", "Coo", "Buyer"],
            "title": ["CEO", "CFO", "COO", None],
            "role": ["decision_maker", "influencer", "champion", "user"],
            "attitude": ["supporter", "neutral", "opponent", "supporter"],
            "influence": [5, 3, 4, 2],
            "reports_to": [None, 1, 1, 2],
            "email": [None, None, None, None],
            "phone": [None, None, None, None],
        }
    )


def test_a_boss_is_centred_over_the_people_reporting_to_them():
    layout = tree_layout(chart_people()).set_index("contact_id")
    assert list(layout["depth"]) == [0, 1, 1, 2]
    assert layout.at[1, "x"] == (layout.at[2, "x"] + layout.at[3, "x"]) / 2
    assert layout.at[4, "x"] == layout.at[2, "x"]


def test_people_reporting_in_a_circle_are_still_drawn():
    circle = chart_people().assign(reports_to=[2, 1, 1, 2])
    layout = tree_layout(circle)
    assert sorted(layout["contact_id"]) == [1, 2, 3, 4]


def test_the_chart_colours_people_by_attitude_and_escapes_their_names():
    fig = decision_map_figure(chart_people())
    names = {t.name for t in fig.data if t.name and t.legendgroup.startswith("attitude")}
    assert names == {"Supporter", "Neutral", "Opponent"}
    labels = " ".join(" ".join(t.text) for t in fig.data if t.text is not None)
    assert "&lt;b&gt;Ceo&lt;/b&gt;" in labels
    assert "<b>Ceo</b>" not in labels


def test_the_printable_chart_escapes_names():
    svg = decision_map_svg(chart_people())
    assert svg.startswith("<svg")
    assert "&lt;b&gt;Ceo&lt;/b&gt;" in svg
    assert "<b>Ceo" not in svg


def test_the_legend_shows_attitudes_by_colour_and_each_role_shape_once():
    fig = decision_map_figure(chart_people())
    shown = [t for t in fig.data if t.showlegend is not False]
    attitudes = [
        (t.name, t.marker.color, t.marker.symbol) for t in shown if t.legendgroup != "roles"
    ]
    assert attitudes == [
        ("Supporter", "#2e7d32", "circle"),
        ("Neutral", "#9e9e9e", "circle"),
        ("Opponent", "#c62828", "circle"),
    ]
    roles = [(t.name, t.marker.symbol) for t in shown if t.legendgroup == "roles"]
    # CEO decision maker (star), COO champion (diamond); influencer and user are circles.
    assert roles == [("Decision maker", "star"), ("Champion", "diamond"), ("Other roles", "circle")]
    assert {t.marker.color for t in shown if t.legendgroup == "roles"} == {"#616161"}
    assert shown[0].legendgrouptitle.text == "Attitude (colour)"
    assert shown[3].legendgrouptitle.text == "Role (shape)"
    people = [t for t in fig.data if t.showlegend is False and t.legendgroup]
    assert sum(len(t.x) for t in people) == 4  # each person drawn once, outside the legend
