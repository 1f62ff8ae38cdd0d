"""Figures of the purchase model: probability alive per churn status, and the holdout check."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import STATUS_COLOURS, style
from kam_core.i18n import _
from kam_core.vocabulary import CHURN_STATUSES, status_label

ACTUAL_COLOUR = "#424242"
PREDICTED_COLOUR = "#1f77b4"


def p_alive_by_status_figure(table: pd.DataFrame) -> go.Figure:
    """Box per churn status of the clients' probability alive (in %), statuses in reading order.

    table: status and p_alive (0-1) per client, as p_alive_table gives them.
    """
    fig = go.Figure()
    for status in CHURN_STATUSES:
        values = table.loc[table["status"] == status, "p_alive"].dropna() * 100
        if values.empty:
            continue
        label = status_label(status)
        fig.add_trace(
            go.Box(
                # Single precision and one position for the box (x0), not a label per client:
                # 10k clients were 200 KB of JSON a view, the same box in a quarter of it.
                y=values.to_numpy(dtype="float32"),
                x0=label,
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
