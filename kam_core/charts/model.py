"""Figures of the purchase model: probability alive per churn status, and the holdout check."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.box_stats import box_stats, distinct_outliers
from kam_core.charts.theme import STATUS_COLOURS, style
from kam_core.i18n import _
from kam_core.vocabulary import CHURN_STATUSES, status_label

ACTUAL_COLOUR = "#424242"
PREDICTED_COLOUR = "#1f77b4"
# Outliers of probability alive are drawn on a grid of a quarter of a percentage point: the
# chart's 0-102% axis spans about 250 pixels, 0.4 points a pixel.
OUTLIER_STEP = 0.25


def p_alive_by_status_figure(table: pd.DataFrame) -> go.Figure:
    """Box per churn status of the clients' probability alive (in %), statuses in reading order.

    table: status and p_alive (0-1) per client, as p_alive_table gives them.
    """
    fig = go.Figure()
    for status in CHURN_STATUSES:
        stats = box_stats(table.loc[table["status"] == status, "p_alive"].dropna() * 100)
        if stats is None:
            continue
        label = status_label(status)
        # The box from its statistics and each outlier once, not every client's value: 10k
        # values were 60 KB of JSON and thousands of SVG points drawn on top of one another.
        points = distinct_outliers(stats, OUTLIER_STEP)
        fig.add_trace(
            go.Box(
                # One position (x0), not x: the box reads as before in either direction (an x
                # list would make kam_core.charts.rtl mirror the axis in Hebrew).
                x0=label,
                q1=[stats.q1],
                median=[stats.median],
                q3=[stats.q3],
                lowerfence=[stats.lowerfence],
                upperfence=[stats.upperfence],
                # No empty list: plotly.js hides a precomputed box whose first sample is empty.
                y=[points] if points else None,
                name=label,
                marker_color=STATUS_COLOURS.get(status, "#9e9e9e"),
                boxpoints="outliers",
                showlegend=False,
                hovertemplate="%{y:.0f}%<extra></extra>",
            )
        )
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 102], ticksuffix="%")
    fig = style(
        fig,
        _("Probability alive by the rule's status"),
        _("Status by the churn rule"),
        _("Probability alive"),
        money_axis=None,
    )
    fig.update_layout(height=340)
    return fig


def cumulative_figure(by_week: pd.DataFrame) -> go.Figure:
    """Lines over the holdout weeks: repeat purchases predicted and actual, cumulative."""
    fig = go.Figure()
    actual, predicted = _("Actual"), _("Predicted")
    fig.add_trace(
        go.Scatter(
            x=by_week["end"],
            y=by_week["actual"],
            name=actual,
            mode="lines",
            line={"color": ACTUAL_COLOUR, "width": 2},
            hovertemplate=actual + ": %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=by_week["end"],
            y=by_week["predicted"],
            name=predicted,
            mode="lines",
            line={"color": PREDICTED_COLOUR, "width": 2, "dash": "dash"},
            hovertemplate=predicted + ": %{y:,.0f}<extra></extra>",
        )
    )
    fig = style(
        fig,
        _("Repeat purchases in the held-out weeks, cumulative"),
        _("Week ending"),
        _("Repeat purchases"),
        money_axis=None,
    )
    fig.update_yaxes(tickformat=",d")
    fig.update_layout(height=340, hovermode="x unified")
    return fig


def by_purchases_figure(by_purchases: pd.DataFrame) -> go.Figure:
    """Grouped bars: purchases per client in the holdout, actual and predicted, per group.

    by_purchases: calibration_purchases ("0".."7+"), clients, actual, predicted (means).
    """
    groups = by_purchases["calibration_purchases"].astype(str)
    fig = go.Figure()
    for column, name, colour in (
        ("actual", _("Actual"), ACTUAL_COLOUR),
        ("predicted", _("Predicted"), PREDICTED_COLOUR),
    ):
        fig.add_trace(
            go.Bar(
                x=groups,
                y=by_purchases[column],
                name=name,
                marker_color=colour,
                customdata=by_purchases[["clients"]].to_numpy(),
                hovertemplate=_("Purchases before: %{x}")
                + "<br>"
                + name
                + ": %{y:.2f}<br>"
                + _("Clients: %{customdata[0]:,}")
                + "<extra></extra>",
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(groups))
    fig = style(
        fig,
        _("Purchases per client in the held-out weeks"),
        _("Repeat purchases before the holdout"),
        _("Purchases per client"),
        money_axis=None,
    )
    fig.update_layout(height=340, barmode="group")
    return fig
