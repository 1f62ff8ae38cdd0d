"""Settled margins: a figure's titled value axis gets the room plotly would give it, so the
browser lays the figure out once; figures of names are left to plotly's automatic margins."""

import numpy as np
import plotly.graph_objects as go

from kam_core.charts.rtl import mirror_figure
from kam_core.charts.theme import settle_margins, style
from kam_core.i18n import use_language


def bars(values, **layout) -> go.Figure:
    fig = go.Figure(go.Bar(x=[f"k{i}" for i in range(len(values))], y=np.array(values)))
    style(fig, "Title", "Status", "Clients")
    fig.update_layout(**layout)
    return fig


def test_a_count_axis_gets_its_widest_tick_label_and_title():
    # Largest 4,833, padded 6% by plotly: ticks up to "5,000", four digits and a comma:
    # 52.5 + 4 x 6.1 + 3.0 = 79.9 -> 80 px, as Chromium laid it out; the x title needs 65.
    fig = settle_margins(bars([4833, 1198, 1]))
    assert (fig.layout.margin.l, fig.layout.margin.b) == (80, 65)
    assert (fig.layout.margin.r, fig.layout.margin.t) == (10, 50)  # as style() set them


def test_three_digits_and_a_money_axis_of_millions():
    # "205": 52.5 + 18.3 = 70.8 -> 71 (Chromium: 71).
    assert settle_margins(bars([194, 53])).layout.margin.l == 71
    # 11.5M padded: "12,190,000", eight digits and two commas: 52.5 + 48.8 + 6.0 = 107.3 -> 108.
    money = bars([11_500_000.0, 2_000_000.0])
    assert settle_margins(money).layout.margin.l == 108


def test_a_percent_axis_with_a_fixed_range():
    fig = bars([0.2, 0.9])
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    # "102%": three digits and a percent sign: 52.5 + 18.3 + 10.3 = 81.1 -> 82.
    assert settle_margins(fig).layout.margin.l == 82


def test_stacked_bars_are_measured_at_their_tops():
    fig = go.Figure([go.Bar(x=["A", "B"], y=np.array([60, 5])) for _ in range(2)])
    style(fig, "Title", "Class", "Clients", None)
    fig.update_layout(barmode="stack")
    # Tops 120 and 10: "127" after padding, 52.5 + 18.3 = 70.8 -> 71; each bar alone is 60.
    assert settle_margins(fig).layout.margin.l == 71


def test_names_on_the_axis_or_no_title_are_left_to_plotly():
    names = go.Figure(go.Bar(y=["Ann", "Bob"], x=[3, 4], orientation="h"))
    style(names, "Title", "Clients", "Manager")
    names.update_yaxes(type="category")
    assert settle_margins(names).layout.margin.l == 10
    untitled = go.Figure(go.Bar(x=["a"], y=[5000]))
    style(untitled, "Title")
    assert settle_margins(untitled).layout.margin.l == 10


def test_a_wider_margin_already_set_is_kept():
    fig = bars([10, 20])
    fig.update_layout(margin={"l": 150})
    assert settle_margins(fig).layout.margin.l == 150


def test_in_hebrew_the_room_goes_to_the_right_where_the_value_axis_moves():
    with use_language("he"):
        fig = mirror_figure(bars([4833, 1198]))
    assert fig.layout.yaxis.side == "right"
    assert (fig.layout.margin.l, fig.layout.margin.r) == (10, 80)
    with use_language("en"):
        fig = mirror_figure(bars([4833, 1198]))
    assert (fig.layout.margin.l, fig.layout.margin.r) == (80, 10)
