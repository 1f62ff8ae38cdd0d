"""Figures of the managers' portfolios: revenue and its change, ABC mix, one manager's matrix."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import ABC_COLOURS, XYZ_COLOURS, mirror_horizontal, rtl_text, safe, style
from kam_core.i18n import _

PREVIOUS_COLOUR = "#bdbdbd"
CURRENT_COLOUR = "#1f4e79"


def portfolio_revenue_figure(portfolio: pd.DataFrame) -> go.Figure:
    """Grouped bars per manager: revenue in the window and in the previous window."""
    frame = portfolio.sort_values("revenue", ascending=False)
    change = frame["revenue_change_pct"].astype(float)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[safe(m) for m in frame["manager"]],
            y=frame["revenue_prev"],
            name=_("Previous window"),
            marker_color=PREVIOUS_COLOUR,
            hovertemplate="<b>%{x}</b><br>" + _("Previous window: %{y:,.0f}") + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[safe(m) for m in frame["manager"]],
            y=frame["revenue"],
            name=_("This window"),
            marker_color=CURRENT_COLOUR,
            text=["" if pd.isna(c) else f"{c:+.0%}" for c in change],
            textposition="outside",
            customdata=frame[["revenue_change"]].to_numpy(),
            hovertemplate="<b>%{x}</b><br>"
            + _("This window: %{y:,.0f}")
            + "<br>"
            + _("Change: %{customdata[0]:+,.0f} (%{text})")
            + "<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig = style(fig, _("Revenue per manager"), _("Manager"), _("Revenue"))
    # The legend on its own line under the title, so neither covers the other in a half column.
    fig.update_layout(margin={"t": 80}, legend={"y": 1.04})
    return fig


def portfolio_mix_figure(portfolio: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars per manager: clients of class A, B and C in the window."""
    frame = portfolio.sort_values("revenue", ascending=True)
    fig = go.Figure()
    for cls in "ABC":
        counts = frame[cls.lower()].astype(int)
        fig.add_trace(
            go.Bar(
                y=[safe(m) for m in frame["manager"]],
                x=counts,
                name=rtl_text(_("Class {cls}").format(cls=cls)),
                orientation="h",
                marker_color=ABC_COLOURS[cls],
                text=[f"{n:,}" if n else "" for n in counts],
                textposition="inside",
                hovertemplate="<b>%{y}</b><br>"
                + _("Class {cls}: %{{x:,}} clients").format(cls=cls)
                + "<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=max(260, 80 + 40 * len(frame)),
        legend_traceorder="normal",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    fig.update_yaxes(type="category")
    fig = style(
        fig,
        _("ABC mix of each portfolio"),
        _("Clients in the window"),
        _("Manager"),
        None,
    )
    # The legend in a row under the title: beside it, in a half column, the two overlapped.
    fig.update_layout(margin={"t": 80}, legend={"y": 1.04, "traceorder": "normal"})
    return mirror_horizontal(fig)


def manager_mix_figure(mix: pd.DataFrame, manager: str) -> go.Figure:
    """Stacked bars: the manager's clients per ABC class, split by XYZ class."""
    fig = go.Figure()
    for xyz in "XYZ":
        part = mix[mix["xyz"] == xyz].set_index("abc").reindex(list("ABC"), fill_value=0)
        fig.add_trace(
            go.Bar(
                x=list(part.index),
                y=part["clients"],
                name=xyz,
                marker_color=XYZ_COLOURS[xyz],
                text=[f"{n:,}" if n else "" for n in part["clients"]],
                textposition="inside",
                customdata=part[["revenue"]].to_numpy(),
                hovertemplate=f"<b>%{{x}}{xyz}</b><br>"
                + _("Clients: %{y:,}")
                + "<br>"
                + _("Revenue: %{customdata[0]:,.0f}")
                + "<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        legend_title_text="XYZ",
        legend_traceorder="normal",
        uniformtext={"minsize": 10, "mode": "hide"},  # no unreadable labels on thin segments
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list("ABC"))
    title = rtl_text(_("ABC-XYZ mix: {manager}").format(manager=safe(manager)))
    fig = style(fig, title, _("ABC class"), _("Clients"), None)
    fig.update_layout(margin={"t": 80}, legend={"y": 1.04})
    return fig
