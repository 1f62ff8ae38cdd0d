"""The shared visual language: colours for classes and statuses, axis and hover styling."""

from __future__ import annotations

import html

import plotly.graph_objects as go

# One colour per class and status on every chart, so a reader learns them once.
ABC_COLOURS = {"A": "#1f4e79", "B": "#5b9bd5", "C": "#bdd7ee"}
XYZ_COLOURS = {"X": "#2e7d32", "Y": "#f9a825", "Z": "#c62828"}
# Keyed by the churn status codes of kam_core.vocabulary.
STATUS_COLOURS = {"active": "#2e7d32", "new": "#1f77b4", "at_risk": "#f9a825", "lost": "#c62828"}
TYPE_COLOURS = {
    "breadwinner": "#1f4e79",
    "prospect": "#2e7d32",
    "image-maker": "#8e44ad",
    "expert": "#d35400",
    "ordinary": "#9e9e9e",
}


def safe(text: object) -> str:
    """Escape names from workbooks: plotly text, ticks and hover labels read a subset of HTML."""
    return html.escape(str(text), quote=False)


def style(
    fig: go.Figure,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    money_axis: str | None = "y",
) -> go.Figure:
    """Give a figure its title, axis labels, thousands separators and a quiet layout."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=".,",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"namelength": -1},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if money_axis == "y":
        fig.update_yaxes(tickformat=",.0f")
    elif money_axis == "x":
        fig.update_xaxes(tickformat=",.0f")
    return fig
