"""Figures of the key-client types: how many clients of each type, and how much they bring."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import TYPE_COLOURS, style
from kam_core.i18n import _, fmt_number, fmt_percent
from kam_core.vocabulary import ORDINARY


def type_colour(kind: str) -> str:
    """The colour of a type value (image_maker and image-maker are the same type)."""
    return TYPE_COLOURS.get(kind.replace("_", "-"), TYPE_COLOURS[ORDINARY])


def types_count_figure(dist: pd.DataFrame) -> go.Figure:
    """Bar chart: clients per type."""
    fig = go.Figure(
        go.Bar(
            x=dist["label"],
            y=dist["clients"],
            marker_color=[type_colour(t) for t in dist["type"]],
            text=[fmt_number(n) for n in dist["clients"]],
            textposition="outside",
            customdata=dist[["client_share"]].to_numpy(),
            hovertemplate="<b>%{x}</b><br>"
            + _("Clients: {n}").format(n="%{y:,}")
            + "<br>"
            + _("Share of clients: {share}").format(share="%{customdata[0]:.1%}")
            + "<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return style(fig, _("Clients per type"), _("Type"), _("Clients"))


def types_value_figure(dist: pd.DataFrame, measure_label: str = "Revenue") -> go.Figure:
    """Bar chart: the measure in the window per type, with its share of the total."""
    fig = go.Figure(
        go.Bar(
            x=dist["label"],
            y=dist["value"],
            marker_color=[type_colour(t) for t in dist["type"]],
            text=[fmt_percent(s, 0) for s in dist["value_share"]],
            textposition="outside",
            customdata=dist[["value_share", "clients"]].to_numpy(),
            hovertemplate=f"<b>%{{x}}</b><br>{measure_label}: %{{y:,.0f}}<br>"
            + _("Share of the total: {share}").format(share="%{customdata[0]:.1%}")
            + "<br>"
            + _("Clients: {n}").format(n="%{customdata[1]:,}")
            + "<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return style(
        fig, _("{measure} per type").format(measure=measure_label), _("Type"), measure_label
    )
