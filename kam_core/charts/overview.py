"""Overview figures: the Pareto curve, revenue per period, the biggest movers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import (
    ABC_COLOURS,
    STATUS_COLOURS,
    mirror_horizontal,
    rtl_text,
    safe,
    style,
)
from kam_core.i18n import _, fmt_growth, fmt_percent

CURRENT_COLOUR = ABC_COLOURS["A"]
PREVIOUS_COLOUR = "#9e9e9e"
UP_COLOUR = STATUS_COLOURS["active"]
DOWN_COLOUR = STATUS_COLOURS["lost"]
# A Pareto curve of 10k clients sent whole is ~450 KB of JSON for every view and every browser.
# The largest clients keep a point each (their names are what a hover is for); past them the
# curve is smooth, and a few hundred evenly spaced points draw the same line.
PARETO_HEAD = 200
PARETO_POINTS = 400


def curve_rows(count: int, keep: tuple[int, ...] = ()) -> np.ndarray:
    """Rows of a long curve worth drawing: the first PARETO_HEAD, then evenly spaced ones to
    PARETO_POINTS in all, the last row and the rows in keep."""
    if count <= PARETO_POINTS:
        return np.arange(count)
    tail = np.linspace(PARETO_HEAD, count - 1, PARETO_POINTS - PARETO_HEAD).round().astype(int)
    kept = [i for i in keep if 0 <= i < count]
    return np.unique(np.concatenate([np.arange(PARETO_HEAD), tail, kept]).astype(int))


def pareto_figure(pareto: pd.DataFrame, measure: str = "revenue", mark: float = 0.80) -> go.Figure:
    """Cumulative share of value against the share of clients, largest clients first."""
    crossing = int(np.searchsorted(pareto["cumulative_share"].to_numpy(dtype=float), mark - 1e-9))
    full = pareto
    pareto = pareto.iloc[curve_rows(len(pareto), (crossing,))]
    names = pareto.get("client_name", pareto["client_id"]).fillna(pareto["client_id"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name=_("Equal shares"),
            line={"color": PREVIOUS_COLOUR, "dash": "dot", "width": 1},
            hoverinfo="skip",
        )
    )
    x = np.concatenate([[0.0], pareto["client_share"].to_numpy(dtype=float)])
    y = np.concatenate([[0.0], pareto["cumulative_share"].to_numpy(dtype=float)])
    custom = np.column_stack(
        [
            ["", *pareto["client_id"].astype(str)],
            ["", *(safe(n) for n in names)],
            [0, *pareto["rank"].astype(int)],
        ]
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            name=_("Clients, largest first"),
            line={"color": CURRENT_COLOUR, "width": 3},
            customdata=custom,
            hovertemplate=(
                _("Top {share} of clients ({rank}): {value} of {measure}").format(
                    share="%{x:.1%}", rank="%{customdata[2]:,}", value="%{y:.1%}", measure=measure
                )
                + "<br>"
                + _("Last of them: {name}").format(name="%{customdata[1]}")
                + "<extra></extra>"
            ),
        )
    )
    if len(full) and crossing < len(full):
        share = float(full["client_share"].iloc[crossing])
        fig.add_hline(y=mark, line={"color": "#333333", "dash": "dash", "width": 1})
        fig.add_annotation(
            x=share,
            y=mark,
            text=rtl_text(
                _("{clients} of clients bring {value}").format(
                    clients=fmt_percent(share, 0), value=fmt_percent(mark, 0)
                )
            ),
            showarrow=True,
            arrowhead=2,
            # Toward the chart's middle: beside a crossing near an edge the label ran off it
            # ('100% of clie'; in Hebrew already at half the clients).
            ax=60 if share < 0.35 else -60 if share > 0.65 else 0,
            xanchor="left" if share < 0.35 else "right" if share > 0.65 else "center",
            ay=40,
        )
    style(
        fig,
        _("Concentration of {measure}").format(measure=measure),
        _("Share of clients"),
        _("Share of {measure}").format(measure=measure),
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    # The legend in the empty corner under the diagonal: above the plot, in a half column at
    # 1024 px, it ran over the title.
    fig.update_layout(
        hovermode="closest",
        margin={"t": 80},  # as the period chart beside it, so the two titles line up
        legend={
            "orientation": "v",
            "x": 0.98,
            "xanchor": "right",
            "y": 0.04,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
    )
    return fig


def revenue_period_figure(periods: pd.DataFrame) -> go.Figure:
    """Revenue per period of the window as bars, the previous window's as a line."""
    labels = periods["label"].astype(str).tolist()
    prev = periods["revenue_prev"].to_numpy(dtype=float)
    now = periods["revenue"].to_numpy(dtype=float)
    change = np.where(prev > 0, (now - prev) / np.where(prev > 0, prev, 1), np.nan)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=now,
            name=_("This window"),
            marker={"color": CURRENT_COLOUR},
            customdata=np.column_stack([periods["label_prev"].astype(str), prev, change]),
            hovertemplate="%{x}: %{y:,.0f} ("
            + _("change {change}").format(change="%{customdata[2]:+.1%}")
            + ")<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=prev,
            name=_("Previous window"),
            mode="lines+markers",
            line={"color": PREVIOUS_COLOUR, "dash": "dash"},
            customdata=periods["label_prev"].astype(str),
            hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>",
        )
    )
    # A short title (the legend names the two windows) in its own row above the legend: in
    # a half column at 1024 px the long one was cut and the legend ran over it.
    style(fig, _("Revenue per period"), _("Period"), _("Revenue"))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(hovermode="x unified", margin={"t": 80}, legend={"y": 1.04})
    return fig


def movers_figure(movers: pd.DataFrame) -> go.Figure:
    """Change of revenue of the biggest movers as horizontal bars; a click returns the client."""
    frame = movers.sort_values("change")
    names = [
        f"{safe(n)} ({safe(c)})"
        for n, c in zip(frame["client_name"], frame["client_id"], strict=True)
    ]
    colours = [UP_COLOUR if v > 0 else DOWN_COLOUR for v in frame["change"]]
    # A client with nothing in the previous window has no percentage: it is new to the window.
    pct = [fmt_growth(p, n) for p, n in zip(frame["revenue_prev"], frame["revenue"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=frame["change"].to_numpy(dtype=float),
            y=names,
            orientation="h",
            marker={"color": colours},
            customdata=np.column_stack(
                [
                    frame["client_id"].astype(str),
                    frame["revenue"].to_numpy(dtype=float),
                    frame["revenue_prev"].to_numpy(dtype=float),
                    pct,
                ]
            ),
            hovertemplate=(
                "<b>%{y}</b><br>"
                + _("Change: {change}").format(change="%{x:+,.0f} (%{customdata[3]})")
                + "<br>"
                + _("This window: {value}").format(value="%{customdata[1]:,.0f}")
                + "<br>"
                + _("Previous window: {value}").format(value="%{customdata[2]:,.0f}")
                + "<br>"
                + _("Click to open the dossier")
                + "<extra></extra>"
            ),
            showlegend=False,
        )
    )
    style(
        fig,
        _("Change of revenue against the previous window"),
        _("Change of revenue"),
        None,
        money_axis="x",
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=names, automargin=True)
    fig.update_layout(height=max(360, 26 * len(names) + 100), clickmode="event+select")
    return mirror_horizontal(fig)
