"""Figures of churn: clients per status, losses per month with the trend, losses by direction."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kam_core.analytics.losses import rolling_losses
from kam_core.charts.theme import ABC_COLOURS, STATUS_COLOURS, mirror_horizontal, safe, style
from kam_core.charts.types import type_colour
from kam_core.i18n import _
from kam_core.vocabulary import CLIENT_TYPES, LOSS_DIRECTIONS, label_of

LOSS_COLOUR = STATUS_COLOURS["lost"]
AVERAGE_COLOUR = "#424242"


def status_figure(counts: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Bar chart: clients per churn status in the status colours."""
    fig = go.Figure(
        go.Bar(
            x=counts["label"],
            y=counts["clients"],
            marker_color=[STATUS_COLOURS.get(s, "#9e9e9e") for s in counts["status"]],
            text=[f"{n:,}" for n in counts["clients"]],
            textposition="outside",
            customdata=counts[["share", "revenue_at_stake"]].to_numpy(),
            hovertemplate="<b>%{x}</b><br>"
            + _("Clients: %{y:,}")
            + "<br>"
            + _("Share: %{customdata[0]:.1%}")
            + "<br>"
            + _("Revenue of their last 12 months: %{customdata[1]:,.0f}")
            + "<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return style(fig, title or _("Clients per status"), _("Status"), _("Clients"))


def losses_figure(by_month: pd.DataFrame, months: int = 3) -> go.Figure:
    """Two panels on one month axis: clients lost (with a moving average) and revenue lost."""
    average = _("{months}-month average").format(months=months)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=(_("Clients lost"), _("Revenue lost (their last 12 months before)")),
    )
    months_axis = by_month["month"].astype(str)
    fig.add_trace(
        go.Bar(
            x=months_axis,
            y=by_month["clients_lost"],
            name=_("Clients lost"),
            marker_color=LOSS_COLOUR,
            hovertemplate="%{x}<br>" + _("Clients lost: %{y:,}") + "<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=months_axis,
            y=rolling_losses(by_month, months),
            name=average,
            mode="lines",
            line={"color": AVERAGE_COLOUR, "width": 2, "dash": "dot"},
            hovertemplate="%{x}<br>" + average + ": %{y:,.1f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            x=months_axis,
            y=by_month["revenue_lost"],
            name=_("Revenue lost"),
            marker_color="#e57373",
            hovertemplate="%{x}<br>" + _("Revenue lost: %{y:,.0f}") + "<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(months_axis))
    fig.update_xaxes(title_text=_("Month the client became lost"), row=2, col=1)
    fig.update_yaxes(title_text=_("Clients"), tickformat=",d", row=1, col=1)
    fig.update_yaxes(title_text=_("Revenue"), tickformat=",.0f", row=2, col=1)
    fig = style(fig, _("Losses per month"), money_axis=None)
    # The legend in a row of its own between the title and the first panel's own title: at
    # 1024 px its three entries fill the width, and beside the title they ran over it.
    fig.update_layout(height=560, margin={"t": 120}, legend={"y": 1.1})
    return fig


def _direction_colours(dimension: str, keys: pd.Series) -> list[str]:
    if dimension == "abc":
        return [ABC_COLOURS.get(k, "#9e9e9e") for k in keys]
    if dimension == "client_type":
        return [type_colour(k) for k in keys]
    return [LOSS_COLOUR] * len(keys)


def _direction_label(dimension: str, key: object) -> str:
    if dimension == "client_type":
        return label_of(CLIENT_TYPES, key)
    if dimension == "abc" and key == "none":
        return _("no sales in the window")
    return str(key)


def breakdown_figure(frame: pd.DataFrame, dimension: str, by: str = "clients_lost") -> go.Figure:
    """Horizontal bars: clients lost (or revenue lost, by="revenue_lost") per value of a direction.

    frame: the dimension's column, clients_lost and revenue_lost (losses().breakdowns[dim]).
    """
    name = label_of(LOSS_DIRECTIONS, dimension)
    ordered = frame.sort_values([by, dimension], ascending=[True, False], kind="stable")
    labels = [safe(_direction_label(dimension, k)) for k in ordered[dimension]]
    is_money = by == "revenue_lost"
    fig = go.Figure(
        go.Bar(
            x=ordered[by],
            y=labels,
            orientation="h",
            marker_color=_direction_colours(dimension, ordered[dimension]),
            text=[f"{v:,.0f}" for v in ordered[by]],
            textposition="auto",
            customdata=ordered[["clients_lost", "revenue_lost"]].to_numpy(),
            hovertemplate="<b>%{y}</b><br>"
            + _("Clients lost: %{customdata[0]:,}")
            + "<br>"
            + _("Revenue lost: %{customdata[1]:,.0f}")
            + "<extra></extra>",
        )
    )
    fig.update_yaxes(type="category")
    x_title = _("Revenue lost") if is_money else _("Clients lost")
    lowered = name if name[:2].isupper() else name.lower()  # "ABC class" stays as it is
    money = "x" if is_money else None
    title = _("Losses by {direction}").format(direction=lowered)
    fig = style(fig, title, x_title, name, money_axis=money)
    fig.update_layout(height=max(260, 60 + 32 * len(ordered)))
    return mirror_horizontal(fig)
